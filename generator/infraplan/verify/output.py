"""How a verify report is printed.

The shared formats of ``check`` (``infraplan.report_formats``) are used when
they exist; until then a plain table and JSON serve.
"""

from __future__ import annotations

import importlib
import json
from typing import Any

from infraplan.errors import UserError
from infraplan.verify.run import VerifyReport

FORMATS = ("table", "json", "sarif", "markdown")
_OWN_FORMATS = ("table", "json")


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise UserError(
            f"--format: {fmt!r} is not an output format", hint=f"accepted: {', '.join(FORMATS)}"
        )


def render_report(result: VerifyReport, fmt: str) -> str:
    shared = _shared_renderer(fmt)
    if shared is not None:
        return shared
    if fmt == "json":
        return json.dumps(result.to_dict(), indent=2, ensure_ascii=False)
    if fmt not in _OWN_FORMATS:
        raise UserError(
            f"--format {fmt} is not available yet for verify", hint="use --format table or json"
        )
    return render_table(result)


def _shared_renderer(fmt: str) -> str | None:
    # Placeholder seam: wired to infraplan.report_formats once its API is settled.
    del fmt
    return None


def shared_formats_available() -> bool:
    try:
        importlib.import_module("infraplan.report_formats")
    except ImportError:
        return False
    return True


def render_table(result: VerifyReport) -> str:
    account = result.account or "unknown account"
    lines = [f"verify {result.env} in {result.region} ({account})", ""]
    width = max((len(f.rule) for f in result.report.rules), default=10)
    for finding in result.report.rules:
        lines.append(f"{finding.status.upper():8} {finding.rule:{width}}  {finding.reason}")
        lines.extend(f"{'':8} {'':{width}}  - {e}" for e in finding.evidence)
    items: list[Any] = [*result.report.tasks, *result.report.criteria]
    if items:
        lines.append("")
        lines.extend(f"{i.status.upper():8} {i.id:5} {i.text}" for i in items)
    counts: dict[str, int] = {}
    for finding in result.report.rules:
        counts[finding.status] = counts.get(finding.status, 0) + 1
    lines.append("")
    lines.append(", ".join(f"{n} {s}" for s, n in sorted(counts.items())))
    return "\n".join(lines)
