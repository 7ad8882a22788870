"""Where infraplan's shipped files are, from a checkout or from an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def templates_root() -> Path:
    """The folder holding the cookiecutter templates.

    A wheel carries them inside the package (``infraplan/_cookiecutters``); a
    checkout (editable install, tests) has them at the top level.
    """
    for candidate in (_PACKAGE / "_cookiecutters", _PACKAGE.parent.parent / "cookiecutters"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("infraplan's templates are missing; reinstall infraplan")


def package_data(name: str) -> Path:
    return _PACKAGE / "data" / name
