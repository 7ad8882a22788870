"""What ``terraform validate`` would say about names, without a provider download.

``terraform validate`` needs ``terraform init``, which downloads the AWS
provider from a registry the test machines cannot reach. These checks cover
the part of it that breaks most often when templates change: every ``var.``,
``local.``, ``module.<m>.<output>``, resource and data reference resolves;
every module call passes only variables the module declares and all of those
without a default; every resource attribute read exists in the provider schema;
``moved``, ``removed`` and ``import`` blocks name addresses that resolve the
way Terraform requires (a ``moved``/``removed`` source is gone from the
configuration, a ``moved``/``import`` target exists, through module calls).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import hcl2

_COMMENT = re.compile(r"^\s*(#|//).*$", re.MULTILINE)
_VAR = re.compile(r"\bvar\.([A-Za-z0-9_]+)")
_LOCAL = re.compile(r"\blocal\.([A-Za-z0-9_]+)")
_MODULE = re.compile(r"\bmodule\.([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)")
_DATA = re.compile(r"\bdata\.(aws_[a-z0-9_]+)\.([A-Za-z0-9_]+)(?:\[[^\]]*\])?(?:\.([a-z0-9_]+))?")
_REFACTORING = re.compile(r"^(moved|removed|import)\s*\{.*?^\}", re.DOTALL | re.MULTILINE)
_ADDRESS_STEP = re.compile(r"module\.([A-Za-z0-9_]+)\.")
_RESOURCE = re.compile(
    r"(?<![.\w])(aws_[a-z0-9_]+)\.([A-Za-z0-9_]+)(?:\[[^\]]*\])?(?:\.([a-z0-9_]+))?"
)


@dataclass
class Folder:
    """The names one Terraform folder (a root or a module) declares."""

    path: Path
    variables: dict[str, bool] = field(default_factory=dict)  # name -> has a default
    outputs: set[str] = field(default_factory=set)
    locals: set[str] = field(default_factory=set)
    resources: set[tuple[str, str]] = field(default_factory=set)
    data: set[tuple[str, str]] = field(default_factory=set)
    modules: dict[str, dict[str, Any]] = field(default_factory=dict)
    # (kind, from, to) of each moved / removed / import block; "" where absent
    refactorings: list[tuple[str, str, str]] = field(default_factory=list)
    text: str = ""


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
    texts: list[str] = []
    for tf in sorted(path.glob("*.tf")):
        text = tf.read_text(encoding="utf-8")
        texts.append(code_only(_REFACTORING.sub("", _COMMENT.sub("", text))))
        doc = parse_hcl(text)
        for name, body in _names(doc.get("variable", [])):
            folder.variables[name] = "default" in body
        folder.outputs |= {name for name, _ in _names(doc.get("output", []))}
        for block in doc.get("locals", []):
            folder.locals |= {k for k in block if not k.startswith("__")}
        for kind, target in (("resource", folder.resources), ("data", folder.data)):
            for type_, named in _names(doc.get(kind, [])):
                target |= {(type_, name.strip('"')) for name in named if not name.startswith("__")}
        folder.modules.update(dict(_names(doc.get("module", []))))
        for kind in ("moved", "removed", "import"):
            for block in doc.get(kind, []):
                source = _address(block.get("from", ""))
                folder.refactorings.append((kind, source, _address(block.get("to", ""))))
    folder.text = "\n".join(texts)
    return folder


def check_folder(folder: Folder, schema: dict[str, Any], root: Path) -> list[str]:
    """Unresolved references of one folder; module calls are checked against their source."""
    where = folder.path.relative_to(root).as_posix()
    problems: list[str] = []
    for name in sorted(set(_VAR.findall(folder.text)) - set(folder.variables)):
        problems.append(f"{where}: var.{name} is not declared")
    for name in sorted(set(_LOCAL.findall(folder.text)) - folder.locals):
        problems.append(f"{where}: local.{name} is not declared")
    for type_, name, attr in _DATA.findall(folder.text):
        if (type_, name) not in folder.data:
            problems.append(f"{where}: data.{type_}.{name} is not declared")
        elif attr and not _has_attribute(schema["data_sources"].get(type_, {}), attr):
            problems.append(f"{where}: data.{type_}.{name}.{attr} is not an attribute")
    data_free = _DATA.sub("", folder.text)
    for type_, name, attr in _RESOURCE.findall(data_free):
        if type_ not in schema["resources"]:
            continue  # not a resource reference (e.g. a type name in text)
        if (type_, name) not in folder.resources:
            problems.append(f"{where}: {type_}.{name} is not declared")
        elif attr and not _has_attribute(schema["resources"][type_], attr):
            problems.append(f"{where}: {type_}.{name}.{attr} is not an attribute")
    for call, body in folder.modules.items():
        source = str(body.get("source", "")).strip('"')
        module = load_folder((folder.path / source).resolve())
        args = {k for k in body if not k.startswith("__") and k not in {"source", "depends_on"}}
        for arg in sorted(args - set(module.variables)):
            problems.append(f"{where}: module {call} has no variable {arg!r}")
        for var in sorted(v for v, has_default in module.variables.items() if not has_default):
            if var not in args:
                problems.append(f"{where}: module {call} needs {var!r}")
    problems += _refactorings(folder, where)
    for call, output in _MODULE.findall(folder.text):
        if call not in folder.modules:
            problems.append(f"{where}: module.{call} is not declared")
            continue
        source = str(folder.modules[call].get("source", "")).strip('"')
        if output not in load_folder((folder.path / source).resolve()).outputs:
            problems.append(f"{where}: module.{call} has no output {output!r}")
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


def _refactorings(folder: Folder, where: str) -> list[str]:
    problems: list[str] = []
    for kind, source, target in folder.refactorings:
        if kind in ("moved", "removed") and (not source or resolves(folder, source)):
            problems.append(f"{where}: {kind} from {source!r}, which the configuration still has")
        if kind in ("moved", "import") and not resolves(folder, target):
            problems.append(f"{where}: {kind} to {target!r}, which does not resolve")
    return problems


def code_only(text: str) -> str:
    """``text`` with the literal parts of quoted strings blanked out.

    Interpolations (``${ ... }``) stay, since they hold references; an escaped
    sigil (``$${``, ``\\u0024{``) and everything else inside quotes is text.
    """
    out: list[str] = []
    i, depth, in_string = 0, 0, False  # depth: nesting of ${ } inside the string
    stack: list[int] = []  # brace depth at which each open string started
    while i < len(text):
        char = text[i]
        if in_string:
            if char == "\\":
                out.append("  ")
                i += 2
                continue
            if text.startswith("$${", i) or text.startswith("%%{", i):
                out.append("   ")
                i += 3
                continue
            if text.startswith("${", i):
                out.append("${")
                in_string = False
                stack.append(depth)
                depth += 1
                i += 2
                continue
            if char == '"':
                in_string = False
                out.append('"')
            else:
                out.append(" " if char != "\n" else "\n")
            i += 1
            continue
        if char == '"':
            in_string = True
            out.append('"')
        elif char == "{":
            depth += 1
            out.append(char)
        elif char == "}":
            depth -= 1
            out.append(char)
            if stack and depth == stack[-1]:
                stack.pop()
                in_string = True
        else:
            out.append(char)
        i += 1
    return "".join(out)


def _has_attribute(type_schema: dict[str, Any], attr: str) -> bool:
    return attr in type_schema.get("attributes", {}) or attr in type_schema.get("blocks", {})
