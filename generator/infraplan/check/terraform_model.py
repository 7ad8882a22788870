"""The Terraform of a repository, normalized: roots, resources, lookups, module calls.

Files are grouped by folder. A *root* is a folder no other folder calls as a
local module; each root is expanded by following its local module calls, so a
module's resources appear once per caller with the caller's inputs. Values
are resolved as a reader would: ``var.x`` to the caller's input or a literal
default (or an auto-loaded ``.tfvars``), ``local.x`` to a literal local. What
cannot be resolved statically stays an expression string containing ``${``.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from infraplan.check.conflicts import conflict_error
from infraplan.check.parsing import ParsedFile
from infraplan.check.problems import FileProblem
from infraplan.check.registry_modules import expand_registry_module
from infraplan.check.scope import Scope
from infraplan.check.terraform_types import (
    Backend,
    Block,
    ModuleCall,
    Resource,
    first_block,
)
from infraplan.check.terragrunt import TerragruntUnit, resolve_includes

MAX_MODULE_DEPTH = 8


@dataclass
class TerraformModel:
    blocks: list[Block] = field(default_factory=list)
    errors: list[FileProblem] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    data: list[Resource] = field(default_factory=list)
    modules: list[ModuleCall] = field(default_factory=list)
    backends: list[Backend] = field(default_factory=list)
    backend_files: dict[str, dict[str, Any]] = field(default_factory=dict)
    units: list[TerragruntUnit] = field(default_factory=list)

    def of_type(self, *types: str) -> list[Resource]:
        return [r for r in self.resources if r.type in types]

    def lookups(self, *types: str) -> list[Resource]:
        return [r for r in self.data if r.type in types]

    def blocks_of(self, kind: str) -> list[Block]:
        """Top-level blocks of one kind as written: ``variable``, ``locals``, ``output``..."""
        return [b for b in self.blocks if b.kind == kind]

    def variables(self) -> dict[str, bool]:
        """Every declared variable's name, and whether it has a default."""
        out: dict[str, bool] = {}
        for block in self.blocks_of("variable"):
            if block.labels:
                out[block.labels[0]] = out.get(block.labels[0], False) or "default" in block.body
        return out


def build_terraform_model(
    parsed: list[ParsedFile], units: list[TerragruntUnit] | None = None
) -> TerraformModel:
    model = TerraformModel(units=resolve_includes(list(units or [])))
    by_folder: dict[str, list[Block]] = defaultdict(list)
    tfvars: dict[str, dict[str, Any]] = defaultdict(dict)
    var_files: list[tuple[str, dict[str, Any]]] = []  # -var-file candidates, by path
    for file in parsed:
        if file.data.get("conflict"):
            model.errors.append(conflict_error(file.path, int(file.data["conflict"])))
        error = file.data.get("error")
        if error:
            model.errors.append(
                FileProblem(file.path, int(error.get("line") or 1), str(error["message"]))
            )
        folder = posixpath.dirname(file.path) or "."
        if file.kind == "tfvars":
            name = posixpath.basename(file.path)
            if name == "terraform.tfvars" or name.endswith(".auto.tfvars"):
                tfvars[folder].update(file.data.get("values") or {})
            else:
                var_files.append((file.path, file.data.get("values") or {}))
            continue
        for raw in file.data.get("blocks", []):
            block = Block(
                kind=str(raw["kind"]),
                labels=tuple(raw["labels"]),
                path=file.path,
                line=int(raw["line"]),
                body=raw["body"] if isinstance(raw["body"], dict) else {},
                keys=tuple((int(n), str(k)) for n, k in raw.get("keys", [])),
            )
            model.blocks.append(block)
            by_folder[block.folder].append(block)

    called: set[str] = set()
    for folder, blocks in by_folder.items():
        for block in blocks:
            if block.kind == "module":
                target = _local_target(folder, block.body.get("source"))
                if target and target != folder:
                    called.add(target)
    run_by_units = {t for u in model.units if (t := u.local_target()) in by_folder}
    model.roots = sorted(f for f in by_folder if f not in called and f not in run_by_units)
    for unit in model.units:
        if not unit.included:
            _expand_unit(model, by_folder, unit)
    for root in model.roots:
        given = {**_from_var_files(root, var_files, by_folder[root]), **tfvars.get(root, {})}
        scope = _scope(by_folder[root], root, given, {}, "")
        _expand(model, by_folder, root, root, scope, 0, frozenset({root}))
        for block in by_folder[root]:
            for backend in _backends(block):
                model.backends.append(Backend(root, *backend, block))
    return model


def _expand_unit(
    model: TerraformModel, by_folder: dict[str, list[Block]], unit: TerragruntUnit
) -> None:
    """A Terragrunt unit: its module, with the unit's inputs as the module's variables."""
    target = unit.local_target()
    if target is not None and target in by_folder:
        model.roots.append(unit.folder)
        scope = _scope(by_folder[target], target, {}, unit.inputs, "")
        _expand(model, by_folder, unit.folder, target, scope, 0, frozenset({target}))
        for block in by_folder[target]:
            for backend in _backends(block):
                model.backends.append(Backend(unit.folder, *backend, block))
    elif unit.source:
        line = unit.lines.get("source", 1)
        block = Block("module", (posixpath.basename(unit.folder),), unit.path, line, {})
        call = ModuleCall(block.labels[0], unit.source, None, unit.inputs, block, unit.folder)
        model.modules.append(call)
        model.resources.extend(expand_registry_module(call, ""))


def _from_var_files(
    root: str, var_files: list[tuple[str, dict[str, Any]]], blocks: list[Block]
) -> dict[str, Any]:
    """Values a ``-var-file`` under the root gives its variables: as a reader does, the
    first environment's file (by path) stands for how the root runs."""
    required = {b.labels[0] for b in blocks if b.kind == "variable" and b.labels}
    out: dict[str, Any] = {}
    for path, values in sorted(var_files):
        if root == "." or path.startswith(root + "/"):
            for name, value in values.items():
                if name in required:
                    out.setdefault(name, value)
    return out


def _local_target(folder: str, source: Any) -> str | None:
    if not isinstance(source, str) or not source.startswith(("./", "../")):
        return None
    return posixpath.normpath(posixpath.join(folder, source))


def _scope(
    blocks: list[Block], folder: str, tfvars: dict[str, Any], inputs: dict[str, Any], prefix: str
) -> Scope:
    variables: dict[str, Any] = {}
    local_values: dict[str, Any] = {}
    for block in blocks:
        if block.kind == "variable" and block.labels:
            if "default" in block.body:
                variables[block.labels[0]] = block.body["default"]
        elif block.kind == "locals":
            local_values.update(block.body)
    variables.update(tfvars)
    variables.update(inputs)
    return Scope(folder, variables, local_values, prefix)


def _expand(
    model: TerraformModel,
    by_folder: dict[str, list[Block]],
    root: str,
    folder: str,
    scope: Scope,
    depth: int,
    chain: frozenset[str],
) -> None:
    for block in by_folder.get(folder, []):
        if block.kind in ("resource", "data") and len(block.labels) == 2:
            type_, name = block.labels
            prefix = "data." if block.kind == "data" else ""
            address = f"{scope.prefix}{prefix}{type_}.{name}"
            for instance, each in _instances(scope, block):
                resource = Resource(
                    type_, name, each.resolve(block.body), block, address + instance, root
                )
                attrs = dict(_hoist_dynamic(resource.attrs))
                if instance:  # one instance of the for_each: it is one resource
                    attrs.pop("for_each", None)
                resource = replace(resource, attrs=attrs)
                if not _instantiated(resource.attrs):
                    continue  # count = 0 or an empty for_each: the code creates nothing
                (model.data if block.kind == "data" else model.resources).append(resource)
        elif block.kind == "module" and block.labels:
            for instance, each in _instances(scope, block):
                _call_module(model, by_folder, root, folder, each, block, instance, depth, chain)


def _call_module(
    model: TerraformModel,
    by_folder: dict[str, list[Block]],
    root: str,
    folder: str,
    scope: Scope,
    block: Block,
    instance: str,
    depth: int,
    chain: frozenset[str],
) -> None:
    inputs = scope.resolve(block.body)
    source = inputs.get("source")
    version = inputs.get("version")
    call = ModuleCall(
        block.labels[0] + instance,
        source if isinstance(source, str) else "",
        version if isinstance(version, str) else None,
        {k: v for k, v in inputs.items() if k not in ("source", "version", "for_each")},
        block,
        root,
    )
    if not _instantiated(inputs):
        return  # count = 0: the call creates nothing
    model.modules.append(call)
    target = _local_target(folder, source)
    if target is None:
        model.resources.extend(expand_registry_module(call, scope.prefix))
    elif target in by_folder and target not in chain and depth < MAX_MODULE_DEPTH:
        child = _scope(
            by_folder[target],
            target,
            {},
            call.inputs,
            f"{scope.prefix}module.{call.name}.",
        )
        _expand(model, by_folder, root, target, child, depth + 1, chain | {target})


MAX_INSTANCES = 20


def _instances(scope: Scope, block: Block) -> list[tuple[str, Scope]]:
    """One (address suffix, scope) per instance of a ``for_each`` over a map or set a
    reader can resolve, so ``each.value.x`` is read per instance; else the block once."""
    for_each = scope.resolve(block.body.get("for_each"))
    if isinstance(for_each, list) and all(isinstance(k, str) for k in for_each):
        for_each = {k: k for k in for_each}
    if not isinstance(for_each, dict) or not for_each or len(for_each) > MAX_INSTANCES:
        return [("", scope)]
    return [(f'["{key}"]', scope.for_each(key, value)) for key, value in for_each.items()]


def _hoist_dynamic(attrs: dict[str, Any]) -> dict[str, Any]:
    """``dynamic "x" { for_each, content }`` read as the block ``x`` it writes.

    A ``for_each`` known to be empty writes nothing; otherwise the content is kept,
    and the rules see its values (often expressions, so ``unknown``).
    """
    entries = attrs.get("dynamic")
    if not isinstance(entries, list):
        return attrs
    out = {k: v for k, v in attrs.items() if k != "dynamic"}
    for entry in entries:
        for name, body in entry.items() if isinstance(entry, dict) else ():
            body = first_block(body)
            for_each = body.get("for_each")
            if isinstance(for_each, (list, dict)) and not for_each:
                continue
            out.setdefault(name, [])
            if isinstance(out[name], list):
                out[name].append(first_block(body.get("content")))
    return out


def _instantiated(attrs: dict[str, Any]) -> bool:
    count = attrs.get("count")
    if count is False or (isinstance(count, int) and not isinstance(count, bool) and count <= 0):
        return False
    for_each = attrs.get("for_each")
    return not (isinstance(for_each, (list, dict)) and not for_each)


def _backends(block: Block) -> list[tuple[str, dict[str, Any]]]:
    if block.kind != "terraform":
        return []
    out: list[tuple[str, dict[str, Any]]] = []
    for entry in _as_list(block.body.get("backend")):
        if isinstance(entry, dict):
            for kind, body in entry.items():
                out.append((kind, body if isinstance(body, dict) else {}))
    cloud = block.body.get("cloud")
    if cloud is not None:
        out.append(("cloud", first_block(cloud)))
    return out


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
