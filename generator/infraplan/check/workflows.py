"""GitHub Actions workflows, normalized, with local actions and reusable workflows followed.

Each workflow under ``.github/workflows`` becomes jobs of steps, every step
with its own ``path:line``. A step ``uses: ./path`` is replaced by the steps
of that local composite action; a job ``uses: ./.github/workflows/x.yml`` is
replaced by the called workflow's jobs, which inherit the caller's
permissions when they declare none (as GitHub does). YAML 1.1 reads ``on:``
as ``True``; here it is the key ``on``.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from infraplan.check.conflicts import conflict_error, first_side
from infraplan.check.discovery import decode
from infraplan.check.problems import FileProblem

MAX_DEPTH = 6


@dataclass(frozen=True)
class Step:
    path: str
    line: int
    name: str
    uses: str
    run: str  # the step's shell commands, then those of the repo scripts it calls
    with_: dict[str, Any]
    env: dict[str, Any]
    id: str = ""

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def action(self) -> str:
        """``owner/repo`` of a ``uses:`` (without path or version), lower-case."""
        base = self.uses.split("@")[0].lower()
        return "/".join(base.split("/")[:2]) if not base.startswith("./") else base


@dataclass(frozen=True)
class Job:
    workflow: str  # the top-level workflow file that runs this job
    path: str  # the file that defines it (a called workflow's, when reused)
    line: int
    id: str
    name: str
    permissions: Any  # mapping, "write-all"/"read-all", or None (not set anywhere)
    env: dict[str, Any]
    timeout: Any
    steps: tuple[Step, ...]
    triggers: tuple[str, ...]

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass
class WorkflowModel:
    jobs: list[Job] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    env: dict[str, dict[str, Any]] = field(default_factory=dict)  # workflow -> top-level env
    errors: list[FileProblem] = field(default_factory=list)


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = True
    return yaml


def _load(root: Path, rel: str, model: WorkflowModel) -> Any:
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        data = (root / rel).read_bytes()
    except OSError as exc:
        model.errors.append(FileProblem(rel, 1, f"cannot be read ({exc.strerror or exc})"))
        return None
    text, problem = decode(data)
    if text is None:
        model.errors.append(FileProblem(rel, 1, problem or "unreadable"))
        return None
    text, conflict = first_side(text)
    if conflict is not None:
        model.errors.append(conflict_error(rel, conflict))
    try:
        return _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(exc.problem or exc).split())
        model.errors.append(FileProblem(rel, mark.line + 1 if mark else 1, message))
    except (YAMLError, ValueError, RecursionError) as exc:
        model.errors.append(FileProblem(rel, 1, " ".join(str(exc).split())[:200]))
    return None


def _line(node: Any, key: Any = None) -> int:
    try:
        if key is not None:
            return int(node.lc.key(key)[0]) + 1
        return int(node.lc.line) + 1
    except (AttributeError, KeyError, TypeError):
        return 1


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {("on" if k is True else str(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _triggers(doc: Any) -> tuple[str, ...]:
    on = doc.get("on", doc.get(True)) if isinstance(doc, dict) else None
    if isinstance(on, str):
        return (on,)
    if isinstance(on, list):
        return tuple(str(x) for x in on)
    if isinstance(on, dict):
        return tuple("on" if k is True else str(k) for k in on)
    return ()


def build_workflow_model(root: Path, workflow_files: list[str]) -> WorkflowModel:
    model = WorkflowModel(files=list(workflow_files))
    docs: dict[str, Any] = {}
    for rel in workflow_files:
        doc = _load(root, rel, model)
        if isinstance(doc, dict):
            docs[rel] = doc
        elif doc is not None:
            model.errors.append(FileProblem(rel, 1, "a workflow must be a mapping"))
    called = {
        target
        for rel, doc in docs.items()
        for job in _mapping(doc.get("jobs")).values()
        if (target := _local_workflow(_mapping(job).get("uses")))
    }
    for rel, doc in docs.items():
        triggers = _triggers(doc)
        if rel in called and set(triggers) <= {"workflow_call"}:
            continue  # run through its callers, with their permissions
        try:
            model.env[rel] = _plain(_mapping(doc.get("env")))
            model.jobs.extend(_jobs(root, rel, rel, doc, None, triggers, model, docs, 0))
        except RecursionError:  # YAML anchors can build a structure that contains itself
            model.errors.append(
                FileProblem(rel, 1, "a YAML alias refers to itself; workflow skipped")
            )
    return model


def _mapping(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _local_workflow(uses: Any) -> str | None:
    if isinstance(uses, str) and uses.startswith("./") and uses.endswith((".yml", ".yaml")):
        target = posixpath.normpath(uses[2:].split("@")[0])
        return None if target.startswith("..") else target
    return None


def _jobs(
    root: Path,
    top: str,
    rel: str,
    doc: Any,
    inherited: Any,
    triggers: tuple[str, ...],
    model: WorkflowModel,
    docs: dict[str, Any],
    depth: int,
) -> list[Job]:
    out: list[Job] = []
    workflow_permissions = doc.get("permissions", inherited)
    workflow_env = _plain(_mapping(doc.get("env")))
    jobs = _mapping(doc.get("jobs"))
    for job_id, job in jobs.items():
        if not isinstance(job, dict):
            continue
        permissions = job.get("permissions", workflow_permissions)
        target = _local_workflow(job.get("uses"))
        if target is not None:
            called = docs.get(target)
            if called is None and depth < MAX_DEPTH:
                called = _load(root, target, model)
            if isinstance(called, dict) and depth < MAX_DEPTH:
                out.extend(
                    _jobs(root, top, target, called, permissions, triggers, model, docs, depth + 1)
                )
            continue
        env = {**workflow_env, **_plain(_mapping(job.get("env")))}
        steps = _steps(root, rel, job.get("steps"), model, 0, frozenset())
        out.append(
            Job(
                workflow=top,
                path=rel,
                line=_line(jobs, job_id),
                id=str(job_id),
                name=str(job.get("name") or job_id),
                permissions=_plain(permissions),
                env=env,
                timeout=job.get("timeout-minutes"),
                steps=tuple(steps),
                triggers=triggers,
            )
        )
    return out


def _steps(
    root: Path, rel: str, raw: Any, model: WorkflowModel, depth: int, chain: frozenset[str]
) -> list[Step]:
    out: list[Step] = []
    if not isinstance(raw, list):
        return out
    for step in raw:
        if not isinstance(step, dict):
            continue
        uses = str(step.get("uses") or "")
        if uses.startswith("./") and not uses.endswith((".yml", ".yaml")):
            action = _local_action(root, uses, model)
            if action is not None and action[0] not in chain and depth < MAX_DEPTH:
                path, doc = action
                inner = _mapping(doc.get("runs")).get("steps")
                out.extend(_steps(root, path, inner, model, depth + 1, chain | {path}))
                continue
        run = str(step.get("run") or "")
        out.append(
            Step(
                path=rel,
                line=_line(step),
                name=str(step.get("name") or ""),
                uses=uses,
                run=run + _scripts(root, run, step.get("working-directory")),
                with_=_plain(_mapping(step.get("with"))),
                env=_plain(_mapping(step.get("env"))),
                id=str(step.get("id") or ""),
            )
        )
    return out


_SCRIPT = re.compile(r"(?:^|[\s;&|(])(?:(?:bash|sh)\s+)?((?:\./)?[\w./-]+\.(?:sh|bash))\b")
MAX_SCRIPT_BYTES = 256 * 1024


def _scripts(root: Path, run: str, working_directory: Any) -> str:
    """The text of the repository's shell scripts a ``run:`` calls, so a deploy done in
    ``./scripts/deploy.sh`` is seen as the step's own (one level deep)."""
    found: dict[str, str] = {}
    base = working_directory if isinstance(working_directory, str) else "."
    for match in _SCRIPT.finditer(run):
        for folder in dict.fromkeys((base, ".")):
            rel = posixpath.normpath(posixpath.join(folder, match.group(1)))
            path = root / rel
            if rel.startswith("..") or rel in found or not path.is_file():
                continue
            try:
                if path.stat().st_size <= MAX_SCRIPT_BYTES:
                    found[rel] = decode(path.read_bytes())[0] or ""
            except OSError:
                pass
            break
    return "".join(f"\n# {rel}\n{text}" for rel, text in found.items())


def _local_action(root: Path, uses: str, model: WorkflowModel) -> tuple[str, Any] | None:
    folder = posixpath.normpath(uses[2:].split("@")[0])
    if folder.startswith(".."):
        return None  # outside the repository
    for name in ("action.yml", "action.yaml"):
        rel = f"{folder}/{name}"
        if (root / rel).is_file():
            doc = _load(root, rel, model)
            return (rel, doc) if isinstance(doc, dict) else None
    return None
