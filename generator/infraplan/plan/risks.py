"""The checkov checks the generated Terraform skips, as the plan's risk section lists them.

Each skip is written inline beside the resource with its reason; ``checkov_skips.json``
holds the same list in English (a test keeps the two equal), ``checkov_skips.es.json``
the Spanish reasons by check id (English where one is missing).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from infraplan.catalogue import Lang
from infraplan.package_data import package_data


@dataclass(frozen=True)
class CheckovSkip:
    id: str  # e.g. CKV_AWS_91
    resource: str  # e.g. module.ecs.aws_lb.this
    reason: str  # in the plan's language


def checkov_skips(lang: Lang) -> list[CheckovSkip]:
    """Every skipped check, in the order of ``checkov_skips.json``, reasons in ``lang``."""
    path = package_data("checkov_skips.json")
    if not path.is_file():
        return []
    skips = json.loads(path.read_text(encoding="utf-8"))
    translated: dict[str, str] = {}
    if lang != "en" and package_data(f"checkov_skips.{lang}.json").is_file():
        translated = json.loads(package_data(f"checkov_skips.{lang}.json").read_text("utf-8"))
    return [
        CheckovSkip(skip["id"], skip["resource"], translated.get(skip["id"], skip["reason"]))
        for skip in skips
    ]
