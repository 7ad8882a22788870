"""Render one template piece for a spec, as ``infraplan new`` does, for tests."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from infraplan.scaffold.context import template_context
from infraplan.scaffold.render import piece_defaults, render_piece
from infraplan.spec.load import parse_spec
from infraplan.spec.model import Spec

# The spec each template's cookiecutter.json defaults are taken from.
DEFAULTS_SPEC: dict[str, Any] = {
    "project": "checkout",
    "ci": {"repository": "acme/checkout"},
    "secrets": ["DATABASE_URL"],
}

ADVERSARIAL_TITLE = (
    "Pay ${{ secrets.AWS_SECRET }} \"quoted\" 'single' {{ cookiecutter.project }}\n"
    "line two ${{ github.token }} ${ HOME } %{ x } ${{ '${{' }} }} \\ `tick` # hash: colon"
)


def spec_text(**overrides: Any) -> str:
    """A plan.yaml (JSON is YAML) from the defaults spec and ``overrides``."""
    data = json.loads(json.dumps(DEFAULTS_SPEC))
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return json.dumps(data)


def load(**overrides: Any) -> Spec:
    """The spec with ``overrides``; a ``title`` is set as is, whatever characters it holds.

    (Through YAML text, a title would first have to survive the spec file's own
    quoting; here it reaches the templates exactly.)
    """
    title = overrides.pop("title", None)
    spec = parse_spec(spec_text(**overrides))
    return spec if title is None else spec.model_copy(update={"title": title})


def render(piece: str, **overrides: Any) -> dict[str, str]:
    """The files of ``piece`` rendered for the spec, by repo-relative path."""
    context = template_context(load(**overrides))
    return {f.path: f.content.decode("utf-8") for f in render_piece(piece, context)}


def write(files: dict[str, str], root: Path) -> list[Path]:
    paths = []
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def load_workflow(text: str) -> dict[str, Any]:
    """A workflow parsed as GitHub reads it: YAML 1.2, so ``on`` is a key, not True."""
    from ruamel.yaml import YAML

    data = YAML(typ="safe", pure=True).load(text)
    assert isinstance(data, dict), "a workflow is a mapping"
    return data


# --- each piece works with plain cookiecutter ---------------------------------------

TEMPLATES = Path(__file__).resolve().parents[2] / "cookiecutters"
_SETTINGS = ("_extensions", "_jinja2_env_vars")


def defaults_mismatch(piece: str) -> dict[str, tuple[Any, Any]]:
    """Keys whose cookiecutter.json default differs from the defaults spec's context."""
    defaults = piece_defaults(piece)
    context = template_context(parse_spec(spec_text()))
    return {
        key: (value, context.get(key, "<not in the context>"))
        for key, value in defaults.items()
        if key not in _SETTINGS and value != context.get(key)
    }


def unlisted_keys(piece: str) -> set[str]:
    """Context keys a template of ``piece`` uses that its cookiecutter.json does not list."""
    used: set[str] = set()
    for path in (TEMPLATES / piece).rglob("*"):
        if path.name == "cookiecutter.json":
            continue
        text = path.relative_to(TEMPLATES).as_posix()  # folder and file names are templates too
        if path.is_file():
            text += "\n" + path.read_text("utf-8")
        used |= set(re.findall(r"cookiecutter\.(\w+)", text))
    return used - set(piece_defaults(piece))


def run_plain_cookiecutter(piece: str, out: Path) -> Path:
    """``cookiecutter --no-input`` on ``piece`` (hooks on); returns the project folder."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "cookiecutter",
            "--no-input",
            "-o",
            str(out),
            str(TEMPLATES / piece),
        ],
        check=True,
        capture_output=True,
    )
    return out / DEFAULTS_SPEC["project"]
