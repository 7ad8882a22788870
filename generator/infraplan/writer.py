"""The one place that writes to the user's disk: atomically, and only inside the target."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from infraplan.errors import UserError


def write_file(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` atomically: a reader sees the old file or the new one."""
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UserError(f"{path}: folder {parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UserError(f"{path}: cannot be written ({exc.strerror})") from None
