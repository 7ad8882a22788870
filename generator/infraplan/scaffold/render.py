"""Render the starter repo in memory: spec in, files out, nothing touched on disk.

Each piece of the repo is a cookiecutter template under ``cookiecutters/``
whose single top folder, ``{{cookiecutter.project}}``, holds repo-relative
paths. infraplan renders each piece with cookiecutter into a private temporary
folder and reads the files back; :mod:`infraplan.scaffold.writer` is the one place
that writes to the user's disk. A file that renders to nothing but whitespace
is not part of the repo (that is how a template makes a file conditional).
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infraplan.package_data import templates_root
from infraplan.scaffold.context import template_context
from infraplan.spec.model import Spec

# Pieces rendered once for the repo, and pieces rendered once per environment.
REPO_PIECES: tuple[str, ...] = (
    "repo",
    "terraform-modules",
    "terraform-bootstrap",
    "github-actions",
    "docker",
    "runbooks",
)
ENV_PIECES: tuple[str, ...] = ("terraform-env",)


@dataclass(frozen=True)
class File:
    path: str  # POSIX, relative to the repo root
    content: bytes
    executable: bool = False


def piece_defaults(piece: str) -> dict[str, Any]:
    """The template's own ``cookiecutter.json`` (its standalone defaults)."""
    path = templates_root() / piece / "cookiecutter.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def render_piece(piece: str, context: dict[str, Any]) -> list[File]:
    """Render one template with ``context`` and return its files."""
    from cookiecutter.generate import generate_files

    template = templates_root() / piece
    defaults = piece_defaults(piece)
    values = {**defaults, **context}
    values["_template"] = str(template)
    with tempfile.TemporaryDirectory(prefix="infraplan-render-") as tmp:
        out = Path(
            generate_files(
                repo_dir=str(template),
                context={"cookiecutter": values},
                output_dir=tmp,
                overwrite_if_exists=True,
                accept_hooks=False,
            )
        )
        return _read_tree(out)


def _read_tree(root: Path) -> list[File]:
    files: list[File] = []
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        content = path.read_bytes()
        if not content.strip():
            continue
        rel = path.relative_to(root).as_posix()
        files.append(File(rel, content, bool(path.stat().st_mode & 0o111)))
    return files


def render_code(spec: Spec) -> list[File]:
    """Every template piece rendered for ``spec``: the code of the starter repo."""
    files: dict[str, File] = {}
    for piece in REPO_PIECES:
        for file in render_piece(piece, template_context(spec)):
            files[file.path] = file
    for piece in ENV_PIECES:
        for env in spec.environments:
            for file in render_piece(piece, template_context(spec, env.name)):
                files[file.path] = file
    return [files[path] for path in sorted(files)]
