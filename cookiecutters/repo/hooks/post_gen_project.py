"""Drop files that rendered to nothing (a template made them conditional).

infraplan renders with hooks off and drops such files itself; this hook gives
plain ``cookiecutter`` the same result.
"""

from pathlib import Path

for path in sorted(Path.cwd().rglob("*"), reverse=True):
    if path.is_file() and not path.read_bytes().strip():
        path.unlink()
