"""Sections 2-5 of a Markdown plan that are lists and tables: the process flow,
the phase checklists, the acceptance criteria and the risk table."""

from __future__ import annotations

import re

from infraplan.catalogue import CRITERIA, LANGS, TASKS, Task
from infraplan.importers.common import Where
from infraplan.importers.markdown_doc import Section, code_spans, fold, placeholders, unescape
from infraplan.importers.markdown_state import State
from infraplan.importers.patterns import (
    AZ_COUNT,
    CPU_PERCENT,
    HEALTH,
    HTTP_5XX,
    PORT,
    SECRET,
    match_template,
    money,
    names_in,
    number,
)
from infraplan.plan.cost_risks import COST_RISK_TEMPLATES
from infraplan.plan.https_risks import TRANSPORT_RISK_TEMPLATES
from infraplan.plan.risks import DEPLOY_MITIGATION_TEMPLATES, IDENTITY_RISK_TEMPLATES
from infraplan.plan.words import DEFAULT_RISKS, WORDS
from infraplan.spec.types import _LEVEL_WORDS

# --- process flow ---------------------------------------------------------------------


def flow_step(state: State, step: str, where: Where) -> bool:
    """One of infraplan's own flow sentences: take what it says; True when it is one."""
    words = state.words
    imported = state.imported
    if match_template(words["flow_preview"], step) is not None:
        imported.set(("ci", "preview_environments"), True, where)
        return True
    found = match_template(words["flow_3"], step)
    if found is not None:
        imported.set(("ci", "branch"), found["branch"], where)
        return True
    found = match_template(words["flow_4"], step)
    if found is not None:
        _environments(state, names_in(found["environments"]), where)
        return True
    found = match_template(words["flow_approval"], step)
    if found is not None:
        state.approvals.add(found["env"])
        return True
    found = match_template(words["flow_5"], step)
    if found is not None:
        imported.set(("service", "health_check_path"), found["path"], where)
        return True
    return any(
        match_template(words[key], step) is not None for key in ("flow_1", "flow_2", "flow_6")
    )


def flow_evidence(state: State, step: str, where: Where) -> None:
    """A hand-written flow step: take branch, preview, port and health path if it names
    them, and keep the sentence as a note."""
    imported = state.imported
    merge = re.search(r"(?:mergear|merge|fusionar|push)\w*\s+(?:a|to|en|into)\s+`([^`]+)`", step)
    if merge:
        imported.set(("ci", "branch"), merge.group(1), where)
    if re.search(r"\bpreview\b", step, re.I):
        imported.set(("ci", "preview_environments"), True, where)
    evidence(state, step, where)
    imported.note(where, "unplaced", unescape(step))


def evidence(state: State, text: str, where: Where) -> None:
    """Port and health-check path named anywhere in a sentence."""
    port = PORT.search(text)
    if port and 1024 <= int(port.group(1)) <= 65535:
        state.imported.set(("service", "port"), int(port.group(1)), where)
    health = HEALTH.search(text)
    if health:
        state.imported.set(("service", "health_check_path"), health.group(1), where)


def _environments(state: State, names: list[str], where: Where) -> None:
    if names and all(re.fullmatch(r"[a-z][a-z0-9-]{1,27}", n) for n in names):
        state.environments = (names, where)


# --- phase checklists -------------------------------------------------------------------

_TASK_LINE = re.compile(
    r"^(?P<indent>\s*)[-*+]\s+(?:\[(?P<box>[ xX])\]\s+)?"
    r"(?:(?:\*\*)?(?:Tarea|Task)\s+(?P<id>U?\d+(?:\.\d+)?)"
    r"\s*(?::\*\*|\*\*:|:|\*\*|(?=\s))\s*)?(?P<text>.*)$"
)
_SUBITEM = re.compile(r"^\s{2,}[-*+]\s+(?P<label>[^:]+):\s*(?P<value>.*)$")
_KEYWORDS: dict[str, tuple[str, ...]] = {
    "1.1": ("vpc", "subnet"),
    "1.2": ("cluster", "ecr"),
    "1.3": ("estado remoto", "remote state", "entornos", "environments", "aplicar", "apply"),
    "1.4": ("autoescalado", "autoscaling", "auto scaling", "target tracking"),
    "2.1": ("deploy.yml", "workflow de github", "github actions workflow"),
    "2.2": ("dockerfile",),
    "2.3": ("push", "build"),
    "2.4": ("despliegue a ecs", "deploy step", "deploy to ecs", "ecs fargate"),
    "2.5": ("preview",),
    "2.6": ("rollback", "circuit breaker"),
    "2.7": ("ecs exec",),
    "2.8": ("blue/green", "blue-green", "azul/verde"),
    "2.9": ("fargate spot", "spot"),
    "3.1": ("secret", "secreto"),
    "3.2": ("dashboard",),
    "3.3": ("alert", "alarm", "alarma"),
    "3.4": ("presupuesto", "budget"),
    "3.5": ("https", "certificado", "certificate", "acm"),
}


def phase(state: State, section: Section) -> None:
    if section.heading is not None:
        state.placed.add(section.heading)
    current: tuple[str, bool] | None = None  # (task id, is extra) of the last task line
    for index, text in section.lines:
        if not text.strip() or index in state.placeholder_lines:
            continue
        sub = _SUBITEM.match(text)
        if sub and current is not None:
            state.placed.add(index)
            if current[1] and fold(sub.group("label")) in ("archivos", "files", "ficheros"):
                extra = state.imported.values["tasks"][-1]
                extra["files"] = code_spans(sub.group("value"))
            continue
        match = _TASK_LINE.match(text)
        if match is None or match.group("indent"):
            continue
        body = match.group("text").strip()
        if placeholders(body) and not re.sub(r"\[[^\]]*\]", "", body).strip():
            state.placed.add(index)  # an unfilled task: reported as a placeholder
            current = None
            continue
        current = _task(state, section.phase, index, match.group("id"), body, match.group("box"))


def _task(
    state: State, number_: int, index: int, given: str | None, body: str, box: str | None
) -> tuple[str, bool]:
    where = state.source.where(index)
    state.placed.add(index)
    state.saw_phases = True
    # What infraplan writes after a task's text: its stable id when the shown number
    # differs (`<!-- task 2.6 -->`), why it does not apply, and "(added)" for the user's.
    marker = re.search(r"\s*<!--\s*task\s+(U?\d+\.\d+)\s*-->\s*$", body)
    if marker:
        given, body = marker.group(1), body[: marker.start()]
    reason = re.search(r"\s*\((?:no aplica|not applicable): (.*)\)\s*$", body)
    if reason:
        body = body[: reason.start()]
    added = re.search(r"\s*\((?:añadida|added)\)\s*$", body)
    if added:
        body = body[: added.start()]
    task, exact = (None, False) if added else _catalogue_match(state, number_, given, body)
    if task is not None and reason:
        not_applicable = state.imported.values.setdefault("not_applicable", {})
        not_applicable[task.id] = unescape(reason.group(1))
        state.imported.sources[("not_applicable",)] = where
    if task is not None:
        state.found_tasks.add(task.id)
        _task_values(state, task, body, where, exact)
        if not exact:
            state.imported.note(where, "matched", f"task {task.id} as written: {unescape(body)}")
        if box and box in "xX":
            state.imported.values.setdefault("done", []).append(task.id)
        return task.id, False
    phase_number = number_ or (int(given.lstrip("U")[0]) if given else 3)
    state.extra_counters[phase_number] = state.extra_counters.get(phase_number, 0) + 1
    task_id = f"U{phase_number}.{state.extra_counters[phase_number]}"
    extra = {"phase": phase_number, "text": unescape(body).strip()}
    tasks = state.imported.values.setdefault("tasks", [])
    state.imported.sources[("tasks", len(tasks))] = where
    tasks.append(extra)
    if box and box in "xX":
        state.imported.values.setdefault("done", []).append(task_id)
    return task_id, True


def _catalogue_match(
    state: State, phase_number: int, given: str | None, body: str
) -> tuple[Task | None, bool]:
    """The catalogue task this line is (exactly one of its texts, or by its keywords)."""
    by_id = {task.id: task for task in TASKS}
    if given in by_id:
        task = by_id[given]
        if any(match_template(task.text[lang], body) is not None for lang in LANGS):
            return task, True
    if given and given.startswith("U"):
        return None, False
    folded = fold(body)
    candidates = [
        t
        for t in TASKS
        if (not phase_number or t.phase == phase_number)
        and t.id not in state.found_tasks
        and any(word in folded for word in _KEYWORDS[t.id])
    ]
    if given in by_id and by_id[given] in candidates:
        return by_id[given], False
    if len(candidates) == 1 or (candidates and given is None):
        best = max(candidates, key=lambda t: sum(w in folded for w in _KEYWORDS[t.id]))
        return best, False
    return None, False


def _task_values(state: State, task: Task, body: str, where: Where, exact: bool) -> None:
    imported = state.imported
    fields = next(
        (f for lang in LANGS if (f := match_template(task.text[lang], body)) is not None), {}
    )
    if task.id == "1.1":
        count = fields.get("az_count") or (m.group(1) if (m := AZ_COUNT.search(body)) else None)
        if count and count.isdigit():
            imported.set(("network", "az_count"), int(count), where)
    elif task.id == "1.3" and "environments" in fields:
        _environments(state, names_in(fields["environments"]), where)
    elif task.id == "2.5":
        imported.set(("ci", "preview_environments"), True, where)
    elif task.id == "2.8":
        imported.set(("deploy", "strategy"), "blue_green", where)
        bake = fields.get("bake_minutes", "")
        if bake.isdigit():
            imported.set(("deploy", "bake_minutes"), int(bake), where)
    elif task.id in ("2.7", "2.9") and fields:
        # which environments allow ECS Exec, run on Fargate Spot
        field, flags = (
            ("exec_environments", state.exec_envs)
            if task.id == "2.7"
            else ("spot_environments", state.spot_envs)
        )
        flags.update(names_in(fields.get(field, "")))
    elif task.id == "3.1":
        names = names_in(fields["secrets"]) if "secrets" in fields else SECRET.findall(body)
        if names:
            imported.set(("secrets",), names, where)
    elif task.id == "3.2":
        imported.set(("monitoring", "dashboard"), True, where)
    elif task.id == "3.3":
        cpu = fields.get("cpu_alarm") or (m.group(1) if (m := CPU_PERCENT.search(body)) else None)
        errors = fields.get("http_5xx_alarm") or (
            m.group(1) if (m := HTTP_5XX.search(body)) else None
        )
        for field, key in (
            ("memory_alarm", "memory_alarm_percent"),
            ("lb_5xx_alarm", "lb_5xx_alarm_count"),
        ):
            if fields.get(field, "").isdigit():
                imported.set(("monitoring", key), int(fields[field]), where)
        if cpu and cpu.isdigit():
            imported.set(("monitoring", "cpu_alarm_percent"), int(cpu), where)
        if errors and errors.isdigit():
            imported.set(("monitoring", "http_5xx_alarm_count"), int(errors), where)
    elif task.id == "3.4":
        amount = money(fields.get("budget", body))
        if amount is not None and imported.get(("requirements", "monthly_budget_usd")) is None:
            imported.set(("requirements", "monthly_budget_usd"), number(amount), where)
    elif task.id == "3.5" and fields.get("https_names") and fields.get("hosted_zone"):
        # the names in deploy order: the last environment answers at service.domain
        names = [n.strip() for n in fields["https_names"].split(",") if n.strip()]
        imported.set(("service", "domain"), names[-1], where)
        imported.set(("service", "hosted_zone"), fields["hosted_zone"], where)
    if not exact:
        evidence(state, body, where)


# --- acceptance criteria ------------------------------------------------------------------


def criteria(state: State, section: Section) -> None:
    if section.heading is not None:
        state.placed.add(section.heading)
    for index, text in section.lines:
        if not text.strip() or index in state.placeholder_lines:
            continue
        match = re.match(r"^\s*[-*+]\s+(?:\[[ xX]\]\s+)?(.*)$", text)
        if match is None:
            continue
        body = match.group(1).strip()
        where = state.source.where(index)
        fields = next(
            (
                f
                for c in CRITERIA
                for lang in LANGS
                if (f := match_template(c.text[lang], body)) is not None
            ),
            None,
        )
        if fields is None:
            continue  # left for the notes
        state.placed.add(index)
        minutes = fields.get("deploy_minutes", "")
        if minutes.isdigit():
            state.criterion_minutes = (int(minutes), where)


# --- risk table ---------------------------------------------------------------------------

_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def risks(state: State, section: Section) -> None:
    if section.heading is not None:
        state.placed.add(section.heading)
    rows: list[dict[str, str]] = []
    placeholder_mitigations = 0
    first: Where | None = None
    for index, text in section.lines:
        stripped = text.strip()
        if not stripped.startswith("|"):
            if _skip_list_line(stripped):
                state.placed.add(index)  # the checkov skips infraplan lists below its table
            continue
        cells = [c.strip() for c in _CELL_SPLIT.split(stripped.strip("|"))]
        if len(cells) < 2 or all(re.fullmatch(r":?-{3,}:?", c) for c in cells if c):
            state.placed.add(index)
            continue
        if fold(cells[0]) in ("riesgo", "risk"):
            state.placed.add(index)
            continue
        risk = unescape(cells[0].strip().removeprefix("**").removesuffix("**")).strip()
        state.placed.add(index)
        if _derived_risk(state, cells[0]):
            continue
        levels = [_LEVEL_WORDS.get(fold(c), "") for c in cells[1:3]] + ["", ""]
        mitigation = cells[3] if len(cells) > 3 else ""
        if placeholders(mitigation):
            placeholder_mitigations += 1
            mitigation = ""
        row = {"risk": risk, "probability": levels[0] or "medium", "impact": levels[1] or "medium"}
        row["mitigation"] = unescape(mitigation).strip()
        first = first or state.source.where(index)
        rows.append(row)
    if not rows or first is None:
        return
    defaults = [
        {"risk": r, "probability": p, "impact": i, "mitigation": m}
        for r, p, i, m in DEFAULT_RISKS[state.lang]
    ]
    same = len(rows) == len(defaults) and all(
        row["risk"] == d["risk"]
        and row["probability"] == d["probability"]
        and row["impact"] == d["impact"]
        and (row["mitigation"] in ("", d["mitigation"]) or _deploy_mitigation(row, index))
        for index, (row, d) in enumerate(zip(rows, defaults, strict=False))
    )
    if same:
        return  # the seed's own risks: the spec's default
    state.imported.set(("risks",), rows, first)


def _deploy_mitigation(row: dict[str, str], index: int) -> bool:
    """The first default risk as infraplan writes it: mitigated by what the code's deploy
    strategy does (plan.risks.deploy_mitigation)."""
    text = row["mitigation"]
    return index == 0 and any(
        match_template(t, text) is not None for t in DEPLOY_MITIGATION_TEMPLATES
    )


def _skip_list_line(text: str) -> bool:
    if text in (WORDS[lang]["skips_heading"] for lang in LANGS):
        return True
    return bool(re.match(r"^- `CKV\w*` (?:en|on) `[^`]+`: ", text))


def _derived_risk(state: State, cell: str) -> bool:
    """A row infraplan adds itself: a checkov skip, the estimate over the budget, nobody
    notified, an identity risk."""
    text = cell.strip().removeprefix("**").removesuffix("**")
    for lang in LANGS:
        if text.startswith(("Comprobación de checkov omitida:", "checkov check skipped:")):
            return True
        if match_template(WORDS[lang]["cost_risk"], text) is not None:
            return True
        if match_template(WORDS[lang]["skips_risk"], text) is not None:
            return True
        if text == WORDS[lang]["notify_risk"]:
            return True  # nobody is notified: the spec names no recipient either
    # what the generated identity setup leaves open (the OIDC subject form, the apply
    # role), the cost rows, and a plain-HTTP service
    templates = (*IDENTITY_RISK_TEMPLATES, *COST_RISK_TEMPLATES, *TRANSPORT_RISK_TEMPLATES)
    return any(match_template(t, text) is not None for t in templates)
