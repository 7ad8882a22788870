"""``infraplan new``: the whole starter repo for a plan, in memory.

spec → catalogue → render → (writer). Every task of the plan is mapped to the
generated files that carry it out and to the Terraform resources in them; the
Markdown plan and the manifest show the same map.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from posixpath import normpath
from typing import Any

from infraplan.catalogue import Lang, Task, expand_files, tasks_for
from infraplan.errors import InfraplanError
from infraplan.plan.boxes import plan_box_ids
from infraplan.plan.markdown import render_plan
from infraplan.scaffold.bases import (
    BASES_PATH,
    GITATTRIBUTES,
    GITATTRIBUTES_PATH,
    is_state_path,
    pack,
)
from infraplan.scaffold.manifest import (
    MANIFEST_PATH,
    SPEC_PATH,
    Manifest,
    TaskRecord,
    policy_for,
    sha256,
)
from infraplan.scaffold.render import File, render_code
from infraplan.spec.load import located_error
from infraplan.spec.model import Spec
from infraplan.spec.naming import env_names
from infraplan.spec.schema import SCHEMA_FILE, schema_json
from infraplan.spec.semantics import generation_problems

PLAN_PATH = "PLAN.md"
MODULES_DIR = "infra/modules/"
ENVS_DIR = "infra/envs/"


@dataclass(frozen=True)
class TaskMap:
    id: str
    files: tuple[str, ...]
    resources: tuple[str, ...]


@dataclass(frozen=True)
class StarterRepo:
    files: tuple[File, ...]
    tasks: tuple[TaskMap, ...]

    def by_path(self) -> dict[str, bytes]:
        return {f.path: f.content for f in self.files}

    def repo_files(self) -> list[File]:
        """The files of the repo itself: without the manifest and the base copies."""
        return [f for f in self.files if not is_state_path(f.path)]

    manifest: Manifest

    def rendered(self) -> dict[str, bytes]:
        """What was rendered, by hash: the bases of the next update."""
        return {sha256(f.content): f.content for f in self.files if not is_state_path(f.path)}


def build_starter_repo(spec: Spec, spec_text: str, lang: Lang | None = None) -> StarterRepo:
    """Every file of the starter repo for ``spec``, with the task → files → resources map."""
    problems = generation_problems(spec)
    if problems:
        raise located_error(spec_text, SPEC_PATH, problems)
    language: Lang = lang or spec.language
    code = render_code(spec)
    paths = [f.path for f in code]
    resources = terraform_resources(code)
    tasks = tuple(
        _map_task(task, expand_files(task, spec), paths, resources) for task in tasks_for(spec)
    )
    file_map = {t.id: list(t.files) for t in tasks}
    plan = render_plan(
        spec, language, files=file_map, resources={t.id: list(t.resources) for t in tasks}
    )
    files = [
        *code,
        File(PLAN_PATH, plan.encode("utf-8")),
        File(SPEC_PATH, spec_text.encode("utf-8")),
        File(GITATTRIBUTES_PATH, GITATTRIBUTES),
    ]
    names = {env.name: _names(spec, env.name) for env in spec.environments}
    manifest = Manifest.build(
        language=language,
        spec_language=spec.language,
        tasks={t.id: TaskRecord(files=t.files, resources=t.resources) for t in tasks},
        files={f.path: f.content for f in files},
        names=names,
        plan_date=spec.date.isoformat(),
        plan_boxes=plan_box_ids(spec),
    )
    files.append(File(MANIFEST_PATH, manifest.dump()))
    files.append(File(BASES_PATH, base_store(files)))
    files.append(File(SCHEMA_FILE, schema_json().encode("utf-8")))
    return StarterRepo(tuple(sorted(files, key=lambda f: f.path)), tasks, manifest)


def base_store(files: Sequence[File]) -> bytes:
    """A copy of every generated file, the merge base of the next ``update``.

    Seeded files get one too: ``update`` never rewrites them, but it shows
    what the plan changed in them since the last run.
    """
    return pack(
        f.content for f in files if policy_for(f.path) != "source" and not is_state_path(f.path)
    )


def _names(spec: Spec, env: str) -> dict[str, str]:
    return {k: v for k, v in vars(env_names(spec, env)).items() if isinstance(v, str)}


def _map_task(
    task: Task,
    catalogue_paths: Sequence[str],
    generated: Sequence[str],
    resources: Mapping[str, Sequence[str]],
) -> TaskMap:
    files: list[str] = []
    for entry in catalogue_paths:
        if entry not in generated:
            raise InfraplanError(
                f"task {task.id}: the catalogue names {entry}, but no template generates it"
            )
        if entry not in files:
            files.append(entry)
    # an address ends in <type>.<name>
    addresses = [
        a for path in files for a in resources.get(path, ()) if task.carries(a.split(".")[-2])
    ]
    return TaskMap(task.id, tuple(files), tuple(dict.fromkeys(addresses)))


def terraform_resources(files: Sequence[File]) -> dict[str, list[str]]:
    """Resource addresses per generated ``.tf`` file, as an environment root sees them.

    A module's resources are addressed through the module calls that reach it
    (``module.stack.module.network.aws_vpc.this``); the env roots and the
    modules are read to learn those call names, so a renamed call stays right.
    """
    parsed = {
        f.path: _declarations(f.content)
        for f in files
        # only files that declare resources or module calls are worth a parse (the
        # parser is the slow part of `new`); variables, outputs and versions are not
        if f.path.endswith(".tf") and (b'resource "' in f.content or b'module "' in f.content)
    }
    calls = _module_prefixes(parsed)
    out: dict[str, list[str]] = {}
    for path, blocks in parsed.items():
        prefix = ""
        if path.startswith(MODULES_DIR):
            prefix = calls.get(path.rsplit("/", 1)[0] + "/", "")
        addresses = [
            f"{prefix}{b['labels'][0]}.{b['labels'][1]}"
            for b in blocks
            if b["kind"] == "resource" and len(b["labels"]) == 2
        ]
        if addresses:
            out[path] = addresses
    return out


@functools.lru_cache(maxsize=512)
def _declarations(content: bytes) -> list[dict[str, Any]]:
    """The resource and module blocks of one file, kept per content for the process.

    Most generated files are byte-identical from one render to the next (``update`` renders
    the old and the new spec; tests render the same specs many times), and the parse is the
    slow part of a render. Callers only read what this returns.
    """
    from infraplan.hcl.parse import parse_terraform_text

    return [
        {"kind": b["kind"], "labels": b["labels"], "body": {"source": b["body"].get("source", "")}}
        for b in parse_terraform_text(content.decode("utf-8"))["blocks"]
        if b["kind"] in ("resource", "module")
    ]


def _module_prefixes(parsed: Mapping[str, list[dict[str, Any]]]) -> dict[str, str]:
    """Module folder -> the address prefix its resources have seen from an env root
    (``module.stack.module.network.``), following module calls inside modules."""
    prefixes: dict[str, str] = {}
    pending = [(p, "") for p in parsed if p.startswith(ENVS_DIR)]
    while pending:
        path, prefix = pending.pop()
        folder = path.rsplit("/", 1)[0]
        for block in parsed[path]:
            if block["kind"] != "module" or not block["labels"]:
                continue
            target = normpath(f"{folder}/{block['body'].get('source', '')}") + "/"
            if target in prefixes:
                continue
            prefixes[target] = f"{prefix}module.{block['labels'][0]}."
            pending += [(p, prefixes[target]) for p in parsed if p.startswith(target)]
    return prefixes
