"""What ``terraform validate`` does not check: ``moved``, ``removed`` and ``import`` blocks.

References, module calls, arguments and value types go through the real
``terraform validate`` (``tests/terraform/validate.py``). Validate leaves the
addresses of refactoring blocks to ``plan``, so these checks stand in for that
part: a ``moved``/``removed`` source is gone from the configuration, a
``moved``/``import`` target exists, through module calls. ``load_folder`` also
gives the tests the names a folder declares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import hcl2

_ADDRESS_STEP = re.compile(r"module\.([A-Za-z0-9_]+)\.")


@dataclass
class Folder:
    """The names one Terraform folder (a root or a module) declares."""

    path: Path
    variables: dict[str, bool] = field(default_factory=dict)  # name -> has a default
    resources: set[tuple[str, str]] = field(default_factory=set)
    modules: dict[str, dict[str, Any]] = field(default_factory=dict)
    # (kind, from, to) of each moved / removed / import block; "" where absent
    refactorings: list[tuple[str, str, str]] = field(default_factory=list)


def _names(entries: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    return [
        (key.strip('"'), value)
        for entry in entries
        for key, value in entry.items()
        if not key.startswith("__")
    ]


@cache
def parse_hcl(text: str) -> dict[str, Any]:
    """python-hcl2's reading of ``text``; the modules are the same in every tree,
    so each distinct file is parsed once (the result is only read)."""
    doc: dict[str, Any] = hcl2.loads(text)
    return doc


def load_folder(path: Path) -> Folder:
    folder = Folder(path)
    for tf in sorted(path.glob("*.tf")):
        doc = parse_hcl(tf.read_text(encoding="utf-8"))
        for name, body in _names(doc.get("variable", [])):
            folder.variables[name] = "default" in body
        for type_, named in _names(doc.get("resource", [])):
            folder.resources |= {
                (type_, name.strip('"')) for name in named if not name.startswith("__")
            }
        folder.modules.update(dict(_names(doc.get("module", []))))
        for kind in ("moved", "removed", "import"):
            for block in doc.get(kind, []):
                source = _address(block.get("from", ""))
                folder.refactorings.append((kind, source, _address(block.get("to", ""))))
    return folder


def check_refactorings(folder: Folder, root: Path) -> list[str]:
    """The ``moved``, ``removed`` and ``import`` blocks of ``folder`` whose addresses
    would fail ``terraform plan``."""
    where = folder.path.relative_to(root).as_posix()
    problems: list[str] = []
    for kind, source, target in folder.refactorings:
        if kind in ("moved", "removed") and (not source or resolves(folder, source)):
            problems.append(f"{where}: {kind} from {source!r}, which the configuration still has")
        if kind in ("moved", "import") and not resolves(folder, target):
            problems.append(f"{where}: {kind} to {target!r}, which does not resolve")
    return problems


def _address(raw: object) -> str:
    """A python-hcl2 address (``${aws_x.y[0]}``) as written: ``aws_x.y``, keys dropped."""
    text = str(raw).strip('"')
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1]
    return re.sub(r"\[[^\]]*\]", "", text)


def resolves(folder: Folder, address: str) -> bool:
    """Whether ``address`` (``module.a.module.b.aws_x.y``, ``module.a``, ``aws_x.y``)
    names a module call or a resource of the configuration below ``folder``."""
    step = _ADDRESS_STEP.match(address)
    if step is None:
        if address.startswith("module."):
            return address.removeprefix("module.") in folder.modules
        type_, _, name = address.partition(".")
        return (type_, name) in folder.resources
    call = step.group(1)
    if call not in folder.modules:
        return False
    source = str(folder.modules[call].get("source", "")).strip('"')
    return resolves(load_folder((folder.path / source).resolve()), address[step.end() :])
