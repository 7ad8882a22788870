"""Render the Markdown plan in the seed's structure, in Spanish or English.

Pure: a spec in, a string out. The same spec gives the same bytes. Every piece
of user text goes through :mod:`infraplan.escape`; the catalogue's texts are
ours and only take validated names and numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from infraplan.catalogue import (
    PHASES,
    REQUIREMENTS,
    Lang,
    criteria_for,
    expand_files,
    format_budget,
    scaling_fields,
    tasks_for,
    text_fields,
)
from infraplan.escape import md_block, md_code, md_inline
from infraplan.plan.cost_risks import cost_risks
from infraplan.plan.environments import sizing_line
from infraplan.plan.https_risks import transport_risks
from infraplan.plan.risks import checkov_skips, default_risks, identity_risks
from infraplan.plan.words import DIAGRAM_WORDS, WORDS
from infraplan.spec.addressing import layout_subnets
from infraplan.spec.model import Spec
from infraplan.spec.naming import env_names

SEPARATOR = "---"


@dataclass(frozen=True)
class PlanTask:
    """One checklist line of section 3: a catalogue task or one the user added."""

    id: str
    phase: int
    text: str  # Markdown, ready to print
    files: tuple[str, ...]
    rules: tuple[str, ...]
    resources: tuple[str, ...] = ()


def task_marker(task_id: str) -> str:
    """The machine-readable stable id after a task line whose shown number differs."""
    return f"<!-- task {task_id} -->"


def plan_tasks(
    spec: Spec,
    lang: Lang,
    files: Mapping[str, Sequence[str]] | None = None,
    resources: Mapping[str, Sequence[str]] | None = None,
) -> list[PlanTask]:
    """The tasks of the plan in order; ``files`` (task id -> paths) overrides the
    catalogue's indicative paths with what was actually generated, and
    ``resources`` (task id -> Terraform addresses) adds what carries it out."""
    fields = _text_fields(spec)
    out = []
    for task in tasks_for(spec):
        paths = (
            tuple(files[task.id]) if files and task.id in files else tuple(expand_files(task, spec))
        )
        out.append(
            PlanTask(
                task.id,
                task.phase,
                task.text[lang].format(**fields),
                paths,
                task.rules,
                tuple(resources.get(task.id, ())) if resources else (),
            )
        )
    counters: dict[int, int] = {}
    for extra in spec.tasks:
        counters[extra.phase] = counters.get(extra.phase, 0) + 1
        out.append(
            PlanTask(
                f"U{extra.phase}.{counters[extra.phase]}",
                extra.phase,
                md_inline(extra.text),
                tuple(extra.files),
                (),
            )
        )
    return sorted(out, key=lambda t: (t.phase, t.id.startswith("U")))


def task_numbers(tasks: Sequence[PlanTask]) -> dict[str, str]:
    """Stable id -> the number PLAN.md shows: contiguous within each phase of ``tasks``
    (``plan_tasks``'s order), as a reader counts; ``check`` and ``new`` show it too."""
    counted: dict[int, int] = {}
    numbers = {}
    for task in tasks:
        counted[task.phase] = counted.get(task.phase, 0) + 1
        numbers[task.id] = f"{task.phase}.{counted[task.phase]}"
    return numbers


def _text_fields(spec: Spec) -> dict[str, str]:
    """Catalogue fields as Markdown: names that may hold ``_`` become code spans."""
    fields = text_fields(spec)
    fields["secrets"] = ", ".join(md_code(name) for name in spec.secrets)
    fields["environments"] = ", ".join(md_code(env.name) for env in spec.environments)
    fields["first_env"] = md_code(spec.environments[0].name)
    fields["exec_environments"] = ", ".join(
        md_code(env.name) for env in spec.environments if env.ecs_exec
    )
    fields["spot_environments"] = ", ".join(
        md_code(env.name) for env in spec.environments if env.spot
    )
    fields["last_env"] = md_code(spec.environments[-1].name)
    fields.update(scaling_fields(spec, md_code))
    return fields


def render_plan(
    spec: Spec,
    lang: Lang | None = None,
    files: Mapping[str, Sequence[str]] | None = None,
    resources: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """The whole Markdown plan for ``spec``; ``files`` and ``resources`` (by task id)
    are what ``new`` generated for each task."""
    language: Lang = lang or spec.language
    w = WORDS[language]
    cost = _estimate(spec)  # the R4 line and the risk table show the same figure
    sections = [
        _header(spec, w),
        _objectives(spec, language, w, cost),
        _architecture(spec, language, w),
        _implementation(spec, language, w, files, resources),
        _verification(spec, language, w),
        _risks(spec, language, w, cost),
    ]
    return f"\n\n{SEPARATOR}\n\n".join(sections) + f"\n\n{SEPARATOR}\n{w['end']}\n"


def _header(spec: Spec, w: Mapping[str, str]) -> str:
    service = md_code(spec.service_name)
    scope = md_inline(spec.scope) if spec.scope else w["default_scope"].format(service=service)
    # Defaults the spec did not spell out are written in the plan's language.
    given = spec.model_fields_set
    owners = (
        ", ".join(md_inline(o) for o in spec.owners) or "—"
        if "owners" in given
        else w["default_owners"]
    )
    estimate = md_inline(spec.estimate) if "estimate" in given else w["default_estimate"]
    lines = [
        w["title"].format(title=md_inline(spec.display_title)),
        "",
        f"{w['plan_id']} {md_inline(spec.plan_id)}",
        f"{w['date']} {spec.date.isoformat()}",
        f"{w['scope']} {scope}",
        f"{w['owners']} {owners}",
        f"{w['estimate']} {estimate}",
    ]
    # Two trailing spaces keep the seed's one-field-per-line look in rendered Markdown.
    return "\n".join(
        line + ("  " if line.startswith("**") and line != lines[-1] else "") for line in lines
    )


def _objectives(spec: Spec, lang: Lang, w: Mapping[str, str], cost: float | None) -> str:
    service = md_code(spec.service_name)
    branch = md_code(spec.ci.branch)
    objective = (
        md_block(spec.objective)
        if spec.objective
        else w["default_objective"].format(service=service, branch=branch)
    )
    context = md_block(spec.context) if spec.context else w["default_context"]
    fields = _text_fields(spec)
    requirements = []
    for req in REQUIREMENTS:
        text = (req.text[lang] if req.enabled(spec) else req.text_off[lang]).format(**fields)
        if req.id == "R4":
            text += " " + _cost_note(spec, w, cost)
        requirements.append(f"- **{req.id}: {req.kind[lang]}.** {text}")
    return "\n".join(
        [
            w["s1"],
            "",
            w["objective"],
            objective,
            "",
            w["context"],
            context,
            "",
            w["requirements"],
            *requirements,
        ]
    )


def _architecture(spec: Spec, lang: Lang, w: Mapping[str, str]) -> str:
    d = DIAGRAM_WORDS[lang]
    names = env_names(spec, spec.environments[0].name)
    az = spec.network.az_count
    layout = layout_subnets(spec.network.cidr, az)
    mermaid = [
        "```mermaid",
        "flowchart LR",
        f'  dev["{d["dev"]}"] -->|push / PR| gha["GitHub Actions"]',
        f'  gha -->|OIDC| role["IAM: {d["role"]}"]',
        f'  gha -->|docker push| ecr["ECR: {names.ecr_repository}"]',
        f"  gha -->|{d['deploy']}| svc",
        f'  users["{d["users"]}"] -->|{_scheme(spec)}| alb',
        f'  subgraph vpc["VPC {spec.network.cidr}, {az} {d["azs"]}"]',
        f'    alb["ALB ({d["public_subnets"].format(count=len(layout.public))})"] --> '
        f'svc["ECS Fargate: {spec.service_name}"]',
        "  end",
        '  svc --> sm["Secrets Manager"]' if spec.secrets else '  svc --> logs["CloudWatch Logs"]',
        f'  svc --> cw["CloudWatch: {d["alarms"]}'
        + (f', {d["dashboard"]}"]' if spec.monitoring.dashboard else '"]'),
        '  cw --> sns["SNS"]',
        "```",
    ]
    ascii_art = [
        "```text",
        f"{d['dev']} --push/PR--> GitHub Actions --OIDC--> IAM ({d['role']})",
        "                            |--docker push--> ECR",
        f"                            '--{d['deploy']:-<13}> ECS Fargate",
        f"{d['users']} --{_scheme(spec)}--> ALB ({d['public']} x{az}) --> "
        f"ECS Fargate: {spec.service_name} ({d['private']} x{az})",
        "                                   |--> "
        + ("Secrets Manager" if spec.secrets else "CloudWatch Logs"),
        "                                   '--> CloudWatch --> SNS",
        "```",
    ]
    components = [
        f"- **{w['c_cloud']}:** AWS ({md_code(spec.aws.region)})",
        f"- **{w['c_ci']}:** GitHub Actions ({md_code(spec.ci.repository)})",
        f"- **{w['c_iac']}:** Terraform",
        f"- **{w['c_containers']}:** Docker, ECS Fargate, ECR",
        f"- **{w['c_monitoring']}:** CloudWatch{_recipients(spec, w)}",
        f"- **{w['c_secrets']}:** AWS Secrets Manager",
        f"- **{w['c_environments']}:** {sizing_line(spec)}",
        *_https_component(spec, w),
    ]
    envs = ", ".join(md_code(e.name) for e in spec.environments)
    flow = [w["flow_1"], w["flow_2"]]
    if spec.ci.preview_environments:
        flow.append(w["flow_preview"])
    flow.append(w["flow_3"].format(branch=spec.ci.branch))
    flow.append(w["flow_4"].format(environments=envs))
    flow.extend(
        w["flow_approval"].format(env=md_code(e.name)) for e in spec.environments if e.approval
    )
    flow.append(w["flow_5"].format(path=spec.service.health_check_path))
    flow.append(w["flow_6"])
    return "\n".join(
        [
            w["s2"],
            "",
            w["diagram"],
            *mermaid,
            "",
            w["ascii_note"],
            "",
            *ascii_art,
            "",
            w["components"],
            *components,
            "",
            w["flow"],
            *(f"{i}. {step}" for i, step in enumerate(flow, 1)),
        ]
    )


def _scheme(spec: Spec) -> str:
    """What users speak to the load balancer: HTTPS (port 80 only redirects) or HTTP."""
    return "HTTPS" if spec.service.https else "HTTP"


def _https_component(spec: Spec, w: Mapping[str, str]) -> list[str]:
    if spec.service.domain is None:
        return []
    names = [n for n in (spec.domain(e.name) for e in spec.environments) if n]
    shown = ", ".join(md_code(n) for n in names)
    zone = md_code(spec.service.hosted_zone or "")
    return [f"- **{w['c_https']}:** {shown}; Route 53 ({zone}), ACM"]


def _recipients(spec: Spec, w: Mapping[str, str]) -> str:
    """Who alarms and the budget tell, so the plan says it (and `init --from` reads it back)."""
    monitoring = spec.monitoring
    told = [md_code(t) for t in (*monitoring.notify_emails, *monitoring.notify_topic_arns)]
    if monitoring.slack is not None:
        told.append(f"Slack {md_code(f'{monitoring.slack.team_id}/{monitoring.slack.channel_id}')}")
    return f" ({w['notifies']} {', '.join(told)})" if told else ""


def _implementation(
    spec: Spec,
    lang: Lang,
    w: Mapping[str, str],
    files: Mapping[str, Sequence[str]] | None,
    resources: Mapping[str, Sequence[str]] | None,
) -> str:
    tasks = plan_tasks(spec, lang, files, resources)
    numbers = task_numbers(tasks)
    out = [w["s3"]]
    for phase in PHASES:
        out += ["", w["phase"].format(number=phase.number, title=phase.title[lang])]
        for task in (t for t in tasks if t.phase == phase.number):
            # A reader sees contiguous numbers; the stable id (manifest, --tick) follows
            # in a comment wherever the two differ.
            number = numbers[task.id]
            suffix = f" {w['user_task']}" if task.id.startswith("U") else ""
            if task.id in spec.not_applicable:
                reason = md_inline(spec.not_applicable[task.id])
                suffix += " " + w["not_applicable"].format(reason=reason)
            stable = f" {task_marker(task.id)}" if number != task.id else ""
            box = "x" if task.id in spec.done else " "
            out.append(f"- [{box}] {w['task']} {number}: {task.text}{suffix}{stable}")
            for label, values in (
                ("files", task.files),
                ("resources", task.resources),
                ("proof", task.rules),
            ):
                if values:
                    out.append(f"  - {w[label]}: " + ", ".join(md_code(v) for v in values))
    return "\n".join(out)


def _verification(spec: Spec, lang: Lang, w: Mapping[str, str]) -> str:
    fields = _text_fields(spec)
    criteria = [f"- [ ] {c.text[lang].format(**fields)}" for c in criteria_for(spec)]
    deploy = (
        md_inline(spec.rollback.deployment)
        if spec.rollback.deployment
        else w[
            "rollback_deploy_auto" if spec.requirements.auto_rollback else "rollback_deploy_manual"
        ]
    )
    infra = (
        md_inline(spec.rollback.infrastructure)
        if spec.rollback.infrastructure
        else w["rollback_infra_default"]
    )
    return "\n".join(
        [
            w["s4"],
            "",
            w["criteria"],
            *criteria,
            "",
            w["rollback"],
            f"- **{w['rollback_deploy']}:** {deploy}",
            f"- **{w['rollback_infra']}:** {infra}",
        ]
    )


def _risks(spec: Spec, lang: Lang, w: Mapping[str, str], cost: float | None) -> str:
    rows: list[tuple[str, str, str, str]]
    if spec.risks is not None:
        rows = [(r.risk, r.probability, r.impact, r.mitigation) for r in spec.risks]
    else:
        rows = default_risks(spec, lang)
    lines = [w["s5"], "", w["risk_header"], "|--------|--------------|---------|------------|"]
    for risk, probability, impact, mitigation in rows:
        lines.append(
            f"| **{md_inline(risk)}** | {w[f'level_{probability}_f']} | {w[f'level_{impact}_m']} "
            f"| {md_inline(mitigation)} |"
        )
    lines.extend(_cost_risk(spec, w, cost))
    if not spec.monitoring.notifies_someone:
        lines.append(
            f"| **{w['notify_risk']}** | {w['level_high_f']} | {w['level_high_m']} "
            f"| {w['notify_mitigation']} |"
        )
    for risk, probability, impact, mitigation in [
        *cost_risks(spec, lang),
        *transport_risks(spec, lang),
        *identity_risks(spec, lang),
    ]:
        lines.append(
            f"| **{md_inline(risk)}** | {w[f'level_{probability}_f']} "
            f"| {w[f'level_{impact}_m']} | {md_inline(mitigation)} |"
        )
    skips = checkov_skips(lang)
    if skips:
        lines.append(
            f"| **{w['skips_risk'].format(count=len(skips))}** | {w['level_low_f']} "
            f"| {w['level_medium_m']} | {w['skips_mitigation']} |"
        )
        lines += ["", w["skips_heading"], ""]
        lines += [
            "- "
            + w["skip_item"].format(check=md_code(s.id), resource=md_code(s.resource))
            + f": {md_inline(s.reason)}"
            for s in skips
        ]
    return "\n".join(lines)


def _estimate(spec: Spec) -> float | None:
    """The monthly estimate of every environment together, or None without prices."""
    from infraplan.cost import estimate_total
    from infraplan.errors import UserError

    try:
        return estimate_total(spec)
    except UserError:
        return None


def _cost_note(spec: Spec, w: Mapping[str, str], total: float | None) -> str:
    if total is None:
        return w["cost_unknown"].format(region=md_code(spec.aws.region))
    from infraplan.cost.prices import price_table

    note = w["cost_estimate"].format(
        total=f"${total:,.2f}", count=len(spec.environments), command=md_code("infraplan cost")
    )
    if price_table(spec.aws.region).approximate:
        note += " " + w["cost_approximate"].format(region=md_code(spec.aws.region))
    return note


def _cost_risk(spec: Spec, w: Mapping[str, str], total: float | None) -> list[str]:
    """A risk row when the estimate is over R4: the plan says so before the bill does."""
    budget = spec.requirements.monthly_budget_usd
    if total is None or total <= budget:
        return []
    risk = w["cost_risk"].format(total=f"${total:,.2f}", budget=format_budget(budget))
    return [
        f"| **{risk}** | {w['level_high_f']} | {w['level_medium_m']} | {w['cost_mitigation']} |"
    ]
