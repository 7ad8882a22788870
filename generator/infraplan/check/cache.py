"""A cache of parsed files, keyed by their content.

Parsing Terraform is the slow part of ``check``; a file whose bytes did not
change parses to the same data, so the parsed form is stored under the hash of
(parser version, data format, file kind, bytes). Entries are never invalidated,
only orphaned: deleting the folder is always safe.

The folder is ``$INFRAPLAN_CACHE_DIR`` when set, else ``infraplan/check`` under
the user cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``), so a repository's
working tree is never touched.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def default_cache_dir() -> Path:
    explicit = os.environ.get("INFRAPLAN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "infraplan" / "check"


def content_key(kind: str, data: bytes, salt: str) -> str:
    digest = hashlib.sha256()
    digest.update(f"{salt}\0{kind}\0".encode())
    digest.update(data)
    return digest.hexdigest()


class ParseCache:
    """Parsed data by content key; a missing or unwritable folder is just a cold cache."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        if self.folder is None:
            return None
        try:
            with open(self._path(key), encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def put(self, key: str, value: dict[str, Any]) -> None:
        if self.folder is None:
            return
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Write then rename, so a reader never sees half a file.
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(value, handle, separators=(",", ":"))
            os.replace(tmp, path)
        except OSError:
            return
