"""``infraplan init``: a commented starter plan.yaml that is valid as written."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from infraplan import PLAN_FILE
from infraplan.errors import SpecError, UserError
from infraplan.escape import yaml_string
from infraplan.init.words import STARTER, STARTER_WORDS
from infraplan.scaffold.writer import write_spec
from infraplan.spec.load import parse_spec
from infraplan.spec.naming import PLACEHOLDER_OWNER
from infraplan.spec.schema import SCHEMA_MODELINE
from infraplan.spec.types import SLUG


@dataclass(frozen=True)
class StarterAnswers:
    project: str
    repository: str
    region: str
    language: str
    repository_owner_id: str = ""  # empty: skipped, the roles trust the name form
    repository_id: str = ""


DEFAULT_OWNER = PLACEHOLDER_OWNER


def default_answers(path: Path) -> StarterAnswers:
    """Defaults drawn from the folder name, so `init` in ./checkout suggests `checkout`."""
    folder = Path(path).resolve().parent.name.lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folder).strip("-")
    if not re.fullmatch(SLUG, slug) or not 2 <= len(slug) <= 28:
        slug = "my-service"
    return StarterAnswers(slug, f"{DEFAULT_OWNER}/{slug}", "eu-west-1", "es")


def given_answers(path: Path, given: Mapping[str, str | None]) -> StarterAnswers:
    """The defaults with what the command line gave; the repository default follows the
    project name."""
    answers = replace(default_answers(path), **{k: v for k, v in given.items() if v})
    if not given.get("repository"):
        answers = replace(answers, repository=f"{DEFAULT_OWNER}/{answers.project}")
    return answers


# What `init` asks, in order: the answer's field, the question, the spec field it fills.
QUESTIONS = (
    ("project", "Project name (a lower-case slug)", "project"),
    ("repository", "GitHub repository (owner/name)", "ci.repository"),
    ("region", "AWS region", "aws.region"),
    ("language", "Plan language (es/en)", "language"),
    (
        "repository_owner_id",
        "GitHub owner id, for the immutable OIDC subject (empty to skip)",
        "ci.repository_owner_id",
    ),
    ("repository_id", "GitHub repository id (empty to skip)", "ci.repository_id"),
)
IDS = ("repository_owner_id", "repository_id")


def _id_problem(answers: StarterAnswers, name: str) -> str | None:
    """An id is empty (skipped) or a positive integer; both or neither."""
    value = getattr(answers, name)
    if value == "":
        if name == "repository_id" and answers.repository_owner_id:
            return "give the repository id too (both ids or neither)"
        return None
    if not value.isascii() or not value.isdigit() or int(value) < 1:
        return "a positive integer (gh api repos/OWNER/NAME --jq '.owner.id, .id'), or empty"
    return None


def answer_problem(answers: StarterAnswers, name: str) -> str | None:
    """What is wrong with ``answers``' field ``name``, in the spec's own words, or None.

    The starter is rendered and validated as ``init`` will write it, so a question
    accepts exactly what the spec accepts.
    """
    if name in IDS:
        return _id_problem(answers, name)
    field = next(spec_field for key, _, spec_field in QUESTIONS if key == name)
    try:
        parse_spec(render_starter(answers), PLAN_FILE)
    except SpecError as exc:
        for issue in exc.issues:
            if issue.field in (field, ""):
                return f"{issue.message}" + (
                    f"; accepted: {issue.accepted}" if issue.accepted else ""
                )
    return None


# ``ask(question, default, check)``: the answer, asked again until ``check`` (which
# raises ValueError with the reason) accepts it. The CLI passes typer's prompt.
Ask = Callable[[str, str, Callable[[str], str]], str]


def ask_answers(answers: StarterAnswers, *, fixed: Collection[str], ask: Ask) -> StarterAnswers:
    """Ask each question not in ``fixed``, checking each answer as it is typed; a bad one
    is asked again with the reason. Defaults follow earlier answers (the repository's
    name is the project's)."""
    for name, question, _ in QUESTIONS:
        if name in fixed or (name == "repository_id" and not answers.repository_owner_id):
            continue
        default = getattr(answers, name)
        if name == "repository" and "repository" not in fixed:
            default = f"{DEFAULT_OWNER}/{answers.project}"

        def check(value: str, name: str = name, current: StarterAnswers = answers) -> str:
            value = value.strip()
            problem = answer_problem(replace(current, **{name: value}), name)
            if problem:
                raise ValueError(problem)
            return value

        answers = replace(answers, **{name: ask(question, default, check)})
    return answers


def _scalar(value: str) -> str:
    """``value`` as a YAML scalar: plain when it is a simple word, else double-quoted."""
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9._/-]*", value) and value not in ("true", "false", "null"):
        return value
    return yaml_string(value)


def render_starter(answers: StarterAnswers) -> str:
    """The starter spec, its values and comments in the plan's language."""
    words = STARTER_WORDS.get(answers.language, STARTER_WORDS["en"])
    return STARTER.format(
        w=words,
        schema_modeline=SCHEMA_MODELINE,
        project=_scalar(answers.project),
        title=yaml_string(words["title"].format(project=answers.project)),
        language=_scalar(answers.language),
        region=_scalar(answers.region),
        repository=_scalar(answers.repository),
        ids=_ids(answers),
    )


def _ids(answers: StarterAnswers) -> str:
    """The two ids as keys when both were given, else commented examples."""
    if answers.repository_owner_id and answers.repository_id:
        return (
            f"  repository_owner_id: {int(answers.repository_owner_id)}\n"
            f"  repository_id: {int(answers.repository_id)}\n"
        )
    return "  # repository_owner_id: 123456\n  # repository_id: 456789\n"


NOBODY_NOTIFIED = (
    "note: {path} names no one to notify (monitoring: notify_emails, notify_topic_arns or "
    "slack): alarms and budget alerts will reach nobody until you add one (budget alerts "
    "need an e-mail address or a topic; slack gets the alarms only)"
)


def starter_notices(path: Path) -> list[str]:
    """What the user should know about the spec just written, one line each."""
    spec = parse_spec(Path(path).read_text(encoding="utf-8"), str(path))
    return [] if spec.monitoring.notifies_someone else [NOBODY_NOTIFIED.format(path=path)]


def write_starter(path: Path, answers: StarterAnswers, *, force: bool) -> list[Path]:
    """Write the starter spec and the schema it points editors at; validate first."""
    path = Path(path)
    if path.exists() and not force:
        raise UserError(f"{path} already exists", hint="pass --force to overwrite it")
    text = render_starter(answers)
    parse_spec(text, str(path))  # the answers themselves may be bad: exit 2, nothing written
    return write_spec(path, text)
