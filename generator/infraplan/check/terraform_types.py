"""The shapes of the Terraform model: blocks with their lines, resources, module calls.

Kept apart from :mod:`infraplan.check.terraform_model` (which builds them) so that
:mod:`infraplan.check.registry_modules` can make resources without importing the
builder that calls it.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from infraplan.check.containers import ContainerDefinition


@dataclass(frozen=True)
class Block:
    """One top-level block of a ``.tf`` file, with its location."""

    kind: str
    labels: tuple[str, ...]
    path: str
    line: int
    body: dict[str, Any]
    keys: tuple[tuple[int, str], ...] = ()

    @property
    def folder(self) -> str:
        return posixpath.dirname(self.path) or "."

    def line_of(self, *keys: str) -> int:
        line = self.line
        for key in keys:
            found = next((n for n, k in self.keys if k == key and n > line), None)
            if found is None:
                return line
            line = found
        return line

    def where(self, *keys: str) -> str:
        return f"{self.path}:{self.line_of(*keys)}"


@dataclass(frozen=True)
class Resource:
    """A resource (or data lookup) as instantiated in one root, values resolved."""

    type: str
    name: str
    attrs: dict[str, Any]
    block: Block
    address: str
    root: str
    # Set for resources a registry module creates: attribute -> the module input that sets
    # it, so evidence points at the call's input (or the call itself).
    module_inputs: dict[str, str] | None = None

    def nested(self, name: str) -> dict[str, Any]:
        """The body of the nested block ``name`` (the first, when written several times)."""
        return first_block(self.attrs.get(name))

    def containers(self) -> list[ContainerDefinition]:
        """The containers of a task definition (or of a service a module makes)."""
        from infraplan.check.containers import container_definitions

        return container_definitions(self.attrs.get("container_definitions"))

    def nested_all(self, name: str) -> list[dict[str, Any]]:
        """Every body of the nested block ``name``."""
        value = self.attrs.get(name)
        items = value if isinstance(value, list) else [value]
        return [i for i in items if isinstance(i, dict)]

    @property
    def module_path(self) -> str:
        """The module path of the address (``module.stack.module.ecs.``; "" at the root):
        a reference such as ``aws_sns_topic.alarms`` names a resource of the same path."""
        cut = self.address.find(f"{self.type}.{self.name}")
        return self.address[: max(cut, 0)].removesuffix("data.")

    def where(self, *keys: str) -> str:
        if self.module_inputs is None:
            return self.block.where(*keys)
        if keys and keys[0] in self.module_inputs:
            return self.block.where(self.module_inputs[keys[0]])
        return self.block.where()


@dataclass(frozen=True)
class ModuleCall:
    name: str
    source: str
    version: str | None
    inputs: dict[str, Any]
    block: Block
    root: str


@dataclass(frozen=True)
class Backend:
    """Where a root keeps its state: ``kind`` (s3, local, cloud...) and its settings."""

    root: str
    kind: str
    body: dict[str, Any]
    block: Block


def first_block(value: Any) -> dict[str, Any]:
    """A nested block's body: hcl2 gives blocks as a list of mappings."""
    if isinstance(value, list):
        value = value[0] if value else {}
    return value if isinstance(value, dict) else {}


def is_expression(value: Any) -> bool:
    """True when ``value`` still holds something only ``terraform plan`` could know."""
    return isinstance(value, str) and "${" in value
