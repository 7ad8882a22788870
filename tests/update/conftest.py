"""Fixtures of the update scenarios: a simulated template upgrade; stand-ins for missing pieces."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from infraplan.catalogue import expand_files, tasks_for
from infraplan.render import File
from infraplan.spec import Spec

TemplatePatch = Callable[[Callable[[Spec], list[File]]], None]


@pytest.fixture
def upgrade_templates(monkeypatch: pytest.MonkeyPatch) -> Iterator[TemplatePatch]:
    """Swap in a new infraplan: wrap what the templates render (a changed template)."""

    def install(change: Callable[[Spec], list[File]]) -> None:
        monkeypatch.setattr("infraplan.starter_repo.render_code", change)

    yield install


@pytest.fixture(autouse=True)
def _every_piece(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stand in for files whose template piece is not in the tree yet; a no-op once it is."""
    from infraplan.render import render_code as real


    def render(spec: Spec) -> list[File]:
        files = list(real(spec))
        have = {f.path for f in files}
        for task in tasks_for(spec):
            for entry in expand_files(task, spec):
                if entry.endswith("/") and any(p.startswith(entry) for p in have):
                    continue
                path = f"{entry}README.md" if entry.endswith("/") else entry
                if path not in have:
                    files.append(File(path, f"# {path}\n\nstand-in\n".encode()))
                    have.add(path)
        return sorted(files, key=lambda f: f.path)

    monkeypatch.setattr("infraplan.starter_repo.render_code", render)
