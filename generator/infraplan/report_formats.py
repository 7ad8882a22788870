"""A Report as the user reads it: a rich table, JSON, SARIF or Markdown.

``check`` and ``verify`` both print through here. The text formats are pure
functions of the report; :func:`render_report` is the one place that prints.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from infraplan.catalogue import RULES
from infraplan.findings import Finding, ItemResult, Report

FORMATS: tuple[str, ...] = ("table", "json", "sarif", "markdown")

_STYLE = {
    "pass": "green",
    "fail": "bold red",
    "unknown": "yellow",
    "live": "cyan",
    "skipped": "dim",
}
_SARIF_LEVEL = {"fail": "error", "unknown": "warning"}
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def report_json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


def _split(evidence: str) -> tuple[str, int]:
    path, _, line = evidence.rpartition(":")
    if path and line.isdigit():
        return path, max(int(line), 1)
    return evidence, 1


def report_sarif(
    report: Report, *, plan_path: str = "plan.yaml", version: str = ""
) -> dict[str, Any]:
    """SARIF 2.1.0 for code scanning: one result per rule that fails or cannot be told."""
    summaries = {rule.id: rule.summary for rule in RULES}
    rule_ids = list(dict.fromkeys([*summaries, *(f.rule for f in report.rules)]))
    results = []
    for finding in report.rules:
        level = _SARIF_LEVEL.get(finding.status)
        if level is None:
            continue
        places = list(finding.evidence) or [f"{plan_path}:1"]
        results.append(
            {
                "ruleId": finding.rule,
                "ruleIndex": rule_ids.index(finding.rule),
                "level": level,
                "message": {"text": finding.reason or summaries.get(finding.rule, finding.rule)},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": path},
                            "region": {"startLine": line},
                        }
                    }
                    for path, line in map(_split, places)
                ],
            }
        )
    driver: dict[str, Any] = {
        "name": "infraplan",
        "rules": [
            {
                "id": rule_id,
                "shortDescription": {"text": summaries.get(rule_id, "a file that cannot be read")},
            }
            for rule_id in rule_ids
        ],
    }
    if version:
        driver["version"] = version
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _evidence(item: ItemResult, by_rule: dict[str, Finding]) -> list[str]:
    """The evidence of the rules that decided the item's status (all of them when it passes)."""
    findings = [by_rule[r] for r in item.rules if r in by_rule]
    deciding = [f for f in findings if f.status == item.status] or findings
    return [e for f in deciding for e in f.evidence]


def report_markdown(report: Report) -> str:
    by_rule = {f.rule: f for f in report.rules}
    lines = ["# infraplan check", ""]
    sections = (
        ("Tasks", report.tasks),
        ("Requirements", report.requirements),
        ("Acceptance criteria", report.criteria),
    )
    for title, items in sections:
        lines += [f"## {title}", "", "| item | status | evidence | text |", "|---|---|---|---|"]
        for item in items:
            evidence = ", ".join(f"`{e}`" for e in _evidence(item, by_rule)[:4])
            lines.append(f"| {item.id} | {item.status} | {_cell(evidence)} | {_cell(item.text)} |")
        lines.append("")
    lines += ["## Rules", "", "| rule | status | reason | evidence |", "|---|---|---|---|"]
    for finding in report.rules:
        evidence = ", ".join(f"`{e}`" for e in finding.evidence[:4])
        lines.append(
            f"| {finding.rule} | {finding.status} | {_cell(finding.reason)} | {_cell(evidence)} |"
        )
    lines += ["", "## Unplanned", ""]
    if report.unplanned:
        lines += [f"- `{u['address']}` ({', '.join(u['evidence'])})" for u in report.unplanned]
    else:
        lines.append("Every resource is accounted for by a task of the plan.")
    return "\n".join(lines) + "\n"


def _print_table(report: Report, title: str) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    by_rule = {f.rule: f for f in report.rules}
    table = Table(title=title, show_lines=False)
    for column in ("item", "status", "evidence", "reason"):
        table.add_column(column, overflow="fold")
    for item in [*report.tasks, *report.requirements, *report.criteria]:
        findings = [by_rule[r] for r in item.rules if r in by_rule]
        worst = [f for f in findings if f.status == item.status] or findings
        reason = "; ".join(dict.fromkeys(f.reason for f in worst if item.status != "pass"))
        style = _STYLE.get(item.status, "")
        table.add_row(
            escape(item.id),
            f"[{style}]{item.status}[/]",
            escape("\n".join(_evidence(item, by_rule)[:3])),
            escape(reason),
        )
    console.print(table)
    problems = [f for f in report.rules if f.status in ("fail", "unknown")]
    for finding in problems:
        where = f" ({finding.evidence[0]})" if finding.evidence else ""
        style = _STYLE[finding.status]
        console.print(
            f"[{style}]{finding.status}[/] {escape(finding.rule)}: "
            f"{escape(finding.reason)}{escape(where)}"
        )
    if report.unplanned:
        console.print(f"{len(report.unplanned)} resource(s) no planned task accounts for:")
        for entry in report.unplanned[:20]:
            console.print(f"  {escape(entry['address'])} ({escape(entry['evidence'][0])})")


def _print_text(text: str) -> None:
    import sys

    sys.stdout.write(text)
    sys.stdout.flush()


def render_report(report: Report, fmt: str, *, title: str = "Plan vs code") -> None:
    """Print ``report`` to stdout in ``fmt`` (one of :data:`FORMATS`); ``title`` heads
    the table."""
    from infraplan import __version__

    printers: dict[str, Callable[[], None]] = {
        "table": lambda: _print_table(report, title),
        "json": lambda: _print_text(report_json(report)),
        "sarif": lambda: _print_text(
            json.dumps(report_sarif(report, version=__version__), indent=2) + "\n"
        ),
        "markdown": lambda: _print_text(report_markdown(report)),
    }
    printers[fmt]()
