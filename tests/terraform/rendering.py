"""Render the two Terraform pieces of ``infraplan new`` for a spec, and read them back."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import hcl2

from infraplan.package_data import templates_root
from infraplan.scaffold.context import template_context
from infraplan.scaffold.render import File, render_piece
from infraplan.spec.load import parse_spec
from infraplan.spec.model import Spec

MODULES_PIECE = "terraform-modules"
ENV_PIECE = "terraform-env"
BOOTSTRAP_PIECE = "terraform-bootstrap"
PIECES = (MODULES_PIECE, ENV_PIECE, BOOTSTRAP_PIECE)
MODULES = (
    "network",
    "ecr",
    "ecs",
    "autoscaling",
    "monitoring",
    "secrets",
    "ci_oidc",
    "budget",
    "stack",
)
MODULE_FILES = ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md")
ENV_FILES = (
    "main.tf",
    "variables.tf",
    "versions.tf",
    "backend.tf",
    "moved.tf",
    "overrides.auto.tfvars",
)
BOOTSTRAP_FILES = (
    "main.tf",
    "variables.tf",
    "outputs.tf",
    "versions.tf",
    "overrides.auto.tfvars",
)


def spec_from(data: dict[str, Any]) -> Spec:
    """A spec from a mapping (JSON is YAML, so the real loader reads it)."""
    return parse_spec(json.dumps(data))


def render_terraform(spec: Spec) -> list[File]:
    """The Terraform of the starter repo: the modules and the bootstrap once, a root per
    environment."""
    files = render_piece(MODULES_PIECE, template_context(spec))
    files += render_piece(BOOTSTRAP_PIECE, template_context(spec))
    for env in spec.environments:
        files += render_piece(ENV_PIECE, template_context(spec, env.name))
    return sorted(files, key=lambda f: f.path)


def write_tree(files: list[File], root: Path) -> Path:
    for file in files:
        path = root / file.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(file.content)
    return root


def hcl_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in {".tf", ".tfvars"} and p.is_file())


def load_hcl(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = hcl2.loads(path.read_text(encoding="utf-8"))
    return data


def hcl_value(raw: object) -> object:
    """A python-hcl2 literal as its value: quoted strings decoded, others as they are.

    infraplan's ``hcl`` filter writes only JSON-compatible escapes, so a quoted
    literal decodes with the JSON decoder.
    """
    if isinstance(raw, str) and len(raw) >= 2 and raw[0] == raw[-1] == '"':
        return json.loads(raw)
    if isinstance(raw, list):
        return [hcl_value(item) for item in raw]
    if isinstance(raw, dict):
        return {k: hcl_value(v) for k, v in raw.items() if not k.startswith("__")}
    return raw


def module_calls(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    calls: dict[str, dict[str, Any]] = {}
    for entry in doc.get("module", []):
        for name, body in entry.items():
            if not name.startswith("__"):
                calls[name.strip('"')] = body
    return calls


def locals_of(doc: dict[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for block in doc.get("locals", []):
        merged.update({k: v for k, v in block.items() if not k.startswith("__")})
    return merged


_BLOCK_RE = re.compile(r'^(resource|data)\s+"([^"]+)"\s+"([^"]+)"\s*\{')
_SKIP_RE = re.compile(r"^\s*#\s*checkov:skip=([A-Z0-9_]+)(?::(.*))?$")
_WORKFLOW_NAME_RE = re.compile(r"^name:\s*(.+)$")


def inline_skips() -> list[dict[str, str]]:
    """Every ``#checkov:skip`` comment in the Terraform templates, with its resource address."""
    skips: list[dict[str, str]] = []
    for piece in PIECES:
        project = templates_root() / piece / "{{cookiecutter.project}}"
        for path in sorted(project.rglob("*.tf")):
            rel = path.relative_to(project).as_posix()
            parts = rel.split("/")
            prefix = ""
            if parts[:2] == ["infra", "modules"]:
                inner = "" if parts[2] == "stack" else f"module.{parts[2]}."
                prefix = f"module.stack.{inner}"
            current = ""
            for line in path.read_text(encoding="utf-8").splitlines():
                block = _BLOCK_RE.match(line)
                if block:
                    kind, type_, name = block.groups()
                    current = f"{prefix}{'data.' if kind == 'data' else ''}{type_}.{name}"
                    continue
                skip = _SKIP_RE.match(line)
                if skip:
                    skips.append(
                        {
                            "id": skip.group(1),
                            "resource": current,
                            "file": rel,
                            "reason": (skip.group(2) or "").strip(),
                        }
                    )
    return skips + _workflow_skips()


def _workflow_skips() -> list[dict[str, str]]:
    """``# checkov:skip`` comments of the workflow templates; checkov names the
    resource of a trigger ``on(<workflow name>)``."""
    skips: list[dict[str, str]] = []
    project = templates_root() / "github-actions" / "{{cookiecutter.project}}"
    for path in sorted(project.rglob("*.yml")):
        lines = path.read_text(encoding="utf-8").splitlines()
        names = [m.group(1).strip() for m in map(_WORKFLOW_NAME_RE.match, lines) if m]
        for line in lines:
            skip = _SKIP_RE.match(line)
            if skip:
                skips.append(
                    {
                        "id": skip.group(1),
                        "resource": f"on({names[0]})",
                        "file": path.relative_to(project).as_posix(),
                        "reason": (skip.group(2) or "").strip(),
                    }
                )
    return skips
