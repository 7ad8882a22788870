"""The phrasings the Markdown importer recognises: infraplan's own sentences
(turned into regular expressions from the very templates the renderer uses, so
the two cannot drift) and the usual hand-written ones, Spanish and English."""

from __future__ import annotations

import re
from collections.abc import Mapping

from infraplan.spec.aws_facts import REGIONS

_FIELD = re.compile(r"\{(\w+)\}")
# Fields the renderer writes as code spans; hand-written text may leave the backticks out.
_CODE_FIELDS = {
    "service",
    "branch",
    "env",
    "environments",
    "first_env",
    "exec_environments",
    "spot_environments",
    "last_env",
    "secrets",
    "path",
    "region",
    "command",
}


def template_regex(template: str) -> re.Pattern[str]:
    """A regex matching ``template`` (a ``str.format`` text) with each field captured.

    Whitespace is loose, a final period optional, and code-span fields match with or
    without their backticks."""
    out = []
    position = 0
    seen: set[str] = set()
    for match in _FIELD.finditer(template):
        out.append(_literal(template[position : match.start()]))
        name = match.group(1)
        group = f"(?P<{name}>.+?)" if name not in seen else ".+?"
        seen.add(name)
        out.append(group)
        position = match.end()
    out.append(_literal(template[position:].rstrip(".")))
    return re.compile("^" + "".join(out) + r"\.?$", re.IGNORECASE)


def _literal(text: str) -> str:
    return r"\s+".join(re.escape(part) for part in text.split(" ")).replace(r"\s+\s+", r"\s+")


def match_template(template: str, text: str) -> dict[str, str] | None:
    """The fields of ``text`` when it says ``template``, else None; code spans unwrapped."""
    found = template_regex(template).match(" ".join(text.split()))
    if found is None:
        return None
    values = {}
    for name, value in found.groupdict().items():
        values[name] = _uncode(value) if name in _CODE_FIELDS else value
    return values


def _uncode(value: str) -> str:
    return re.sub(r"(`+)\s?(.*?)\s?\1", r"\2", value).strip()


def names_in(value: str) -> list[str]:
    """``a``, ``b`` -> [a, b] (with or without backticks)."""
    return [part.strip() for part in _uncode(value).replace(" y ", ", ").split(",") if part.strip()]


# --- requirements ------------------------------------------------------------------

R1_OFF = re.compile(r"sin requisito|no secret-handling|no aplica|not required|no requirement", re.I)
R1_ON = re.compile(r"secret|secreto|credencial|credential", re.I)
R3_OFF = re.compile(
    r"sin rollback|no automatic rollback|rollback (es )?manual|manual rollback|no rollback", re.I
)
R3_ON = re.compile(r"rollback|roll back|revert|revierte|reversi", re.I)
MINUTES = re.compile(r"(\d+)\s*(?:min\b|mins\b|minutos|minutes|minuto|minute)", re.I)
_MONEY = re.compile(
    r"(?:\$|US\$|USD\s?)\s?(?P<a>\d[\d.,]*)|(?P<b>\d[\d.,]*)\s?(?:\$|USD|dólares|dolares|dollars)",
    re.I,
)
ESTIMATE = re.compile(r"(?:Estimación|Estimate):\s*\$(?P<total>[\d,]+\.\d\d)", re.I)
NO_ESTIMATE = re.compile(r"Sin estimación de costo|No cost estimate", re.I)


def money(text: str) -> float | None:
    """The first amount of money in ``text`` ($100, 1,200 USD, 99.50 dólares)."""
    found = _MONEY.search(text)
    if found is None:
        return None
    raw = (found.group("a") or found.group("b")).rstrip(".,")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", raw):  # Spanish thousands: 1.200
        raw = raw.replace(".", "")
    try:
        return float(raw.replace(",", ""))
    except ValueError:
        return None


def number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


# --- components ----------------------------------------------------------------------

GENERATED: Mapping[str, str] = {
    "aws": "cloud",
    "amazon web services": "cloud",
    "github actions": "ci",
    "terraform": "iac",
    "docker": "containers",
    "ecs": "containers",
    "ecs fargate": "containers",
    "fargate": "containers",
    "ecr": "containers",
    "cloudwatch": "monitoring",
    "aws secrets manager": "secrets",
    "secrets manager": "secrets",
    "route 53": "https",
    "acm": "https",
}
OTHERS: Mapping[str, str] = {
    "gcp": "cloud",
    "google cloud": "cloud",
    "azure": "cloud",
    "jenkins": "ci",
    "gitlab ci": "ci",
    "gitlab": "ci",
    "circleci": "ci",
    "codepipeline": "ci",
    "aws codepipeline": "ci",
    "codebuild": "ci",
    "cloudformation": "iac",
    "pulumi": "iac",
    "cdk": "iac",
    "opentofu": "iac",
    "kubernetes": "containers",
    "k8s": "containers",
    "eks": "containers",
    "datadog": "monitoring",
    "prometheus": "monitoring",
    "grafana": "monitoring",
    "new relic": "monitoring",
    "vault": "secrets",
    "hashicorp vault": "secrets",
    "ssm parameter store": "secrets",
    "parameter store": "secrets",
}
ALTERNATIVE = {
    "cloud": "AWS",
    "ci": "GitHub Actions",
    "iac": "Terraform",
    "containers": "Docker on ECS Fargate with ECR",
    "monitoring": "CloudWatch",
    "secrets": "AWS Secrets Manager",
}


def component_items(value: str) -> list[str]:
    """``Docker, ECS Fargate, ECR`` -> its technologies, lower case, code spans removed."""
    plain = re.sub(r"\(([^)]*)\)", " ", re.sub(r"`[^`]*`", " ", value))
    parts = re.split(r",|/|\+|\by\b|\band\b|;", plain)
    return [" ".join(p.lower().split()) for p in parts if p.strip()]


REGION = re.compile(r"\b(" + "|".join(re.escape(r) for r in REGIONS) + r")\b")
REPOSITORY = re.compile(
    r"(?:github\.com[/:])?\b([A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}?)(?:\.git)?\b"
)
PORT = re.compile(r"\b(?:puerto|port)\s*:?\s*`?(\d{4,5})`?", re.I)
HEALTH = re.compile(r"(?:health[ -]?checks?|salud|healthcheck)[^`\n]{0,60}`(/[^`\s]*)`", re.I)
SERVICE = re.compile(r"\b(?:servicio|service)\s+`([a-z][a-z0-9-]{1,27})`", re.I)
SECRET = re.compile(r"`([A-Z_][A-Z0-9_]{1,127})`")
AZ_COUNT = re.compile(
    r"\b([2-6])\s*(?:zonas de disponibilidad|availability zones|AZs?|zonas)\b", re.I
)
CPU_PERCENT = re.compile(r"(?:CPU)[^\d%]{0,40}(\d{1,3})\s*%", re.I)
HTTP_5XX = re.compile(r"5xx[^\d]{0,40}(\d{1,6})", re.I)
