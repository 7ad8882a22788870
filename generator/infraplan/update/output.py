"""``update --format json``: what update did (or, with --dry-run/--check, would do), as one
JSON object on standard output for scripts and CI."""

from __future__ import annotations

import json
from typing import Any

from infraplan.update.changes import Outcome
from infraplan.update.pending import PendingUpdate


def update_json(pending: PendingUpdate, *, written: bool) -> str:
    data: dict[str, Any] = {
        "root": str(pending.root),
        "written": written,
        "behind": pending.behind,
        "from_version": pending.from_version,
        "to_version": pending.to_version,
        "spec_changed": pending.spec_changed,
        "files": [
            {"path": c.path, "outcome": c.outcome.value, "conflicts": c.conflicts, "note": c.note}
            for c in pending.files.changes
            if c.outcome is not Outcome.UNCHANGED
        ],
        "conflicts": [c.path for c in pending.conflicts],
        "unresolved": list(pending.files.unresolved),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
