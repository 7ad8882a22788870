"""What the Markdown importer learns while it reads, before the spec is settled."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from infraplan.catalogue import Lang
from infraplan.importers.common import Imported, Where
from infraplan.importers.textfile import SourceText
from infraplan.plan.words import WORDS


@dataclass
class State:
    source: SourceText
    imported: Imported
    lang: Lang
    placed: set[int] = field(default_factory=set)
    placeholder_lines: set[int] = field(default_factory=set)
    raw_id: tuple[str, Where] | None = None
    ecr_name: tuple[str, Where] | None = None
    estimate: tuple[str, Where] | None = None
    services: list[tuple[str, Where]] = field(default_factory=list)
    found_tasks: set[str] = field(default_factory=set)
    saw_phases: bool = False
    extra_counters: dict[int, int] = field(default_factory=dict)
    criterion_minutes: tuple[int, Where] | None = None
    environments: tuple[list[str], Where] | None = None
    approvals: set[str] = field(default_factory=set)
    # per environment: the sizing the plan's "Environments" line gives
    env_sizing: dict[str, dict[str, Any]] = field(default_factory=dict)
    sized_by_line: bool = False
    exec_envs: set[str] = field(default_factory=set)  # task 2.7's environments
    spot_envs: set[str] = field(default_factory=set)  # task 2.9's environments

    @property
    def words(self) -> Mapping[str, str]:
        return WORDS[self.lang]

    def evidence_service(self, name: str, where: Where) -> None:
        """A service name the text gives (a code span in a default sentence, the diagram)."""
        self.services.append((name.strip("`").strip(), where))
