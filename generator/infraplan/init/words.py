"""The starter plan.yaml ``init`` writes, and its words in the plan's language.

The keys are the spec's (English, like the schema); the values a person reads in the plan
and the comments that explain each key follow the language chosen for the plan.
"""

from __future__ import annotations

from collections.abc import Mapping

STARTER = """\
{schema_modeline}
# {w[header]}
# {w[reference]}
version: 1
project: {project}              # {w[project]}
title: {title}
# date: 2026-11-29              # {w[date]}
# id: INFRA-YYYYMMDD-PROJECT    # {w[id]}
# scope: ...
owners: [{w[owners]}]
estimate: {w[estimate]}
language: {language}                  # {w[language]}
# objective: ...
# context: ...

requirements:
  no_plaintext_secrets: true    # {w[r1]}
  deploy_minutes: 10            # {w[r2]}
  auto_rollback: true           # {w[r3]}
  monthly_budget_usd: 150       # {w[r4]}

service:
  port: 8080                    # {w[port]}
  health_check_path: /healthz
  cpu: 256                      # {w[cpu]}
  memory: 512
  desired_count: 2
  runtime: python               # python | node | go | java | generic

aws:
  region: {region}
  # account_id: "123456789012"  # {w[account]}

network:
  cidr: 10.0.0.0/16
  az_count: 2                   # 2..6
  nat: single                   # none | single | per_az
  egress:                       # {w[egress]}
    - {{port: 443, cidr: 0.0.0.0/0, description: HTTPS to AWS APIs and the internet}}

ci:
  repository: {repository}      # {w[repository]}
  branch: main
  # {w[ids]}
  #   gh api repos/{repository} --jq '.owner.id, .id'
{ids}
environments:                   # {w[environments]}
  - name: staging               # {w[staging]}
    desired_count: 1
    nat: none                   # {w[staging_nat]}
    spot: true                  # {w[staging_spot]}
  - name: production            # {w[production]}
    approval: true

monitoring:
  cpu_alarm_percent: 80
  memory_alarm_percent: 80
  http_5xx_alarm_count: 5       # {w[http_5xx]}
  lb_5xx_alarm_count: 5         # {w[lb_5xx]}
  dashboard: true
  # {w[who]}
  notify_emails: []             # {w[emails]}
  # notify_topic_arns: [arn:aws:sns:eu-west-1:123456789012:on-call]   # {w[topics]}
  # slack: {{team_id: T07EA123LEP, channel_id: C07EZ1ABC23}}   # {w[slack]}

secrets: []                     # {w[secrets]}

# risks:                        # {w[risks]}
#   - {{risk: ..., probability: medium, impact: high, mitigation: ...}}  # low | medium | high
# tasks:                        # {w[tasks]}
#   - {{phase: 3, text: ..., files: [...]}}
"""

STARTER_WORDS: Mapping[str, Mapping[str, str]] = {
    "es": {
        "header": "spec de infraplan: el plan y el repo inicial salen de este archivo.",
        "reference": "Referencia de cada clave: `infraplan schema`, o docs/spec.md en el "
        "repositorio de infraplan.",
        "project": "slug en minúsculas; da nombre a los recursos de AWS",
        "title": "{project} en ECS Fargate",
        "date": "por defecto: hoy",
        "id": "por defecto: derivado de la fecha y el proyecto",
        "owners": "Equipo de plataforma",
        "estimate": "3 días",
        "language": "es (el idioma del seed) | en",
        "r1": "R1 seguridad",
        "r2": "R2 rendimiento: timeout del job de despliegue",
        "r3": "R3 fiabilidad: circuit breaker de ECS con rollback",
        "r4": "R4 costo, los entornos juntos; `infraplan cost` da la estimación",
        "port": "1024-65535: el contenedor corre como usuario no root",
        "cpu": "pares de Fargate: 256 -> 512/1024/2048 MiB, 512 -> 1-4 GiB, ...",
        "account": "entre comillas; opcional",
        "repository": "owner/name: el único repositorio en el que confía el rol de despliegue",
        "environments": "en orden de despliegue",
        "staging": "una tarea, sin NAT, en Fargate Spot: lo más barato que funciona",
        "staging_nat": "tareas en subredes públicas; solo el balanceador llega a ellas",
        "staging_spot": "AWS puede parar una tarea Spot con 2 minutos de aviso",
        "production": "service.desired_count tareas bajo demanda, network.nat",
        "egress": "TCP de salida de las tareas; añadir base de datos, caché, SMTP",
        "ids": "Ids numéricos del repositorio: GitHub los pone en el sujeto OIDC de los "
        "repositorios creados o renombrados desde el 15-07-2026.",
        "http_5xx": "5xx de los targets del servicio, por minuto",
        "lb_5xx": "502/503/504 del propio balanceador: ningún target responde",
        "who": "Quién recibe las alarmas y las alertas de presupuesto; sin ninguno de "
        "estos, nadie.",
        "emails": "p. ej. [ops@example.com]",
        "topics": "topics de SNS existentes",
        "slack": "Amazon Q Developer in chat apps",
        "secrets": "solo nombres, p. ej. [DATABASE_URL]; nunca valores",
        "risks": "por defecto: los tres riesgos del seed",
        "tasks": "tareas propias añadidas a una fase",
    },
    "en": {
        "header": "infraplan spec: the plan and the starter repo both come from this file.",
        "reference": "Reference of every key: `infraplan schema`, or docs/spec.md in "
        "infraplan's repository.",
        "project": "lower-case slug; names the AWS resources",
        "title": "{project} on ECS Fargate",
        "date": "default: today",
        "id": "default: derived from date and project",
        "owners": "Platform team",
        "estimate": "3 days",
        "language": "es (the seed's language) | en",
        "r1": "R1 security",
        "r2": "R2 performance: deploy job timeout",
        "r3": "R3 reliability: ECS circuit breaker with rollback",
        "r4": "R4 cost, every environment together; `infraplan cost` estimates it",
        "port": "1024-65535: the container runs as a non-root user",
        "cpu": "Fargate pairs: 256 -> 512/1024/2048 MiB, 512 -> 1-4 GiB, ...",
        "account": "quoted; optional",
        "repository": "owner/name: the only repository the deploy role trusts",
        "environments": "in deploy order",
        "staging": "one task, no NAT, on Fargate Spot: the cheapest that works",
        "staging_nat": "tasks in public subnets; only the load balancer reaches them",
        "staging_spot": "AWS may stop a Spot task with 2 minutes' notice",
        "production": "service.desired_count on-demand tasks, network.nat",
        "egress": "TCP out of the tasks; add your database, cache, SMTP",
        "ids": "The repository's numeric ids: GitHub puts them in the OIDC subject of "
        "repositories created or renamed since 2026-07-15.",
        "http_5xx": "5xx of the service's targets, per minute",
        "lb_5xx": "502/503/504 of the load balancer itself: no target answers",
        "who": "Who hears alarms and budget alerts; with none of these, nobody does.",
        "emails": "e.g. [ops@example.com]",
        "topics": "existing SNS topics",
        "slack": "Amazon Q Developer in chat apps",
        "secrets": "names only, e.g. [DATABASE_URL]; never values",
        "risks": "default: the seed's three risks",
        "tasks": "extra tasks of your own",
    },
}
