"""Fixtures of the update scenarios: a repo fresh from `infraplan new`."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from scenario import make_repo

from infraplan.scaffold.render import File
from infraplan.spec.model import Spec


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """`infraplan new` of the scenarios' spec, in a folder that is not a git repo."""
    return make_repo(tmp_path)


@pytest.fixture(scope="session", autouse=True)
def _frozen_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One copy of the templates for the whole session.

    A scenario renders the same templates several times (new, update, the
    second update); a template edited meanwhile would read as an upgrade.
    """
    from infraplan.package_data import templates_root
    from infraplan.scaffold import repo as starter_repo

    copy = tmp_path_factory.mktemp("templates") / "cookiecutters"
    shutil.copytree(templates_root(), copy)
    render_code = starter_repo.render_code
    rendered: dict[str, list[File]] = {}

    def render_once(spec: Spec) -> list[File]:
        # Rendering is pure and the templates are frozen above: a spec renders to the same
        # files every time, so each distinct spec goes through cookiecutter once per run.
        key = spec.model_dump_json()
        if key not in rendered:
            rendered[key] = render_code(spec)
        return list(rendered[key])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("infraplan.scaffold.render.templates_root", lambda: copy)
        patch.setattr(starter_repo, "render_code", render_once)
        yield
