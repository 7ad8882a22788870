"""How a verify report is printed: through ``check``'s formats, with where it was asked.

JSON adds a ``verify`` object (environment, region, account) to the shared
report shape; SARIF describes verify's own rules; Markdown gets its own title.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from infraplan.formats import REPORT_FORMATS, check_format
from infraplan.report_formats import render_report, report_markdown, report_sarif
from infraplan.verify.rules import LIVE_RULES
from infraplan.verify.run import VerifyReport


def where(result: VerifyReport) -> str:
    account = f"account {result.account}" if result.account else "account unknown"
    return f"environment {result.env}, region {result.region}, {account}"


def verify_json(result: VerifyReport) -> str:
    data = {"verify": {"env": result.env, "region": result.region, "account": result.account}}
    return json.dumps({**data, **result.report.to_dict()}, indent=2, ensure_ascii=False) + "\n"


def verify_sarif(result: VerifyReport, version: str = "") -> dict[str, Any]:
    sarif = report_sarif(result.report, version=version)
    summaries = {rule.id: rule.summary["en"] for rule in LIVE_RULES}
    for rule in sarif["runs"][0]["tool"]["driver"]["rules"]:
        if rule["id"] in summaries:
            rule["shortDescription"] = {"text": summaries[rule["id"]]}
    return sarif


def verify_markdown(result: VerifyReport) -> str:
    body = report_markdown(result.report)
    title, _, rest = body.partition("\n")
    del title
    return f"# infraplan verify: {where(result)}\n{rest}"


def print_report(result: VerifyReport, fmt: str) -> None:
    """Print ``result`` to stdout in ``fmt``."""
    check_format(fmt, REPORT_FORMATS)
    if fmt == "table":
        sys.stdout.write(f"infraplan verify: {where(result)}\n")
        sys.stdout.flush()
        render_report(result.report, "table", title="Plan vs AWS")
        counts: dict[str, int] = {}
        for finding in result.report.rules:
            counts[finding.status] = counts.get(finding.status, 0) + 1
        summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        sys.stdout.write(f"{len(result.report.rules)} live rules: {summary}\n")
    elif fmt == "json":
        sys.stdout.write(verify_json(result))
    elif fmt == "sarif":
        from infraplan import __version__

        sys.stdout.write(json.dumps(verify_sarif(result, __version__), indent=2) + "\n")
    else:
        sys.stdout.write(verify_markdown(result))
