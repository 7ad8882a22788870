"""Fixtures of the update scenarios: a repo fresh from `infraplan new`."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from scenario import make_repo


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

    copy = tmp_path_factory.mktemp("templates") / "cookiecutters"
    shutil.copytree(templates_root(), copy)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("infraplan.scaffold.render.templates_root", lambda: copy)
        yield
