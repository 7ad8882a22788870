"""Shared field types of the spec: patterns, slugs, levels, secret names, the base model."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from infraplan.spec.secret_values import credential_kind

SLUG = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
SECRET_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
REPOSITORY = r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$"
EMAIL = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"
HEALTH_PATH = r"^/[A-Za-z0-9._~/-]*$"
BRANCH = r"^[A-Za-z0-9._/-]+$"
SNS_TOPIC_ARN = r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$"
PLAN_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
TASK_ID = r"^U?[1-3]\.[0-9]{1,2}$"
# A public DNS name as Route 53 and ACM take it: lower-case labels of letters, digits and
# inner hyphens, at most 63 characters each, 253 in all, the last one starting with a letter
# (RFC 1123); no wildcard, no trailing dot.
DOMAIN = (
    r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$"
)
# A Route 53 hosted zone id as the console and `aws route53 list-hosted-zones` show it
# (without the /hostedzone/ prefix).
HOSTED_ZONE_ID = r"^Z[A-Z0-9]{1,31}$"
ACM_CERTIFICATE_ARN = r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[A-Za-z0-9-]{1,128}$"

Slug = Annotated[str, Field(pattern=SLUG, min_length=2, max_length=28)]

Level = Literal["low", "medium", "high"]
_LEVEL_WORDS = {
    "low": "low",
    "baja": "low",
    "bajo": "low",
    "medium": "medium",
    "media": "medium",
    "medio": "medium",
    "high": "high",
    "alta": "high",
    "alto": "high",
}


def _level(value: object) -> object:
    """Accept a level in Spanish or English, any case (the seed writes ``Media``, ``Alto``)."""
    if isinstance(value, str):
        return _LEVEL_WORDS.get(value.strip().lower(), value)
    return value


LevelIn = Annotated[Level, BeforeValidator(_level)]


def today() -> dt.date:
    """Today, or the day SOURCE_DATE_EPOCH names, for reproducible output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


Runtime = Literal["python", "node", "go", "java", "generic"]


Nat = Literal["none", "single", "per_az"]


def ipv4_block(value: str) -> ipaddress.IPv4Network:
    """``value`` as an IPv4 network, or a ValueError saying why it is not one."""
    try:
        network = ipaddress.ip_network(value, strict=True)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not an IPv4 CIDR block ({exc})") from None
    if not isinstance(network, ipaddress.IPv4Network):
        raise ValueError(f"{value!r} is not an IPv4 CIDR block")
    return network


Email = Annotated[str, Field(pattern=EMAIL, max_length=254)]
SnsTopicArn = Annotated[str, Field(pattern=SNS_TOPIC_ARN, max_length=320)]


_VALUE_HINT = (
    "secrets lists names only (e.g. DATABASE_URL); store the value in AWS Secrets Manager, "
    "never in plan.yaml"
)


def secret_list(value: object) -> object:
    if isinstance(value, dict):
        names = ", ".join(str(k) for k in value)
        raise ValueError(f"a mapping of values was given for {names}; {_VALUE_HINT}")
    return value


def _secret_name(value: object) -> object:
    if isinstance(value, dict):
        names = ", ".join(str(k) for k in value)
        raise ValueError(f"a value was given for {names}; {_VALUE_HINT}")
    if isinstance(value, str) and credential_kind(value):
        raise ValueError(f"this looks like a secret value, not a name; {_VALUE_HINT}")
    if isinstance(value, str) and not re.fullmatch(SECRET_NAME, value):
        if re.search(r"://|[=:@\s]", value) or len(value) > 40:
            raise ValueError(f"this looks like a secret value, not a name; {_VALUE_HINT}")
        raise ValueError(
            "a secret name is letters, digits and _, not starting with a digit (e.g. DATABASE_URL)"
        )
    return value


SecretName = Annotated[str, BeforeValidator(_secret_name), Field(max_length=128)]


NonEmpty = Annotated[str, Field(min_length=1)]


def _domain_name(value: object) -> object:
    if not isinstance(value, str):
        return value
    if value.endswith("."):
        raise ValueError(f"ends with a dot; accepted: the name without it ({value.rstrip('.')})")
    if value != value.lower():
        raise ValueError(
            f"has upper-case letters; accepted: {value.lower()} (DNS names are lower-case)"
        )
    if value.startswith("*."):
        raise ValueError(
            "is a wildcard; accepted: the service's own name (api.example.com); a wildcard "
            "certificate made elsewhere goes in service.certificate_arn"
        )
    if "://" in value or "/" in value:
        raise ValueError("is a URL; accepted: the name alone, e.g. api.example.com")
    if not re.fullmatch(DOMAIN, value):
        raise ValueError(
            "is not a DNS name; accepted: labels of letters, digits and inner hyphens "
            "separated by dots, e.g. api.example.com"
        )
    return value


DomainName = Annotated[str, BeforeValidator(_domain_name)]


def _hosted_zone(value: object) -> object:
    if isinstance(value, str) and re.fullmatch(HOSTED_ZONE_ID, value):
        return value
    if isinstance(value, str) and value.startswith("/hostedzone/"):
        raise ValueError(f"accepted: the id without /hostedzone/ ({value.split('/')[-1]})")
    try:
        return _domain_name(value)
    except ValueError as exc:
        raise ValueError(
            f"{str(exc).split('; accepted: ')[0]}; accepted: the id of an existing public "
            "hosted zone (Z0123456789ABCDEFGHIJ) or its name (example.com)"
        ) from None


HostedZone = Annotated[str, BeforeValidator(_hosted_zone)]


def item_keys(value: object) -> object:
    """YAML reads an unquoted task id such as 1.1 as a number: take it as written."""
    if isinstance(value, dict):
        return {(repr(k) if isinstance(k, float) else str(k)): v for k, v in value.items()}
    return value
