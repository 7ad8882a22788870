"""The Markdown plan: golden files, the seed's structure, escaping, determinism.

Refresh the golden files after an intended change with `make golden`, then
review the diff of tests/golden/.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from conftest import EXAMPLES, SPECS, Run
from infraplan.catalogue import tasks_for
from infraplan.plan.cost_risks import cost_risks
from infraplan.plan.markdown import plan_tasks, render_plan, task_marker
from infraplan.plan.risks import checkov_skips, identity_risks
from infraplan.plan.tick import checkbox_state
from infraplan.spec.load import load_spec

GOLDEN = Path(__file__).resolve().parent / "golden"
GOLDEN_SPECS = {
    "minimal": EXAMPLES / "minimal" / "plan.yaml",
    "full": EXAMPLES / "checkout" / "plan.yaml",
    "adversarial": SPECS / "adversarial.yaml",
}

# The seed template's headings, word for word.
SEED_HEADINGS_ES = [
    "1. Objetivos y Contexto",
    "Objetivo Principal",
    "Contexto del Negocio/Técnico",
    "Requisitos Clave",
    "2. Arquitectura de la Solución",
    "Diagrama de Arquitectura (Opcional)",
    "Componentes y Tecnologías",
    "Flujo del Proceso",
    "3. Plan de Implementación Detallado",
    "Fase 1: Configuración del Entorno Base (IaC)",
    "Fase 2: Creación del Pipeline de CI/CD",
    "Fase 3: Seguridad y Monitoreo",
    "4. Plan de Verificación y Rollback",
    "Criterios de Aceptación (Definition of Done)",
    "Estrategia de Rollback",
    "5. Riesgos y Consideraciones",
]
SEED_FIELDS_ES = ["ID de Plan:", "Fecha:", "Scope:", "Responsable(s):", "Duración Estimada:"]


def _parse(text: str) -> list[Token]:
    return MarkdownIt("commonmark").enable("table").parse(text)


def _headings(tokens: list[Token]) -> list[str]:
    return [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"][1:]


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("name", sorted(GOLDEN_SPECS))
def test_golden_plan(name: str, lang: str) -> None:
    text = render_plan(load_spec(GOLDEN_SPECS[name]).spec, lang)  # type: ignore[arg-type]
    golden = GOLDEN / f"{name}.{lang}.md"
    if os.environ.get("INFRAPLAN_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert golden.is_file(), f"missing {golden.name}: run `make golden`"
    assert text == golden.read_text(encoding="utf-8"), f"{golden.name} differs: `make golden`"


@pytest.mark.parametrize("name", sorted(GOLDEN_SPECS))
def test_spanish_plan_has_the_seeds_headings_in_order(name: str) -> None:
    text = render_plan(load_spec(GOLDEN_SPECS[name]).spec, "es")
    tokens = _parse(text)
    assert _headings(tokens) == SEED_HEADINGS_ES
    assert text.startswith("# 🏗️ PROMPT DE PLANIFICACIÓN DE INFRAESTRUCTURA - ")
    assert text.endswith("---\n**FIN DEL PLAN DE INFRAESTRUCTURA**\n")
    header = text.split("---", 1)[0]
    positions = [header.index(f"**{field}**") for field in SEED_FIELDS_ES]
    assert positions == sorted(positions)
    for req in ("R1: Seguridad", "R2: Rendimiento", "R3: Fiabilidad", "R4: Costo"):
        assert f"**{req}.**" in text


def test_english_plan_mirrors_the_spanish_structure() -> None:
    spec = load_spec(GOLDEN_SPECS["full"]).spec
    es, en = _parse(render_plan(spec, "es")), _parse(render_plan(spec, "en"))
    assert [t.type for t in es] == [t.type for t in en]
    assert _headings(en)[0] == "1. Objectives and Context"


def test_requirement_texts_come_from_the_spec(tmp_path: Path) -> None:
    spec_path = tmp_path / "plan.yaml"
    spec_path.write_text(
        "project: shop\nci: {repository: a/shop}\n"
        "requirements: {deploy_minutes: 7, monthly_budget_usd: 250}\n"
    )
    text = render_plan(load_spec(spec_path).spec, "es")
    assert "El despliegue completo debe tardar menos de 7 minutos." in text
    assert "La nueva infraestructura no debe superar los $250/mes." in text
    en = render_plan(load_spec(spec_path).spec, "en")
    assert "A full deployment must take less than 7 minutes." in en


def test_every_applicable_task_is_listed_with_its_files() -> None:
    spec = load_spec(GOLDEN_SPECS["full"]).spec
    text = render_plan(spec, "es")
    lines = text.splitlines()
    for task in tasks_for(spec):
        index = next(
            i
            for i, line in enumerate(lines)
            if line.startswith(f"- [ ] Tarea {task.id}:") or line.endswith(task_marker(task.id))
        )
        assert lines[index + 1].startswith("  - Archivos: `"), task.id
    assert task_marker("2.5") not in text  # preview environments are off in the example


def test_task_numbers_are_contiguous_and_stable_ids_stay_machine_readable() -> None:
    import re

    spec = load_spec(GOLDEN_SPECS["full"]).spec
    text = render_plan(spec, "es")
    shown = re.findall(r"^- \[ \] Tarea (\d+)\.(\d+):", text, flags=re.M)
    by_phase: dict[str, list[int]] = {}
    for phase, number in shown:
        by_phase.setdefault(phase, []).append(int(number))
    assert all(numbers == list(range(1, len(numbers) + 1)) for numbers in by_phase.values())
    # the example has no preview task (2.5): rollback, 2.6, is shown as 2.5
    assert "- [ ] Tarea 2.5: Configurar el rollback" in text
    assert text.count(task_marker("2.6")) == 1
    # --tick and update read the stable ids, not the numbers a reader sees
    stable = {key[1] for key in checkbox_state(text) if key[0] == "task"}
    assert stable == {t.id for t in plan_tasks(spec, "es")}
    assert "U3.1" in stable  # the example's own task keeps its id too


def test_adversarial_text_does_not_break_the_structure() -> None:
    spec = load_spec(GOLDEN_SPECS["adversarial"]).spec
    text = render_plan(spec, "en")
    tokens = _parse(text)
    assert _headings(tokens)[0] == "1. Objectives and Context"
    assert len(_headings(tokens)) == len(SEED_HEADINGS_ES)
    # the risk table keeps 4 columns in every row, whatever the pipes in the text
    rows = [t for t in tokens if t.type == "tr_open"]
    cells = [t for t in tokens if t.type in ("th_open", "td_open")]
    assert len(cells) == 4 * len(rows)
    # header, the spec's risks, the identity risks (the name-form OIDC subject, the
    # apply role's reach, the plan role's reads, unprotected GitHub environments), one
    # row for every deliberately skipped checkov check, the row saying alarms notify
    # nobody, and the row saying the service is plain HTTP
    identity = len(identity_risks(spec, "en"))
    assert identity == 4
    cost = len(cost_risks(spec, "en"))  # the Stack cost allocation tag
    assert cost == 1
    nobody = 0 if spec.monitoring.notifies_someone else 1
    plain_http = 0 if spec.service.https else 1
    assert len(rows) == 1 + len(spec.risks or []) + identity + cost + 1 + nobody + plain_http
    # user HTML never becomes HTML
    assert not [
        t for t in tokens if t.type in ("html_block", "html_inline") and "script" in t.content
    ]
    # every task stays one list item
    items = [t for t in tokens if t.type == "list_item_open" and t.level == 1]
    assert len(items) >= len(tasks_for(spec)) + len(spec.tasks)
    assert "Add \\*bold\\* \\| piped task<br>with newline (added) <!-- task U1.1 -->" in text


def test_output_is_deterministic() -> None:
    spec = load_spec(GOLDEN_SPECS["full"]).spec
    assert render_plan(spec, "es") == render_plan(spec, "es")


def test_plan_command_writes_the_file(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    out = tmp_path / "PLAN.md"
    result = run_cli("plan", str(GOLDEN_SPECS["full"]), "-o", str(out), "--lang", "en")
    assert result.code == 0, result.err
    assert out.read_text(encoding="utf-8") == (GOLDEN / "full.en.md").read_text(encoding="utf-8")


def test_plan_command_prints_to_stdout(run_cli: Callable[..., Run]) -> None:
    result = run_cli("plan", str(GOLDEN_SPECS["minimal"]))
    assert result.code == 0
    assert result.out == (GOLDEN / "minimal.es.md").read_text(encoding="utf-8")


def test_bad_language_flag_is_bad_input(run_cli: Callable[..., Run]) -> None:
    result = run_cli("plan", str(GOLDEN_SPECS["minimal"]), "--lang", "fr")
    assert result.code == 2 and "--lang" in result.err


def test_every_checkov_skip_is_a_risk_in_both_languages() -> None:
    import json

    from infraplan.package_data import package_data

    skips = json.loads(package_data("checkov_skips.json").read_text(encoding="utf-8"))
    spanish = json.loads(package_data("checkov_skips.es.json").read_text(encoding="utf-8"))
    assert {s["id"] for s in skips} == set(spanish), "translate every skip's reason"
    spec = load_spec(GOLDEN_SPECS["full"]).spec
    for lang, word in (("es", "omitidas"), ("en", "skipped")):
        text = render_plan(spec, lang)  # type: ignore[arg-type]
        rows = [line for line in text.splitlines() if line.startswith("|") and word in line]
        assert len(rows) == 1 and f"({len(skips)}," in rows[0]  # one row in the table
        listed = text.split(rows[0], 1)[1].splitlines()  # the list under the table
        for skip in skips:
            assert any(line.startswith(f"- `{skip['id']}`") for line in listed), skip
        assert {s.id for s in checkov_skips(lang)} == {s["id"] for s in skips}  # type: ignore[arg-type]


def test_the_plan_says_where_ecs_exec_is_on() -> None:
    """Issue 10, item 8: a task names the environments with ECS Exec, and its files are
    their roots and the ecs module; without the switch the plan has no such task."""
    from infraplan.spec.load import parse_spec

    base = "project: shop\nci: {repository: a/shop}\n"
    off = parse_spec(base)
    on = parse_spec(
        base + "environments:\n  - {name: dev, ecs_exec: true}\n  - {name: production}\n"
    )
    assert "2.7" not in {t.id for t in tasks_for(off)}
    assert "ECS Exec" not in render_plan(off, "en")
    text = render_plan(on, "en")
    line = next(x for x in text.splitlines() if "<!-- task 2.7 -->" in x)
    assert "Enable ECS Exec only in `dev` " in line
    assert "infra/envs/dev/main.tf" in text and "Habilitar ECS Exec solo en `dev` " in render_plan(
        on, "es"
    )
