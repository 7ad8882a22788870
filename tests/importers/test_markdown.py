"""init --from PLAN.md: the seed template, infraplan's own plans (round trip), hand-written
plans in both languages, damaged files, bad input."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES, SPECS, Run
from infraplan.plan.markdown import render_plan
from infraplan.spec import Spec
from infraplan.spec.load import load_spec

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "markdown"
GOLDEN_SPECS = {
    "minimal": EXAMPLES / "minimal" / "plan.yaml",
    "full": EXAMPLES / "checkout" / "plan.yaml",
    "adversarial": SPECS / "adversarial.yaml",
    "https": SPECS / "https.yaml",
}


@pytest.fixture(autouse=True)
def _in_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sources are named as the user gives them: run where the fixtures are."""
    monkeypatch.chdir(FIXTURES)


def _import(
    run_cli: Callable[..., Run], source: Path, tmp_path: Path, name: str = "plan.yaml"
) -> tuple[Spec, Run]:
    out = tmp_path / name
    given = source.relative_to(FIXTURES) if source.is_relative_to(FIXTURES) else source
    result = run_cli("init", "--from", str(given), "-o", str(out))
    assert result.code == 0, result.err
    spec = load_spec(out).spec
    assert render_plan(spec).startswith("# 🏗️ "), "infraplan plan renders the imported spec"
    return spec, result


def _same(a: Spec, b: Spec) -> bool:
    """The same spec, notes compared without the folder of the file they name."""

    def notes(spec: Spec) -> list[str]:
        return [note.rsplit("/", 1)[-1] for note in spec.notes]

    return a.model_dump(exclude={"notes"}) == b.model_dump(exclude={"notes"}) and notes(a) == notes(
        b
    )


def _reported(result: Run, kind: str) -> list[str]:
    return [line for line in result.err.splitlines() if f": {kind}: " in line]


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("name", sorted(GOLDEN_SPECS))
def test_round_trip_of_plans_infraplan_wrote(
    name: str, lang: str, tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    original = load_spec(GOLDEN_SPECS[name]).spec
    markdown = render_plan(original, lang)  # type: ignore[arg-type]
    source = tmp_path / "PLAN.md"
    source.write_text(markdown, encoding="utf-8")
    spec, result = _import(run_cli, source, tmp_path)
    assert render_plan(spec) == markdown
    assert _reported(result, "unplaced") == []
    assert spec.notes == []
    # owners and estimate equal to the words the plan writes by default read back as the
    # default (the same Markdown either way); the rendered header above compares them
    for field in ("project", "title", "date", "scope", "secrets", "tasks"):
        assert getattr(spec, field) == getattr(original, field), field
    assert spec.service_name == original.service_name
    assert spec.requirements == original.requirements
    assert spec.ci.repository == original.ci.repository
    assert spec.environments == original.environments
    assert spec.network.cidr == original.network.cidr
    assert spec.service.domain == original.service.domain
    assert spec.service.hosted_zone == original.service.hosted_zone
    assert spec.language == lang


@pytest.mark.parametrize("lang", ["es", "en"])
def test_round_trip_of_a_blue_green_plan(
    lang: str, tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    from infraplan.spec.load import parse_spec

    original = parse_spec(
        "project: orders\nci: {repository: acme/orders}\n"
        "deploy: {strategy: blue_green, bake_minutes: 12}\n"
    )
    markdown = render_plan(original, lang)  # type: ignore[arg-type]
    source = tmp_path / "PLAN.md"
    source.write_text(markdown, encoding="utf-8")
    spec, result = _import(run_cli, source, tmp_path)
    assert spec.deploy == original.deploy  # task 2.8 reads back as the strategy
    assert spec.risks is None  # the risk table is the default one, for this strategy
    assert _reported(result, "unplaced") == []


def test_a_ticked_plan_keeps_its_ticks(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    original = load_spec(EXAMPLES / "checkout" / "plan.yaml").spec
    markdown = render_plan(original, "en")
    # the extra task shows the next number of its phase and its stable id in a comment
    markdown = markdown.replace("- [ ] Task 1.2:", "- [x] Task 1.2:")
    markdown = re.sub(r"- \[ \](.*<!-- task U3\.1 -->)", r"- [X]\1", markdown)
    source = tmp_path / "PLAN.md"
    source.write_text(markdown, encoding="utf-8")
    spec, _ = _import(run_cli, source, tmp_path)
    assert spec.done == ["1.2", "U3.1"]
    assert render_plan(spec) == markdown.replace("- [X]", "- [x]")


def test_the_seed_template_reports_every_placeholder(
    tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    seed = FIXTURES / "plan-template.es.md"
    spec, result = _import(run_cli, seed, tmp_path)
    reported = {
        int(found.group(1))
        for m in _reported(result, "unfilled")
        if (found := re.match(r"^plan-template\.es\.md:(\d+): ", m))
    }
    covered: set[int] = set()
    for line in _reported(result, "unfilled"):
        span = re.search(r"lines (\d+)-(\d+)", line)
        if span:
            covered.update(range(int(span.group(1)), int(span.group(2)) + 1))
    lines = seed.read_text(encoding="utf-8").splitlines()
    with_placeholder = {
        number
        for number, text in enumerate(lines, 1)
        if re.search(r"\[[^\]x ]", re.sub(r"^\s*- \[[ x]\]", "", text))
    }
    assert with_placeholder, "the template has placeholders"
    assert with_placeholder <= reported | covered
    # nothing of a placeholder is copied as a value
    assert spec.title is None and spec.scope is None and spec.objective is None
    assert spec.owners == ["Platform team"] and spec.estimate == "3 days"
    assert spec.risks is None  # the seed's own three risks
    assert spec.language == "es"
    assert "[" not in (spec.id or "")
    assert spec.ci.repository == f"my-org/{spec.project}"
    assert _reported(result, "unplaced") == []


def test_spanish_plan_by_hand(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    spec, result = _import(run_cli, FIXTURES / "es-pagos.md", tmp_path)
    assert (spec.project, spec.title, spec.date) == (
        "pagos",
        "Pagos en Fargate",
        dt.date(2026, 11, 3),
    )
    assert spec.id is None  # INFRA-20261103-PAGOS is the derived id
    assert spec.owners == ["Equipo Pagos", "Lucía"]
    assert spec.estimate == "5 días"
    assert (
        spec.context
        == "Los despliegues de pagos se hacen a mano los viernes. Nadie quiere hacerlos."
    )
    assert spec.requirements.model_dump() == {
        "no_plaintext_secrets": True,
        "deploy_minutes": 8,
        "auto_rollback": True,
        "monthly_budget_usd": 300,
    }
    assert (spec.service.name, spec.service.port, spec.service.health_check_path) == (
        "payments-api",
        3000,
        "/health",
    )
    assert spec.aws.region == "eu-central-1"
    assert spec.network.az_count == 3
    assert (spec.ci.repository, spec.ci.branch) == ("acme/payments", "release")
    assert spec.secrets == ["STRIPE_KEY", "DB_PASSWORD"]
    assert (spec.monitoring.cpu_alarm_percent, spec.monitoring.http_5xx_alarm_count) == (70, 20)
    assert spec.monitoring.dashboard is False
    assert spec.done == ["1.1", "1.2"]
    assert [(t.phase, t.text) for t in spec.tasks] == [
        (2, "Configurar el acceso a la pasarela de pagos desde la VPC.")
    ]
    assert spec.risks is not None and [(r.risk, r.probability, r.impact) for r in spec.risks] == [
        ("Cobros duplicados durante el despliegue", "low", "high"),
        ("Latencia con la pasarela", "medium", "medium"),
    ]
    assert any("datadog is not generated" in m for m in _reported(result, "not-generated"))
    assert any(n.startswith("es-pagos.md:35:") or ":35: Monitoreo" in n for n in spec.notes)
    assert any("puerto 3000" in n for n in spec.notes), "an unplaced flow step is kept"


def test_spanish_plan_with_placeholders_and_other_tools(
    tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    spec, result = _import(run_cli, FIXTURES / "es-inventario.md", tmp_path)
    assert spec.id == "INV-2026-07"
    assert spec.project == "inventory"
    assert spec.requirements.model_dump() == {
        "no_plaintext_secrets": False,
        "deploy_minutes": 20,
        "auto_rollback": False,
        "monthly_budget_usd": 1200,
    }
    assert (spec.ci.repository, spec.aws.region) == ("acme/inventory", "us-east-1")
    assert spec.ci.preview_environments is True
    assert spec.done == ["2.5"]
    assert [t.text for t in spec.tasks] == ["Revisar el contrato con el proveedor de Kubernetes"]
    assert spec.risks is None  # the seed's risks with their placeholders
    assert spec.owners == ["Platform team"]  # the placeholder was not copied
    unfilled = _reported(result, "unfilled")
    assert any(":4: unfilled: placeholder not copied: [YYYY-MM-DD]" in m for m in unfilled)
    not_generated = " ".join(_reported(result, "not-generated"))
    assert "jenkins" in not_generated and "kubernetes" in not_generated


def test_spanish_plan_minimal(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    spec, result = _import(run_cli, FIXTURES / "es-mini.md", tmp_path)
    assert (spec.project, spec.date) == ("notify", dt.date(2026, 1, 15))
    assert spec.requirements.monthly_budget_usd == 80
    assert spec.done == ["3.4"]
    assert [t.text for t in spec.tasks] == ["Probar el envío de correos."]
    # The budget task's wording changed (issue 10: a budget per environment, its share of
    # R4): the earlier wording still gives R4 and is kept as written.
    assert spec.notes == [
        "es-mini.md:12: task 3.4 as written: "
        "Configurar una alerta de presupuesto de AWS en $80 al mes.",
        "es-mini.md:1: PLANIFICACIÓN: notificaciones",
    ]
    assert any("es-mini.md:1: unplaced:" in line for line in result.err.splitlines())


def test_english_plan_by_hand(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    spec, result = _import(run_cli, FIXTURES / "en-orders.md", tmp_path)
    assert spec.language == "en"
    assert (spec.project, spec.title) == ("orders", "Orders service")
    assert spec.owners == ["Platform team", "SRE"]
    assert (
        spec.context
        == "Orders are deployed by hand today.\n\nTwo outages last quarter came from manual steps."
    )
    assert spec.requirements.deploy_minutes == 12
    assert spec.requirements.monthly_budget_usd == 450
    assert (spec.aws.region, spec.ci.repository, spec.ci.branch) == (
        "us-west-2",
        "acme/orders",
        "main",
    )
    assert [(e.name, e.approval) for e in spec.environments] == [("qa", False), ("prod", True)]
    assert spec.service.health_check_path == "/ready"
    assert spec.network.az_count == 3
    assert spec.monitoring.dashboard is True
    assert spec.rollback.deployment == "Redeploy the previous image tag with the rollback workflow."
    assert spec.rollback.infrastructure is None  # infraplan's own sentence
    assert [(t.phase, t.text, t.files) for t in spec.tasks] == [
        (3, "Load-test the orders API before launch.", ["tests/load/orders.js"])
    ]
    assert spec.done == ["1.1"]
    assert spec.risks is not None and spec.risks[0].probability == "high"
    assert "prometheus is not generated" in result.err


def test_english_plan_in_other_words(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    spec, result = _import(run_cli, FIXTURES / "en-search.md", tmp_path)
    assert spec.id == "SEARCH-Q3"
    assert spec.requirements.model_dump() == {
        "no_plaintext_secrets": True,
        "deploy_minutes": 25,
        "auto_rollback": False,
        "monthly_budget_usd": 75,
    }
    assert (spec.service.name, spec.service.port) == ("search-indexer", 9200)
    assert (spec.monitoring.cpu_alarm_percent, spec.monitoring.http_5xx_alarm_count) == (90, 50)
    assert spec.done == ["3.3"]
    assert [(t.phase, t.text) for t in spec.tasks] == [(1, "Tune the JVM heap for the indexer")]
    not_generated = " ".join(_reported(result, "not-generated"))
    assert all(tool in not_generated for tool in ("gcp", "pulumi", "grafana"))
    assert "task 1.2 as written: Create the ECS cluster and the ECR repository" in " ".join(
        spec.notes
    )


def test_english_plan_minimal(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    spec, result = _import(run_cli, FIXTURES / "en-mini.md", tmp_path)
    assert (spec.project, spec.date) == ("billing", dt.date(2026, 10, 10))
    assert spec.requirements.deploy_minutes == 6
    assert spec.scope is None
    assert "placeholder not copied: [Describe the scope]" in result.err
    assert spec.notes == ["en-mini.md:11: - [ ] Finance signs off the first invoice run."]


@pytest.mark.parametrize("encoding", ["macroman", "sloppy-windows-1252"])
def test_mojibake_is_repaired_and_reported(
    encoding: str, tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    import ftfy.bad_codecs  # noqa: F401 - registers sloppy-windows-1252

    clean = (FIXTURES / "es-pagos.md").read_text(encoding="utf-8")
    damaged = clean.encode("utf-8").decode(encoding)
    assert "PLANIFICACIÓN" not in damaged
    (tmp_path / "es-pagos.md").write_text(damaged, encoding="utf-8")
    spec, result = _import(run_cli, tmp_path / "es-pagos.md", tmp_path)
    expected, _ = _import(run_cli, FIXTURES / "es-pagos.md", tmp_path, "clean.yaml")
    assert _same(spec, expected)
    repaired = _reported(result, "repaired")
    assert any(":1: repaired: mojibake repaired with ftfy" in m for m in repaired)


def test_crlf_bom_and_tabs(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    clean = (FIXTURES / "en-orders.md").read_text(encoding="utf-8")
    damaged = clean.replace("  - Files:", "\t- Files:").replace("\n", "\r\n")
    (tmp_path / "en-orders.md").write_bytes(b"\xef\xbb\xbf" + damaged.encode("utf-8"))
    spec, result = _import(run_cli, tmp_path / "en-orders.md", tmp_path)
    expected, _ = _import(run_cli, FIXTURES / "en-orders.md", tmp_path, "clean.yaml")
    assert _same(spec, expected)
    assert "byte order mark" in result.err and "CRLF" in result.err


def test_a_bad_value_is_reported_at_its_line(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    text = (FIXTURES / "en-orders.md").read_text(encoding="utf-8")
    (tmp_path / "bad.md").write_text(text.replace("less than 12 minutes", "less than 900 minutes"))
    out = tmp_path / "plan.yaml"
    result = run_cli("init", "--from", str(tmp_path / "bad.md"), "-o", str(out))
    assert result.code == 2
    assert "bad.md:23:1: requirements.deploy_minutes: out of range" in result.err
    assert not out.exists()


def test_missing_file_and_existing_output(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    result = run_cli("init", "--from", str(tmp_path / "nope.md"), "-o", str(tmp_path / "p.yaml"))
    assert (result.code, "nope.md: no such file" in result.err) == (2, True)
    (tmp_path / "p.yaml").write_text("keep\n")
    result = run_cli("init", "--from", str(FIXTURES / "en-mini.md"), "-o", str(tmp_path / "p.yaml"))
    assert result.code == 2 and (tmp_path / "p.yaml").read_text() == "keep\n"
    both = run_cli("init", "--from", "a.md", "--from-copilot", ".", "-o", str(tmp_path / "q.yaml"))
    assert both.code == 2


def test_text_that_only_looks_like_mojibake_is_kept(
    tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    """The rest of the file reads right (accents, emoji): the author typed it, keep it."""
    text = (FIXTURES / "en-orders.md").read_text(encoding="utf-8")
    text = text.replace("Orders are deployed by hand today.", "Encoding bugs show Ã“ today.")
    (tmp_path / "plan.md").write_text(text, encoding="utf-8")
    spec, result = _import(run_cli, tmp_path / "plan.md", tmp_path)
    assert spec.context is not None and spec.context.startswith("Encoding bugs show Ã“ today.")
    assert _reported(result, "repaired") == []


def test_the_plan_new_wrote_imports_to_the_spec_it_came_from(
    tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    """PLAN.md of a starter repo (tasks list files and Terraform resources) reads back too."""
    plan = Path(__file__).resolve().parents[1] / "golden" / "checkout-repo" / "PLAN.md"
    original = load_spec(EXAMPLES / "checkout" / "plan.yaml").spec
    spec, result = _import(run_cli, plan, tmp_path)
    assert render_plan(spec) == render_plan(original)
    assert _reported(result, "unplaced") == [] and spec.notes == []


def test_a_file_that_is_no_plan_is_bad_input(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    (tmp_path / "notes.md").write_bytes(b"shopping list\n\x00\xff eggs\n")
    out = tmp_path / "plan.yaml"
    result = run_cli("init", "--from", str(tmp_path / "notes.md"), "-o", str(out))
    assert result.code == 2
    assert "notes.md:1: not a plan in the seed's structure" in result.err
    assert not out.exists()


@pytest.mark.parametrize("lang", ["es", "en"])
def test_who_is_told_reads_back(lang: str, tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    original = Spec.model_validate(
        {
            "project": "shop",
            "date": "2026-11-29",
            "language": lang,
            "ci": {"repository": "acme/shop"},
            "aws": {"region": "sa-east-1"},
            "monitoring": {
                "notify_topic_arns": ["arn:aws:sns:sa-east-1:123456789012:oncall"],
                "slack": {"team_id": "T012AB3C4", "channel_id": "C07EZ1ABC23"},
                "memory_alarm_percent": 65,
                "lb_5xx_alarm_count": 3,
            },
        }
    )
    markdown = render_plan(original)
    (tmp_path / "PLAN.md").write_text(markdown, encoding="utf-8")
    spec, _ = _import(run_cli, tmp_path / "PLAN.md", tmp_path)
    assert spec.monitoring.model_dump() == original.monitoring.model_dump()
    assert render_plan(spec) == markdown


def test_a_task_not_applicable_reads_back(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    original = Spec.model_validate(
        {
            "project": "shop",
            "date": "2026-11-29",
            "ci": {"repository": "acme/shop"},
            "not_applicable": {"2.6": "rollback is CodeDeploy's (`infra/ecs.tf:12`) | blue/green"},
            "done": ["1.1"],
        }
    )
    markdown = render_plan(original)
    assert "(no aplica: rollback is CodeDeploy" in markdown
    (tmp_path / "PLAN.md").write_text(markdown, encoding="utf-8")
    spec, _ = _import(run_cli, tmp_path / "PLAN.md", tmp_path)
    assert spec.not_applicable == original.not_applicable
    assert spec.done == ["1.1"]
    assert render_plan(spec) == markdown
    assert spec.notes == []
