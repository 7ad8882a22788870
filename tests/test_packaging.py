"""The wheel carries the templates and data, and finds them when installed."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("infraplan-*.whl")
    return found


def test_wheel_holds_templates_and_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = sorted(p for p in (ROOT / "cookiecutters").rglob("*") if p.is_file())
    assert templates
    for path in templates:
        rel = path.relative_to(ROOT / "cookiecutters").as_posix()
        assert f"infraplan/_cookiecutters/{rel}" in names, rel
    for path in sorted((ROOT / "generator" / "infraplan" / "data").glob("*")):
        assert f"infraplan/data/{path.name}" in names
    assert not [n for n in names if n.startswith("tests/")]


def test_installed_wheel_renders_from_its_own_templates(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "import infraplan.package_data as r\n"
        "assert r.templates_root().is_relative_to(sys.argv[1]), r.templates_root()\n"
        "from infraplan.cli import main\n"
        "raise SystemExit(main(['plan', sys.argv[2]]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(site), str(EXAMPLES / "checkout" / "plan.yaml")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "Tarea 1.1" in done.stdout
