"""A Report as the user reads it: a rich table, JSON, SARIF or Markdown.

``check`` and ``verify`` both print through here. The text formats are pure
functions of the report; :func:`render_report` is the one place that prints.
Every format says which plan the report holds the code to (or that there was
none), gives each item its reason and evidence, and keeps advice apart from
verdicts: advice never fails an item.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from infraplan import PLAN_FILE
from infraplan.catalogue import RULES
from infraplan.findings import Advice, Finding, ItemResult, Report
from infraplan.formats import REPORT_FORMATS, check_format

STATUSES = ("pass", "fail", "unknown", "live", "skipped")

_STYLE = {
    "pass": "green",
    "fail": "bold red",
    "unknown": "yellow",
    "live": "cyan",
    "skipped": "dim",
}
# Verdicts: a failure is an error, what cannot be told a warning; advice keeps its level.
_SARIF_LEVEL = {"fail": "error", "unknown": "warning"}
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SHOWN_EVIDENCE = 4


def report_json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


def _split(evidence: str) -> tuple[str, int]:
    path, _, line = evidence.rpartition(":")
    if path and line.isdigit():
        return path, max(int(line), 1)
    return evidence, 1


def _location(evidence: str) -> dict[str, Any]:
    path, line = _split(evidence)
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": path},
            "region": {"startLine": line},
        }
    }


def _sarif_result(
    rule: str, index: int, level: str, text: str, places: list[str]
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": rule,
        "ruleIndex": index,
        "level": level,
        "message": {"text": text},
        "locations": [_location(places[0])],
    }
    if len(places) > 1:
        result["relatedLocations"] = [
            {"id": n, **_location(p)} for n, p in enumerate(places[1:], start=1)
        ]
    return result


def report_sarif(
    report: Report, *, plan_path: str = PLAN_FILE, version: str = ""
) -> dict[str, Any]:
    """SARIF 2.1.0 for code scanning: a result per rule that fails (error) or cannot be
    told (warning) at the line that decided it, and one per piece of advice."""
    rules = {rule.id: rule for rule in RULES}
    if report.plan is not None and report.plan.path:
        plan_path = report.plan.path
    rule_ids = list(dict.fromkeys([*rules, *(f.rule for f in report.rules)]))
    results = []
    for finding in report.rules:
        index = rule_ids.index(finding.rule)
        level = _SARIF_LEVEL.get(finding.status)
        if level is not None:
            deciding = finding.deciding or f"{plan_path}:1"
            others = [e for e in finding.evidence if e != deciding]
            text = finding.reason or finding.rule
            results.append(_sarif_result(finding.rule, index, level, text, [deciding, *others]))
        for advice in finding.advice:
            places = list(advice.evidence) or list(finding.evidence) or [f"{plan_path}:1"]
            results.append(_sarif_result(finding.rule, index, advice.level, advice.text, places))
    descriptors = []
    for rule_id in rule_ids:
        rule = rules.get(rule_id)
        descriptor: dict[str, Any] = {
            "id": rule_id,
            "shortDescription": {
                "text": rule.summary["en"] if rule else _OTHER.get(rule_id, rule_id)
            },
        }
        if rule:
            descriptor["help"] = {"text": rule.advice}
        descriptors.append(descriptor)
    driver: dict[str, Any] = {"name": "infraplan", "rules": descriptors}
    if version:
        driver["version"] = version
    run: dict[str, Any] = {"tool": {"driver": driver}, "results": results}
    if report.plan is not None:
        run["properties"] = {"plan": report.plan.to_dict()}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


_OTHER = {
    "parse": "a file that cannot be read",
    "conflict": "a file left with merge conflict markers",
}


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _deciding(item: ItemResult, by_rule: dict[str, Finding]) -> list[Finding]:
    """The findings that decided the item's status (all of them when it passes)."""
    findings = [by_rule[r] for r in item.rules if r in by_rule]
    return [f for f in findings if f.status == item.status] or findings


def _evidence(item: ItemResult, by_rule: dict[str, Finding]) -> list[str]:
    found = [e for f in _deciding(item, by_rule) for e in (f.decided_at, *f.evidence) if e]
    return list(dict.fromkeys(found))


def _reason(item: ItemResult, by_rule: dict[str, Finding]) -> str:
    if item.reason:
        return item.reason
    if item.status == "live" and not item.reason:
        static = "; ".join(dict.fromkeys(f.reason for f in _deciding(item, by_rule) if f.reason))
        return f"needs a live account (infraplan verify){'; ' + static if static else ''}"
    return "; ".join(dict.fromkeys(f.reason for f in _deciding(item, by_rule) if f.reason))


def shorten(places: list[str], limit: int = SHOWN_EVIDENCE) -> list[str]:
    """Every place up to ``limit``, then "and N more"; a path is never cut."""
    if len(places) <= limit:
        return places
    return [*places[: limit - 1], f"and {len(places) - limit + 1} more"]


def _counts(items: Iterable[Any]) -> str:
    counts: dict[str, int] = {}
    for item in items:
        counts[item.status] = counts.get(item.status, 0) + 1
    return ", ".join(f"{counts[s]} {s}" for s in STATUSES if s in counts) or "none"


def summary_line(report: Report) -> str:
    advice = sum(len(f.advice) for f in report.rules)
    parts = [
        f"{len(report.tasks)} tasks ({_counts(report.tasks)})",
        f"{len(report.requirements)} requirements ({_counts(report.requirements)})",
        f"{len(report.criteria)} criteria ({_counts(report.criteria)})",
        f"{len(report.rules)} rules ({_counts(report.rules)})",
    ]
    if not report.tasks and not report.requirements:
        parts = parts[3:]
    line = "; ".join(parts)
    if advice:
        line += f"; {advice} advice"
    return line


def _advice(report: Report) -> list[tuple[str, Advice]]:
    return [(f.rule, a) for f in report.rules for a in f.advice]


def report_markdown(report: Report) -> str:
    by_rule = {f.rule: f for f in report.rules}
    lines = ["# infraplan check", ""]
    if report.plan is not None:
        lines += [f"Plan: {_cell(report.plan.describe())}", ""]
    lines += [f"Summary: {summary_line(report)}", ""]
    sections = (
        ("Tasks", report.tasks),
        ("Requirements", report.requirements),
        ("Acceptance criteria", report.criteria),
    )
    for title, items in sections:
        lines += [
            f"## {title}",
            "",
            "| item | status | evidence | text | reason |",
            "|---|---|---|---|---|",
        ]
        for item in items:
            evidence = ", ".join(f"`{e}`" for e in shorten(_evidence(item, by_rule)))
            reason = _reason(item, by_rule)
            lines.append(
                f"| {_cell(item.label)} | {item.status} | {_cell(evidence)} | {_cell(item.text)} "
                f"| {_cell(reason)} |"
            )
        lines.append("")
    lines += ["## Rules", "", "| rule | status | reason | evidence |", "|---|---|---|---|"]
    for finding in report.rules:
        evidence = ", ".join(f"`{e}`" for e in shorten(list(finding.evidence)))
        lines.append(
            f"| {finding.rule} | {finding.status} | {_cell(finding.reason)} | {_cell(evidence)} |"
        )
    advice = _advice(report)
    if advice:
        lines += ["", "## Advice (never fails a task)", ""]
        for rule, tip in advice:
            where = ", ".join(f"`{e}`" for e in shorten(list(tip.evidence)))
            lines.append(f"- {tip.level} ({rule}): {_cell(tip.text)} {where}".rstrip())
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
    if not console.is_terminal:
        # A pipe or a file: never wrap or cut a path; each row is as wide as it needs.
        console = Console(width=100_000, no_color=True, soft_wrap=True)
    by_rule = {f.rule: f for f in report.rules}
    if report.plan is not None:
        console.print(f"Plan: {escape(report.plan.describe())}")
    table = Table(title=title, show_lines=console.is_terminal)
    for column in ("item", "status", "text", "evidence", "reason"):
        wrap = console.is_terminal and column in ("text", "reason")
        table.add_column(column, overflow="fold", no_wrap=not wrap)
    for item in [*report.tasks, *report.requirements, *report.criteria]:
        style = _STYLE.get(item.status, "")
        table.add_row(
            escape(item.label),
            f"[{style}]{item.status}[/]",
            escape(item.text),
            escape("\n".join(shorten(_evidence(item, by_rule)))),
            escape(_reason(item, by_rule)),
        )
    console.print(table)
    problems = [f for f in report.rules if f.status in ("fail", "unknown")]
    for finding in problems:
        where = f" ({finding.deciding})" if finding.deciding else ""
        if finding.deciding in finding.reason:  # a plan conflict names the plan's line itself
            where = ""
        console.print(
            f"[{_STYLE[finding.status]}]{finding.status}[/] {escape(finding.rule)}: "
            f"{escape(finding.reason)}{escape(where)}"
        )
    advice = _advice(report)
    if advice:
        console.print("Advice (never fails a task):")
        for rule, tip in advice:
            where = ", ".join(shorten(list(tip.evidence)))
            console.print(f"  {tip.level} {escape(rule)}: {escape(tip.text)} ({escape(where)})")
    if report.unplanned:
        console.print(f"{len(report.unplanned)} resource(s) no planned task accounts for:")
        for entry in report.unplanned[:20]:
            console.print(f"  {escape(entry['address'])} ({escape(entry['evidence'][0])})")
    if report.plan is not None:  # verify prints its own summary
        console.print(escape(summary_line(report)))


def _print_text(text: str) -> None:
    import sys

    sys.stdout.write(text)
    sys.stdout.flush()


def render_report(report: Report, fmt: str, *, title: str = "Plan vs code") -> None:
    """Print ``report`` to stdout in ``fmt`` (one of ``REPORT_FORMATS``); ``title`` heads
    the table."""
    from infraplan import __version__

    check_format(fmt, REPORT_FORMATS)

    printers: dict[str, Callable[[], None]] = {
        "table": lambda: _print_table(report, title),
        "json": lambda: _print_text(report_json(report)),
        "sarif": lambda: _print_text(
            json.dumps(report_sarif(report, version=__version__), indent=2) + "\n"
        ),
        "markdown": lambda: _print_text(report_markdown(report)),
    }
    printers[fmt]()
