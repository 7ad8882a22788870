"""The Markdown importer's last step: settle what depends on several sections
(project, service, repository, id, environments, sizes) and keep every line no
section placed as a note."""

from __future__ import annotations

import re
from typing import Any

from infraplan.importers.common import Where, slug
from infraplan.importers.markdown_state import State
from infraplan.importers.patterns import HEALTH, PORT, REGION, REPOSITORY, SERVICE
from infraplan.plan.words import WORDS
from infraplan.spec.aws_facts import FARGATE_SIZES


def finish(state: State) -> None:
    _unplaced(state)
    _requirements(state)
    _environments(state)
    _project_and_service(state)
    _repository(state)
    _id_and_date(state)
    _named_anywhere(state)
    if state.saw_phases and "3.2" not in state.found_tasks:
        state.imported.set(("monitoring", "dashboard"), False)
    _size_from_estimate(state)


def _unplaced(state: State) -> None:
    """Keep each run of lines nothing placed as one note, reported with its lines."""
    run: list[int] = []
    lines = state.source.lines
    ends = {WORDS[lang]["end"].strip("*").lower() for lang in WORDS}
    for index in [*range(len(lines)), len(lines)]:
        keep = (
            index < len(lines)
            and lines[index].strip()
            and not re.fullmatch(r"(-{3,}|\*{3,}|_{3,})", lines[index].strip())
            and index not in state.placed
            and index not in state.placeholder_lines
            and lines[index].strip().strip("*").lower() not in ends
        )
        if keep:
            run.append(index)
            continue
        if run:
            text = "\n".join(lines[i].strip() for i in run)
            where = state.source.where(run[0])
            span = f"lines {run[0] + 1}-{run[-1] + 1}" if len(run) > 1 else f"line {run[0] + 1}"
            state.imported.report(where, "unplaced", f"{span} kept as a note: {text[:70]!r}")
            state.imported.values.setdefault("notes", []).append(f"{where}: {text}")
        run = []


def _requirements(state: State) -> None:
    imported = state.imported
    if state.criterion_minutes is None:
        return
    minutes, where = state.criterion_minutes
    current = imported.get(("requirements", "deploy_minutes"))
    if current is None:
        imported.set(("requirements", "deploy_minutes"), minutes, where)
    elif current != minutes:
        imported.report(
            where,
            "conflict",
            f"acceptance criterion says {minutes} minutes, R2 says {current}: R2 kept",
        )


def _environments(state: State) -> None:
    if state.environments is None:
        return
    names, where = state.environments
    envs: list[dict[str, Any]] = [
        {"name": n, **({"approval": True} if n in state.approvals else {})} for n in names
    ]
    for env in envs:  # the tasks' word, where no "Environments" line gives it
        if env["name"] in state.exec_envs:
            env["ecs_exec"] = True
        if env["name"] in state.spot_envs:
            env["spot"] = True
    sizes = [state.env_sizing.get(n) for n in names]
    if all(sizes):
        _sizing_from_line(state, envs, [s for s in sizes if s], where)
    state.imported.set(("environments",), envs, where)


# Where the plan's "Environments" line puts each key: the service's and the network's own
# value is the last environment's (production, deployed last, usually keeps them), and an
# environment writes its own only where it differs.
_SIZING_KEYS = {
    "desired_count": ("service", "desired_count"),
    "cpu": ("service", "cpu"),
    "memory": ("service", "memory"),
    "nat": ("network", "nat"),
}


def _sizing_from_line(
    state: State, envs: list[dict[str, Any]], sizes: list[dict[str, Any]], where: Where
) -> None:
    from infraplan.spec.network import Network
    from infraplan.spec.service import Service

    defaults = {"service": Service.model_fields, "network": Network.model_fields}
    last = sizes[-1]
    for key, loc in _SIZING_KEYS.items():
        default = defaults[loc[0]][loc[1]].default
        if state.imported.get(loc, default) != last[key]:
            state.imported.set(loc, last[key], where)
    for env, size in zip(envs, sizes, strict=True):
        env.update({k: v for k, v in size.items() if k not in _SIZING_KEYS or v != last[k]})
    state.sized_by_line = True


def _project_and_service(state: State) -> None:
    imported = state.imported
    first_env = (state.environments[0][0] if state.environments else ["staging"])[0]
    project, where = "", None
    if state.ecr_name and state.ecr_name[0].endswith(f"-{first_env}"):
        project, where = state.ecr_name[0][: -len(first_env) - 1], state.ecr_name[1]
    elif state.raw_id:
        found = re.match(r"^INFRA-\d{8}-([A-Z0-9-]+)$", state.raw_id[0])
        if found:
            project, where = found.group(1).lower(), state.raw_id[1]
    if not project:
        named = [name for name, _ in state.services] or SERVICE.findall("\n".join(_readable(state)))
        title = imported.get(("title",), "")
        for candidate in (*named, title, state.source.name.rsplit("/", 1)[-1].split(".")[0]):
            project = slug(str(candidate))
            if project:
                break
        project = project or "my-service"
        imported.report(
            Where(state.source.name),
            "inferred",
            f"no plan ID names the project: project set to {project!r}; check it",
        )
    imported.set(("project",), project, where)
    if imported.get(("title",)) == project:
        imported.drop(("title",))  # the default title is the project's name
    if state.services:
        name, at = state.services[-1]
        imported.set(("service", "name"), name, at)
    else:
        for index, line in enumerate(_readable(state)):
            found = SERVICE.search(line)
            if found:
                imported.set(("service", "name"), found.group(1), state.source.where(index))
                break


def _readable(state: State) -> list[str]:
    """The file's lines with placeholder lines blanked (an example is not a value)."""
    return [
        "" if index in state.placeholder_lines else line
        for index, line in enumerate(state.source.lines)
    ]


def _repository(state: State) -> None:
    imported = state.imported
    if imported.get(("ci", "repository")):
        return
    for index, line in enumerate(_readable(state)):
        found = re.search(r"github\.com[/:]([\w.-]+/[\w.-]+?)(?:\.git)?\b", line)
        if found and REPOSITORY.fullmatch(found.group(1)):
            imported.set(("ci", "repository"), found.group(1), state.source.where(index))
            return
    project = imported.get(("project",))
    imported.set(("ci", "repository"), f"my-org/{project}")
    imported.report(
        Where(state.source.name),
        "unfilled",
        f"the plan names no GitHub repository: ci.repository set to my-org/{project}; "
        "change it before `infraplan new` (the deploy role trusts only that repository)",
    )


def _id_and_date(state: State) -> None:
    imported = state.imported
    if state.raw_id is None:
        return
    raw, where = state.raw_id
    found = re.match(r"^INFRA-(\d{4})(\d{2})(\d{2})-", raw)
    if imported.get(("date",)) is None and found:
        import datetime as dt

        try:
            date = dt.date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
            imported.set(("date",), date, where)
        except ValueError:
            pass
    date = imported.get(("date",))
    project = str(imported.get(("project",), ""))
    if date is not None and raw == f"INFRA-{date:%Y%m%d}-{project.upper()}":
        return  # the id infraplan derives: the spec leaves it out
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", raw):
        imported.set(("id",), raw, where)
    else:
        imported.note(where, "unplaced", f"plan ID {raw!r} is not a valid id")


def _named_anywhere(state: State) -> None:
    """Region and port named anywhere in the text, when no section gave them."""
    imported = state.imported
    checks: tuple[tuple[tuple[str, str], re.Pattern[str], type], ...] = (
        (("aws", "region"), REGION, str),
        (("service", "port"), PORT, int),
        (("service", "health_check_path"), HEALTH, str),
    )
    for key, pattern, convert in checks:
        if imported.get(key) is not None:
            continue
        for index, line in enumerate(state.source.lines):
            if index in state.placeholder_lines:
                continue
            found = pattern.search(line)
            if found:
                imported.set(key, convert(found.group(1)), state.source.where(index))
                break


def _size_from_estimate(state: State) -> None:
    """The task size the R4 estimate was computed from, when the text does not say it.

    infraplan's estimate is a function of the spec (cpu, memory, task count, NAT);
    the first size, nearest the defaults, whose estimate is the plan's figure is taken,
    and reported as inferred: several sizes may cost the same."""
    if state.estimate is None or state.sized_by_line:
        return  # the plan's "Environments" line gave every size
    figure, where = state.estimate
    from infraplan.cost import estimate_total
    from infraplan.errors import UserError
    from infraplan.importers.common import render_imported
    from infraplan.spec.load import parse_spec

    try:
        spec = parse_spec(render_imported(state.imported, ""))
    except UserError:
        return
    service, network = spec.service, spec.network
    sizes = [(service.cpu, service.memory)] + [
        (cpu, memory) for cpu, memories in FARGATE_SIZES.items() for memory in memories
    ]
    for nat in dict.fromkeys((network.nat, "single", "none", "per_az")):
        for count in dict.fromkeys((service.desired_count, 2, 1, *range(3, 11))):
            for cpu, memory in sizes:
                candidate = spec.model_copy(
                    update={
                        "service": service.model_copy(
                            update={"cpu": cpu, "memory": memory, "desired_count": count}
                        ),
                        "network": network.model_copy(update={"nat": nat}),
                    }
                )
                try:
                    total = estimate_total(candidate)
                except UserError:
                    return
                if f"{total:,.2f}" != figure:
                    continue
                _set_size(state, where, cpu, memory, count, nat, spec)
                return
    state.imported.report(
        where, "inferred", f"no task size gives the estimate ${figure}: sizes left as defaults"
    )


def _set_size(
    state: State, where: Where, cpu: int, memory: int, count: int, nat: str, spec: Any
) -> None:
    imported = state.imported
    changed = []
    for key, value, current in (
        (("service", "cpu"), cpu, spec.service.cpu),
        (("service", "memory"), memory, spec.service.memory),
        (("service", "desired_count"), count, spec.service.desired_count),
        (("network", "nat"), nat, spec.network.nat),
    ):
        if value != current:
            imported.set(key, value, where)
            changed.append(f"{'.'.join(key)} {value}")
    if changed:
        imported.report(
            where,
            "inferred",
            f"from the R4 estimate ${state.estimate[0] if state.estimate else ''}: "
            + ", ".join(changed)
            + " (another size may cost the same; check them)",
        )
