"""The plan a repository is held to, and where each of its values is written.

Without a ``plan.yaml`` nothing is imposed: the rules judge whether each
capability is there and report the values they find. With one, every value of
the plan (written in the file, or the default the rendered plan states) is a
promise the code must keep, and a finding that breaks it shows the plan's line
beside the code's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from infraplan import PLAN_FILE
from infraplan.findings import PlanUsed
from infraplan.spec.model import Spec


@dataclass(frozen=True)
class Stated:
    """A value the plan states, with its ``path:line`` in the plan file (the line of
    the nearest written key when the value is a default)."""

    value: Any
    where: str
    default: bool = False

    def said(self) -> str:
        from infraplan.check.verdicts import shown

        return (
            f"the plan's default is {shown(self.value)}"
            if self.default
            else (f"the plan says {shown(self.value)}")
        )


@dataclass
class PlanContext:
    spec: Spec
    given: bool  # False: no plan.yaml, ``spec`` is only the default plan's shape
    path: str = PLAN_FILE  # as shown in evidence
    doc: Any = None  # the YAML document, for line numbers
    given_as: str = ""  # the path as the user named it, for the report's "Plan:" line

    @classmethod
    def none(cls) -> PlanContext:
        from infraplan.check import default_plan

        return cls(default_plan(), False, "")

    @classmethod
    def of(cls, spec: Spec, path: str = PLAN_FILE, text: str | None = None) -> PlanContext:
        doc = None
        if text is not None:
            from ruamel.yaml import YAML

            try:
                doc = YAML(typ="rt").load(text)
            except Exception:  # the spec was validated from this text; lines are a bonus
                doc = None
        return cls(spec, True, path, doc)

    @property
    def used(self) -> PlanUsed:
        return PlanUsed(self.path, self.spec.plan_id, self.given_as) if self.given else PlanUsed()

    def stated(self, *loc: str, written: bool = False) -> Stated | None:
        """The plan's value at ``loc`` (``"service", "health_check_path"``); None
        without a plan, where nothing is imposed, and for a default when ``written``
        (a layout detail such as the CIDR is the plan's only when its author wrote it)."""
        if not self.given:
            return None
        node: Any = self.spec
        keys: list[str] = []
        default = False
        for key in loc:
            if not isinstance(node, BaseModel):
                return None
            if key in node.model_fields_set and not default:
                keys.append(key)
            else:
                default = True
            node = getattr(node, key)
        if default and written:
            return None
        return Stated(node, f"{self.path}:{self.line(*keys)}", default)

    def line(self, *loc: str | int) -> int:
        from infraplan.spec.load import locate

        if self.doc is None or not loc:
            return 1
        return locate(self.doc, loc)[0]
