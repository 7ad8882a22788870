"""The stages show in the folders and depend only downward (docs/architecture.md).

Every ``from infraplan... import`` of the package, at module level or inside a function,
is read with ``ast``; a module may import its own stage or a lower one, never a higher
one, and the command stages never import each other.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "generator" / "infraplan"

# Lowest first. A stage is a top-level module or a folder of the package.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"infraplan", "errors", "escape", "formats", "package_data", "hcl"}),
    frozenset({"spec"}),
    frozenset({"catalogue"}),
    frozenset({"findings", "report_formats", "aws"}),
    frozenset({"cost"}),
    frozenset({"plan"}),
    frozenset({"scaffold"}),
    frozenset({"init", "importers", "check", "update", "verify"}),
    frozenset({"cli", "__main__"}),
)
COMMANDS = LAYERS[-2]
# The one edge between command stages, named here so no other creeps in: `init --from-repo`
# reads a repository with check's repo model (its public parsing, never a rule).
BETWEEN_COMMANDS = {
    ("importers", "infraplan.check"),
    ("importers", "infraplan.check.cache"),
}


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "infraplan"


def _level(stage: str) -> int:
    for level, stages in enumerate(LAYERS):
        if stage in stages:
            return level
    raise AssertionError(f"{stage}: a stage docs/architecture.md does not place; add it there")


def _imports() -> list[tuple[str, str, int]]:
    """(module file, imported module, line) for every infraplan import."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        module = ".".join(rel.parts).removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                targets = [node.module]
                if node.module == "infraplan":
                    targets = [f"infraplan.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                continue
            for target in targets:
                if target.split(".")[0] == "infraplan":
                    found.append((module, target, node.lineno))
    return found


def test_every_stage_is_placed_and_imports_point_downward() -> None:
    upward = []
    for module, target, line in _imports():
        source, dest = _stage(module), _stage(target)
        if not (PACKAGE / f"{dest}.py").is_file() and not (PACKAGE / dest).is_dir():
            dest = "infraplan"  # a name the package root holds (__version__, PLAN_FILE)
        if source == dest:
            continue
        if (source, target) in BETWEEN_COMMANDS:
            continue
        if _level(dest) > _level(source) or (source in COMMANDS and dest in COMMANDS):
            upward.append(f"{module}:{line} imports {target}")
    assert upward == []


def test_the_reader_of_this_test_finds_the_stages_as_folders() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert {"spec", "plan", "scaffold", "init", "check", "update", "verify", "cost"} <= folders
    flat = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", "__main__"}
    # What stays at the top is shared by several stages, or the CLI itself.
    assert flat == {
        "aws",
        "cli",
        "errors",
        "escape",
        "findings",
        "formats",
        "package_data",
        "report_formats",
    }
