"""``infraplan init --from PLAN.md``: a filled Markdown plan in the seed's
structure, Spanish or English, back to the ``plan.yaml`` that says the same.

Every line ends up in one of four places: a spec value (its source line in a
``# PLAN.md:N`` comment), a placeholder reported as unfilled, a fixed sentence
of infraplan's own that the spec re-creates, or a note in the spec (reported on
stderr with its line). Nothing is dropped silently.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from infraplan.catalogue import Lang
from infraplan.errors import UserError
from infraplan.importers import markdown_tasks as tasks
from infraplan.importers.common import Imported, Where
from infraplan.importers.markdown_doc import (
    Section,
    field_line,
    fold,
    language_of,
    only_placeholders,
    open_placeholder,
    placeholders,
    split_sections,
    unescape,
    unescape_block,
)
from infraplan.importers.markdown_finish import finish
from infraplan.importers.markdown_state import State
from infraplan.importers.patterns import (
    ALTERNATIVE,
    ESTIMATE,
    GENERATED,
    MINUTES,
    NO_ESTIMATE,
    OTHERS,
    R1_OFF,
    R1_ON,
    R3_OFF,
    R3_ON,
    REGION,
    REPOSITORY,
    component_items,
    match_template,
    money,
    number,
)
from infraplan.importers.textfile import read_source
from infraplan.plan.environments import read_sizing_line
from infraplan.plan.words import WORDS


def import_markdown(path: Path) -> Imported:
    """Read the plan at ``path``; the result names ``path`` as given in every source."""
    imported = Imported()
    source = read_source(path, imported)
    lang: Lang = "es" if language_of(source) == "es" else "en"
    state = State(source, imported, lang)
    _mark_placeholders(state)
    imported.set(("language",), lang)
    sections = split_sections(source, imported)
    if sections[0].heading is None and len(sections) == 1:
        raise UserError(
            f"{source.name}:1: not a plan in the seed's structure: no title "
            "('# ... PLANIFICACIÓN DE INFRAESTRUCTURA - ...') and no section heading "
            "('## 1. Objetivos y Contexto', '### Requisitos Clave', ...)",
            hint="--from reads a Markdown plan written from the template (Spanish or English)",
        )
    for section in sections:
        _HANDLERS.get(section.key, _frame)(state, section)
    finish(state)
    return imported


def _mark_placeholders(state: State) -> None:
    """Report every unfilled ``[placeholder]``; a bracket open over several lines is one."""
    lines = state.source.lines
    index = 0
    fence = False
    while index < len(lines):
        text = lines[index]
        if text.strip().startswith(("```", "~~~")):
            fence = not fence
        if fence or text.strip().startswith(("```", "~~~")):
            index += 1
            continue
        if open_placeholder(text):
            end = index
            while end + 1 < len(lines) and not re.search(r"(?<!\\)\]\s*$", lines[end]):
                end += 1
            for covered in range(index, end + 1):
                state.placeholder_lines.add(covered)
            first = text.strip()[:60]
            state.imported.report(
                state.source.where(index),
                "unfilled",
                f"placeholder over lines {index + 1}-{end + 1} not copied: {first}",
            )
            index = end + 1
            continue
        if only_placeholders(text):
            state.placeholder_lines.add(index)
        for found in placeholders(text):
            state.imported.report(
                state.source.where(index), "unfilled", f"placeholder not copied: {found}"
            )
        index += 1


def _content(state: State, section: Section) -> list[tuple[int, str]]:
    """The section's lines that may hold content: not blank, not a rule, not a placeholder."""
    out = []
    for index, text in section.lines:
        stripped = text.strip()
        if not stripped or re.fullmatch(r"(-{3,}|\*{3,}|_{3,})", stripped):
            continue
        if index in state.placeholder_lines:
            continue
        if stripped.strip("*") in (WORDS["es"]["end"].strip("*"), WORDS["en"]["end"].strip("*")):
            state.placed.add(index)
            continue
        out.append((index, text))
    return out


def _frame(state: State, section: Section) -> None:
    """A section heading with nothing of its own: its heading is placed; other text is not."""
    if section.heading is not None:
        state.placed.add(section.heading)


_HEADER_FIELDS = {
    "id de plan": "id",
    "plan id": "id",
    "id": "id",
    "fecha": "date",
    "date": "date",
    "scope": "scope",
    "alcance": "scope",
    "responsables": "owners",
    "responsable": "owners",
    "owners": "owners",
    "owner": "owners",
    "duracion estimada": "estimate",
    "estimated duration": "estimate",
    "estimate": "estimate",
    "duracion": "estimate",
}


def _header(state: State, section: Section) -> None:
    if section.heading is not None:
        state.placed.add(section.heading)
        title = section.title
        if not placeholders(title) and re.search(r"\s[-–—:]\s", title):
            value = unescape(re.split(r"\s[-–—:]\s", title, maxsplit=1)[1]).strip()
            if value:
                state.imported.set(("title",), value, state.source.where(section.heading))
    for index, text in _content(state, section):
        found = field_line(text)
        key = _HEADER_FIELDS.get(re.sub(r"[()]", "", fold(found[0]))) if found else None
        if found is None or key is None:
            continue
        state.placed.add(index)
        value = found[1]
        if placeholders(value):
            continue  # reported as unfilled; not copied
        where = state.source.where(index)
        if key in ("owners", "estimate") and value == state.words[f"default_{key}"]:
            continue  # the default the plan writes in its own language: the spec leaves it out
        if key == "date":
            date = _date(value)
            if date is None:
                state.imported.note(where, "unplaced", f"not a date: {text.strip()}")
            else:
                state.imported.set(("date",), date, where)
        elif key == "owners":
            owners = [unescape(o).strip() for o in value.split(", ") if o.strip() != "—"]
            state.imported.set(("owners",), [o for o in owners if o], where)
        elif key == "id":
            state.raw_id = (unescape(value).strip(), where)
        elif key == "scope":
            default = match_template(state.words["default_scope"], value)
            if default is not None:
                state.evidence_service(default["service"], where)
            else:
                state.imported.set(("scope",), unescape(value).strip(), where)
        else:
            state.imported.set((key,), unescape(value).strip(), where)


def _date(text: str) -> dt.date | None:
    iso = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", text)
    local = re.search(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b", text)
    try:
        if iso:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        if local:
            return dt.date(int(local.group(3)), int(local.group(2)), int(local.group(1)))
    except ValueError:
        return None
    return None


def _free_text(key: str, default: str) -> Callable[[State, Section], None]:
    def handle(state: State, section: Section) -> None:
        _frame(state, section)
        content = _content(state, section)
        if not content:
            return
        first, last = content[0][0], content[-1][0]
        raw = [
            t for i, t in section.lines if first <= i <= last and i not in state.placeholder_lines
        ]
        for index, _ in content:
            state.placed.add(index)
        where = state.source.where(content[0][0])
        joined = " ".join(" ".join(raw).split())
        found = match_template(state.words[default], joined)
        if found is not None:  # infraplan's default sentence: the spec leaves the key out
            if "service" in found:
                state.evidence_service(found["service"], where)
            if "branch" in found:
                state.imported.set(("ci", "branch"), found["branch"], where)
            return
        state.imported.set((key,), unescape_block(raw), where)

    return handle


def _requirements(state: State, section: Section) -> None:
    _frame(state, section)
    for index, text in _content(state, section):
        match = re.match(r"^\s*[-*+]\s+(?:\*\*)?\s*(R[1-4])\b[^*]*?(?:\*\*)?\s*(.*)$", text)
        if match is None:
            continue
        rid, body = match.group(1), match.group(2)
        where = state.source.where(index)
        if placeholders(body):
            state.placed.add(index)
            continue
        if _requirement(state, rid, body, where):
            state.placed.add(index)


def _requirement(state: State, rid: str, body: str, where: object) -> bool:
    from infraplan.importers.common import Where

    assert isinstance(where, Where)
    key = ("requirements",)
    if rid == "R1":
        value = not R1_OFF.search(body) and bool(R1_ON.search(body))
        if R1_OFF.search(body) or R1_ON.search(body):
            state.imported.set((*key, "no_plaintext_secrets"), value, where)
            return True
    elif rid == "R2":
        minutes = MINUTES.search(body)
        if minutes:
            state.imported.set((*key, "deploy_minutes"), int(minutes.group(1)), where)
            return True
    elif rid == "R3":
        if R3_OFF.search(body) or R3_ON.search(body):
            state.imported.set((*key, "auto_rollback"), not R3_OFF.search(body), where)
            return True
    else:
        budget_text = re.split(r"Estimación|Estimate|Sin estimación|No cost estimate", body)[0]
        amount = money(budget_text)
        estimate = ESTIMATE.search(body)
        if estimate:
            state.estimate = (estimate.group("total"), where)
        elif NO_ESTIMATE.search(body):
            region = REGION.search(body)
            if region:
                state.imported.set(("aws", "region"), region.group(1), where)
        if amount is not None:
            state.imported.set((*key, "monthly_budget_usd"), number(amount), where)
            return True
    return False


def _components(state: State, section: Section) -> None:
    _frame(state, section)
    for index, text in _content(state, section):
        found = field_line(text)
        if found is None:
            continue
        where = state.source.where(index)
        value = found[1]
        if found[0] in (WORDS[lang]["c_environments"] for lang in ("es", "en")):
            state.env_sizing = read_sizing_line(value)
            if state.env_sizing:
                state.placed.add(index)
                continue
        items = component_items(value)
        kinds = {GENERATED.get(item) or OTHERS.get(item) for item in items}
        if "monitoring" in kinds:
            _recipients(state, value, where)
        for span in re.findall(r"`([^`]+)`", value):
            if REGION.fullmatch(span):
                state.imported.set(("aws", "region"), span, where)
            elif REPOSITORY.fullmatch(span) and ("ci" in kinds or not kinds - {None}):
                state.imported.set(("ci", "repository"), span, where)
        others = [item for item in items if item in OTHERS]
        for item in others:
            state.imported.report(
                where,
                "not-generated",
                f"component {found[0]}: {item} is not generated; infraplan generates "
                f"{ALTERNATIVE[OTHERS[item]]}",
            )
        if others or not any(item in GENERATED for item in items):
            state.imported.note(where, "kept", f"{found[0]}: {unescape(value)}")
        state.placed.add(index)


def _recipients(state: State, value: str, where: Where) -> None:
    """Who the monitoring line says alarms tell: e-mails, SNS topics, a Slack channel."""
    imported = state.imported
    emails = [m for m in re.findall(r"`([^`\s]+@[^`\s]+)`", value)]
    topics = re.findall(r"`(arn:aws[\w-]*:sns:[^`]+)`", value)
    slack = re.search(r"Slack `([A-Z0-9]+)/([A-Za-z0-9]+)`", value)
    if emails:
        imported.set(("monitoring", "notify_emails"), emails, where)
    if topics:
        imported.set(("monitoring", "notify_topic_arns"), topics, where)
    if slack:
        imported.set(("monitoring", "slack"), {"team_id": slack[1], "channel_id": slack[2]}, where)


def _flow(state: State, section: Section) -> None:
    _frame(state, section)
    for index, text in _content(state, section):
        step = re.sub(r"^\s*(\d+[.)]|[-*+])\s+", "", text).strip()
        where = state.source.where(index)
        if tasks.flow_step(state, step, where):
            state.placed.add(index)
        else:
            tasks.flow_evidence(state, step, where)
            state.placed.add(index)  # kept as a note by flow_evidence


def _diagram(state: State, section: Section) -> None:
    _frame(state, section)
    ours = any("flowchart LR" in t for _, t in section.lines) and any(
        "--OIDC-->" in t or '|OIDC| role["IAM:' in t for _, t in section.lines
    )
    for index, text in _content(state, section):
        where = state.source.where(index)
        vpc = re.search(r"VPC (\d+\.\d+\.\d+\.\d+/\d+), (\d) AZ", text)
        if vpc:
            state.imported.set(("network", "cidr"), vpc.group(1), where)
            state.imported.set(("network", "az_count"), int(vpc.group(2)), where)
        ecr = re.search(r'ECR: ([a-z0-9-]+)"', text)
        if ecr:
            state.ecr_name = (ecr.group(1), where)
        fargate = re.search(r'svc\["ECS Fargate: ([a-z0-9-]+)"\]', text)
        if fargate:
            state.evidence_service(fargate.group(1), where)
        if ours:
            state.placed.add(index)


def _rollback(state: State, section: Section) -> None:
    _frame(state, section)
    words = state.words
    for index, text in _content(state, section):
        found = field_line(text)
        if found is None:
            continue
        label = fold(found[0])
        key = "infrastructure" if "infra" in label or "iac" in label else "deployment"
        value = found[1]
        state.placed.add(index)
        defaults = (
            ("rollback_infra_default",)
            if key == "infrastructure"
            else ("rollback_deploy_auto", "rollback_deploy_manual")
        )
        if value in (words[d] for d in defaults):
            continue
        state.imported.set(("rollback", key), unescape(value).strip(), state.source.where(index))


_HANDLERS = {
    "header": _header,
    "objective": _free_text("objective", "default_objective"),
    "context": _free_text("context", "default_context"),
    "requirements": _requirements,
    "diagram": _diagram,
    "components": _components,
    "flow": _flow,
    "phase": tasks.phase,
    "criteria": tasks.criteria,
    "rollback": _rollback,
    "s5": tasks.risks,
}
