"""Find the files ``check`` reads, safely, in any repository.

Symlinked folders are followed once (a loop is walked at most once), VCS and
tool folders are skipped, and every file is read as bytes: deciding whether
the bytes are text is the reader's job, not the walker's.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

# Version control, tool caches holding copies of code (.terraform, .terragrunt-cache),
# and infraplan's own state (.infraplan: the manifest and merge bases).
SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".terraform",
        ".terragrunt-cache",
        ".infraplan",
        "node_modules",
        ".venv",
        "__pycache__",
        ".tox",
    }
)
WORKFLOW_DIR = ".github/workflows"
_DOCKERFILE = re.compile(r"^(Dockerfile|Containerfile)(\..+)?$|^.+\.(Dockerfile|dockerfile)$")


@dataclass
class RepoFiles:
    root: Path
    terraform: list[str] = field(default_factory=list)  # repo-relative POSIX paths
    tfvars: list[str] = field(default_factory=list)
    tfbackend: list[str] = field(default_factory=list)
    terragrunt: list[str] = field(default_factory=list)  # terragrunt.hcl and the .hcl it includes
    workflows: list[str] = field(default_factory=list)
    dockerfiles: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why)


def find_files(root: Path) -> RepoFiles:
    """Every file of interest under ``root``, sorted, with what was skipped and why."""
    found = RepoFiles(root)
    seen_dirs: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        try:
            stat = os.stat(dirpath)
        except OSError:
            dirnames[:] = []
            continue
        ident = (stat.st_dev, stat.st_ino)
        rel_dir = Path(dirpath).relative_to(root).as_posix()
        if ident in seen_dirs:
            found.skipped.append((rel_dir, "folder already walked (symlink loop)"))
            dirnames[:] = []
            continue
        seen_dirs.add(ident)
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in sorted(filenames):
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            _classify(found, rel, name, rel_dir)
    for bucket in (found.terraform, found.tfvars, found.terragrunt, found.workflows):
        bucket.sort()
    for bucket in (found.dockerfiles,):
        bucket.sort()
    return found


def _classify(found: RepoFiles, rel: str, name: str, rel_dir: str) -> None:
    if name.endswith(".tf"):
        found.terraform.append(rel)
    elif name.endswith(".tfvars"):
        found.tfvars.append(rel)
    elif name.endswith(".tfbackend"):
        found.tfbackend.append(rel)
    elif name.endswith(".hcl") and name != ".terraform.lock.hcl":
        found.terragrunt.append(rel)
    elif rel_dir == WORKFLOW_DIR and name.endswith((".yml", ".yaml")):
        found.workflows.append(rel)
    elif _DOCKERFILE.match(name):
        found.dockerfiles.append(rel)


MAX_BYTES = 5 * 1024 * 1024


def read_text(root: Path, rel: str) -> tuple[str | None, str | None]:
    """The file's text, or ``None`` and why it cannot be read as text."""
    path = root / rel
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, f"larger than {MAX_BYTES // (1024 * 1024)} MB; not read"
        data = path.read_bytes()
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror or exc})"
    return decode(data)


def decode(data: bytes) -> tuple[str | None, str | None]:
    if b"\0" in data[:8192]:
        return None, "binary file, not text"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 text (byte {exc.start})"
