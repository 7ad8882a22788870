"""What the user sees: the command's exit codes, JSON, SARIF, Markdown, the table, --tick."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infraplan.check import check_repository
from infraplan.check.command import run_check_command
from infraplan.errors import SpecError, UserError
from infraplan.findings import Finding, ItemResult, Report
from infraplan.plan.markdown import render_plan
from infraplan.plan.tick import checkbox_state, tick_plan
from infraplan.report_formats import report_markdown, report_sarif

from .check_support import FIXTURES, plan


@pytest.fixture(scope="module")
def traps_report() -> Report:
    from infraplan.spec.load import load_spec

    root = FIXTURES / "handwritten_traps"
    return check_repository(root, load_spec(root / "plan.yaml").spec, use_cache=False)


def _run(capsys: pytest.CaptureFixture[str], directory: Path, **kwargs: object) -> tuple[int, str]:
    options: dict[str, object] = {"plan": None, "fmt": "json", "tick": None, "use_cache": False}
    options.update(kwargs)
    code = run_check_command(directory, **options)  # type: ignore[arg-type]
    return code, capsys.readouterr().out


def test_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, FIXTURES / "handwritten_good")[0] == 0
    assert _run(capsys, FIXTURES / "handwritten_traps")[0] == 1


def test_bad_input_raises_user_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(UserError):
        _run(capsys, tmp_path / "missing")
    with pytest.raises(UserError):
        _run(capsys, tmp_path, fmt="xml")
    with pytest.raises(UserError):
        _run(capsys, tmp_path, plan=tmp_path / "nope.yaml")
    (tmp_path / "plan.yaml").write_text("project: Not A Slug\n", encoding="utf-8")
    with pytest.raises(SpecError):
        _run(capsys, tmp_path)


def test_json_is_the_product_object(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(capsys, FIXTURES / "handwritten_traps")
    data = json.loads(out)
    assert code == 1
    assert set(data) == {"plan", "rules", "tasks", "requirements", "criteria", "unplanned"}
    rule = next(r for r in data["rules"] if r["id"] == "circuit_breaker_rollback")
    assert rule == {
        "id": "circuit_breaker_rollback",
        "status": "fail",
        "evidence": ["infra/ecs.tf:33"],
        "reason": "aws_ecs_service.shop: deployment circuit breaker has rollback = false",
    }
    task = next(t for t in data["tasks"] if t["id"] == "3.1")
    assert task["status"] == "fail" and task["rules"] == ["secrets_manager"]
    r2 = next(r for r in data["requirements"] if r["id"] == "R2")
    assert r2["live"] is True


def test_sarif(traps_report: Report) -> None:
    sarif = report_sarif(traps_report, version="9.9")
    assert sarif["version"] == "2.1.0"
    (run,) = sarif["runs"]
    ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert "circuit_breaker_rollback" in ids and run["tool"]["driver"]["version"] == "9.9"
    results = {r["ruleId"]: r for r in run["results"]}
    breaker = results["circuit_breaker_rollback"]
    assert breaker["level"] == "error"
    assert breaker["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "infra/ecs.tf"},
        "region": {"startLine": 33},
    }
    assert results["gha_deploy_ecs"]["level"] == "warning"
    assert "alarm_5xx" not in results  # passing rules are not results
    # A value of the plan the code contradicts: the plan's line decides, the code is related.
    health = results["alb_health_check"]
    assert health["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "plan.yaml"}
    related = health["relatedLocations"][0]["physicalLocation"]
    assert related == {"artifactLocation": {"uri": "infra/ecs.tf"}, "region": {"startLine": 37}}
    # Advice keeps its own level and never an error.
    advice = [r for r in run["results"] if r["ruleId"] in ("dockerfile", "s3_backend")]
    assert {r["level"] for r in advice} == {"warning", "note"}
    assert all(r["level"] != "error" for r in advice)
    assert all(ids[r["ruleIndex"]] == r["ruleId"] for r in run["results"])
    # A failure with nothing to point at is placed on the plan.
    assert results["gha_rollback"]["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "plan.yaml"
    }


def test_markdown_and_table(traps_report: Report, capsys: pytest.CaptureFixture[str]) -> None:
    text = report_markdown(traps_report)
    assert "| 3.1 | fail | `infra/ecs.tf:11` |" in text
    assert "## Advice (never fails a task)" in text and "runs as root" in text
    # the default plan: staging on Fargate Spot adds task 2.9, autoscaling 1.4 (12 before)
    assert "Summary: 14 tasks (" in text
    assert "`aws_route53_record.shop`" in text
    code, out = _run(capsys, FIXTURES / "handwritten_traps", fmt="table")
    assert code == 1
    assert "rollback = false" in out and "1.1" in out
    # Not a terminal: one line per row, no path cut, every row with a reason, a summary.
    # task 2.6 is the fifth of its phase (no previews): named as PLAN.md shows it
    row = next(line for line in out.splitlines() if line.startswith("│ 2.5 (id 2.6) "))
    assert "infra/ecs.tf:33" in row and "no workflow redeploys" in row
    assert "…" not in out
    assert out.rstrip().splitlines()[-1].startswith("14 tasks (")
    assert "Advice (never fails a task):" in out
    code, out = _run(capsys, FIXTURES / "handwritten_traps", fmt="markdown")
    assert out.startswith("# infraplan check")
    code, out = _run(capsys, FIXTURES / "handwritten_traps", fmt="sarif")
    assert json.loads(out)["runs"][0]["results"]


def _report(tasks: dict[str, str], criteria: list[tuple[str, str]]) -> Report:
    return Report(
        rules=[Finding("vpc", "pass")],
        tasks=[ItemResult(i, s, ()) for i, s in tasks.items()],  # type: ignore[arg-type]
        criteria=[ItemResult(f"AC{n}", s, (), text) for n, (s, text) in enumerate(criteria, 1)],  # type: ignore[arg-type]
    )


def test_tick_sets_boxes_and_keeps_every_other_byte() -> None:
    text = (
        "# Plan\r\n- [ ] Tarea 1.1: red\r\n  - [x] Tarea 1.2: ya hecha\r\n"
        "* [ ] Task 2.1: english\r\n- [ ] Tarea 9.9: user task\r\n"
        "### Criterios de Aceptación (Definition of Done)\r\n"
        "- [ ] Second **criterion**.\r\n- [x] First criterion\r\n- [ ] third\r\n"
        "### Otra sección\r\n- [ ] not a criterion\r\n"
    )
    report = _report(
        {"1.1": "pass", "1.2": "fail", "2.1": "unknown"},
        [("fail", "First criterion."), ("pass", "Second criterion."), ("live", "Third")],
    )
    ticked = tick_plan(text, report)
    assert ticked == (
        "# Plan\r\n- [x] Tarea 1.1: red\r\n  - [ ] Tarea 1.2: ya hecha\r\n"
        "* [ ] Task 2.1: english\r\n- [ ] Tarea 9.9: user task\r\n"
        "### Criterios de Aceptación (Definition of Done)\r\n"
        "- [x] Second **criterion**.\r\n- [ ] First criterion\r\n- [ ] third\r\n"
        "### Otra sección\r\n- [ ] not a criterion\r\n"
    )
    assert tick_plan(ticked, report) == ticked


@pytest.mark.parametrize("lang", ["es", "en"])
def test_tick_the_rendered_plan(
    lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "handwritten_good", root)
    spec = plan(f"language: {lang}\nrequirements: {{monthly_budget_usd: 400}}\n")
    markdown = render_plan(spec)
    plan_md = tmp_path / "PLAN.md"
    plan_md.write_bytes(markdown.encode("utf-8"))
    (tmp_path / "plan.yaml").write_text(
        f"project: plan\nci: {{repository: owner/repo}}\nlanguage: {lang}\n"
        "requirements: {monthly_budget_usd: 400}\n",  # fits the estimate of two environments
        encoding="utf-8",
    )
    code, _ = _run(capsys, root, plan=tmp_path / "plan.yaml", tick=plan_md)
    assert code == 0
    after = plan_md.read_text(encoding="utf-8")
    ticked = checkbox_state(after)
    assert ticked[("task", "1.1")] == "x" and ticked[("task", "3.4")] == "x"
    assert "- [ ]" in after  # live criteria stay for verify
    changed = [
        (a, b) for a, b in zip(markdown.splitlines(), after.splitlines(), strict=True) if a != b
    ]
    assert changed and all(a.replace("[ ]", "[x]", 1) == b for a, b in changed)
    criteria = after.split("(Definition of Done)")[1].split("###")[0]
    assert criteria.count("- [x]") == 1  # AC5, the only criterion check can prove


def test_tick_file_problems_are_user_errors_before_any_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "PLAN.md"
    bad.write_bytes(b"- [ ] Tarea 1.1: caf\xe9\n")
    with pytest.raises(UserError, match="not UTF-8"):
        _run(capsys, FIXTURES / "handwritten_good", tick=bad)
    with pytest.raises(UserError, match="no such file"):
        _run(capsys, FIXTURES / "handwritten_good", tick=tmp_path / "missing.md")
    assert capsys.readouterr().out == ""
    assert bad.read_bytes() == b"- [ ] Tarea 1.1: caf\xe9\n"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=40),
            st.sampled_from(
                [
                    "- [ ] Tarea 1.1: x",
                    "- [x] Task 2.1: y",
                    "### Acceptance Criteria (Definition of Done)",
                    "- [ ] a criterion",
                    "## Next",
                ]
            ),
        ),
        max_size=12,
    ),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_tick_only_ever_changes_box_characters(lines: list[str], newline: str) -> None:
    text = newline.join(lines)
    report = _report({"1.1": "pass", "2.1": "fail"}, [("pass", "a criterion")])
    ticked = tick_plan(text, report)
    assert len(ticked) == len(text)
    assert all(a == b or {a, b} <= {" ", "x", "X"} for a, b in zip(text, ticked, strict=True))
    assert tick_plan(text, Report()) == text


def test_tick_says_what_it_ticked_and_what_it_left(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "handwritten_good", root)
    spec_text = (
        "project: plan\nci: {repository: owner/repo}\nrequirements: {monthly_budget_usd: 400}\n"
    )
    (root / "plan.yaml").write_text(spec_text, encoding="utf-8")
    plan_md = tmp_path / "PLAN.md"
    plan_md.write_text(render_plan(plan(spec_text.split("\n", 2)[2])), encoding="utf-8")
    code = run_check_command(root, plan=None, fmt="json", tick=plan_md, use_cache=False)
    assert code == 0
    said = capsys.readouterr().err
    assert said.startswith(f"{plan_md}: ticked ")
    assert "1.3 (live)" in said and "left" in said
    assert "- [ ] Tarea 1.3:" in plan_md.read_text(encoding="utf-8")  # live stays unticked


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("# Notes\n\nNo checkbox here.\n", "no task checkbox"),
        ("# Plan INFRA-20200101-OTHER\n- [ ] Tarea 1.1: red\n", "it is plan INFRA-20200101-OTHER"),
    ],
)
def test_tick_refuses_a_file_that_is_not_this_plans_markdown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, words: str
) -> None:
    target = tmp_path / "NOTES.md"
    target.write_text(text, encoding="utf-8")
    with pytest.raises(UserError, match=words):
        _run(capsys, FIXTURES / "handwritten_traps", tick=target)
    assert target.read_text(encoding="utf-8") == text
    assert capsys.readouterr().out == ""
