"""``infraplan init``: a commented starter plan.yaml that is valid as written."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from infraplan.errors import UserError
from infraplan.escape import yaml_string
from infraplan.scaffold.writer import write_file
from infraplan.spec.load import parse_spec
from infraplan.spec.model import SLUG
from infraplan.spec.schema import SCHEMA_FILE, schema_json


@dataclass(frozen=True)
class StarterAnswers:
    project: str
    repository: str
    region: str
    language: str


def default_answers(path: Path) -> StarterAnswers:
    """Defaults drawn from the folder name, so `init` in ./checkout suggests `checkout`."""
    folder = Path(path).resolve().parent.name.lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folder).strip("-")
    if not re.fullmatch(SLUG, slug) or not 2 <= len(slug) <= 28:
        slug = "my-service"
    return StarterAnswers(slug, f"my-org/{slug}", "eu-west-1", "es")


STARTER = """\
# yaml-language-server: $schema=./{schema_file}
# infraplan spec: the plan and the starter repo both come from this file.
# Reference of every key: `infraplan schema`, or docs/spec.md in infraplan's repository.
version: 1
project: {project}              # lower-case slug; names the AWS resources
title: {title}
# date: 2026-11-29              # default: today
# id: INFRA-YYYYMMDD-PROJECT    # default: derived from date and project
# scope: ...
owners: [Platform team]
estimate: 3 days
language: {language}                  # es (the seed's language) | en
# objective: ...
# context: ...

requirements:
  no_plaintext_secrets: true    # R1 security
  deploy_minutes: 10            # R2 performance: deploy job timeout
  auto_rollback: true           # R3 reliability: ECS circuit breaker with rollback
  monthly_budget_usd: 100       # R4 cost: AWS budget alert

service:
  port: 8080                    # 1024-65535: the container runs as a non-root user
  health_check_path: /healthz
  cpu: 256                      # Fargate pairs: 256 -> 512/1024/2048 MiB, 512 -> 1-4 GiB, ...
  memory: 512
  desired_count: 2
  runtime: python               # python | node | go | java | generic

aws:
  region: {region}
  # account_id: "123456789012"  # quoted; optional

network:
  cidr: 10.0.0.0/16
  az_count: 2                   # 2..6
  nat: single                   # none | single | per_az

ci:
  repository: {repository}      # owner/name: the only repository the deploy role trusts
  branch: main
  preview_environments: false

environments:                   # in deploy order
  - name: staging
  - name: production
    approval: true

monitoring:
  cpu_alarm_percent: 80
  memory_alarm_percent: 80
  http_5xx_alarm_count: 5       # 5xx of the service's targets, per minute
  lb_5xx_alarm_count: 5         # 502/503/504 of the load balancer itself: no target answers
  dashboard: true
  # Who hears alarms and budget alerts; with none of these, nobody does.
  notify_emails: []             # e.g. [ops@example.com]
  # notify_topic_arns: [arn:aws:sns:eu-west-1:123456789012:on-call]   # existing SNS topics
  # slack: {{team_id: T07EA123LEP, channel_id: C07EZ1ABC23}}   # Amazon Q Developer in chat apps

secrets: []                     # names only, e.g. [DATABASE_URL]; never values

# risks:                        # default: the seed's three risks
#   - {{risk: ..., probability: media, impact: alto, mitigation: ...}}
# tasks:                        # extra tasks of your own
#   - {{phase: 3, text: ..., files: [...]}}
"""


def render_starter(answers: StarterAnswers) -> str:
    text = STARTER.format(
        schema_file=SCHEMA_FILE,
        project=answers.project,
        title=yaml_string(f"{answers.project} on ECS Fargate"),
        language=answers.language,
        region=answers.region,
        repository=answers.repository,
    )
    return text


NOBODY_NOTIFIED = (
    "note: {path} names no one to notify (monitoring: notify_emails, notify_topic_arns or "
    "slack): alarms and budget alerts will reach nobody until you add one"
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
    schema_path = path.parent / SCHEMA_FILE
    if not path.parent.is_dir():
        raise UserError(f"{path}: folder {path.parent} does not exist")
    schema_path.parent.mkdir(exist_ok=True)
    write_file(schema_path, schema_json().encode("utf-8"))
    write_file(path, text.encode("utf-8"))
    return [path, schema_path]
