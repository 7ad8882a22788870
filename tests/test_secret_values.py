"""Credential-shaped values are refused as secret names, and never echoed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run, tree_snapshot
from infraplan.spec.secret_values import credential_kind, find_credentials

# Documented sample values (AWS's own example key, Stripe's and GitHub's published
# formats, a JWT from jwt.io's debugger); none is a live credential.
VALUES = {
    "aws": ("AKIAIOSFODNN7EXAMPLE", "AWS Access Key"),
    "stripe": ("sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc", "Stripe Access Key"),
    "github": ("ghp_" + "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "GitHub Token"),
    "slack": ("xoxb-" + "123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "Slack Token"),
    "jwt": (
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
        "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "JSON Web Token",
    ),
    "pem": ("-----BEGIN RSA PRIVATE KEY-----", "Private Key"),
    "base64-entropy": ("wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY9z", "Base64 High Entropy String"),
    "hex-entropy": ("a8f5f167f44f4964e6c998dee827110c", "Hex High Entropy String"),
}

NAMES = [
    "DATABASE_URL",
    "STRIPE_API_KEY",
    "STRIPE_WEBHOOK_SIGNING_SECRET",
    "SENTRY_DSN_FOR_THE_PUBLIC_API_V2",
    "GITHUB_TOKEN",
    "AWS_SECRET_ACCESS_KEY",
    "deadbeef",
]

BASE = "project: checkout\nci:\n  repository: acme/checkout\n"


@pytest.mark.parametrize(("value", "kind"), VALUES.values(), ids=VALUES.keys())
def test_credential_shapes_are_recognised(value: str, kind: str) -> None:
    assert credential_kind(value) == kind


@pytest.mark.parametrize("name", NAMES)
def test_secret_names_are_not_credentials(name: str) -> None:
    assert credential_kind(name) is None


@pytest.mark.parametrize("value", [v for v, _ in VALUES.values()], ids=VALUES.keys())
def test_a_credential_in_secrets_exits_2_writes_nothing_and_is_not_echoed(
    tmp_path: Path, run_cli: Callable[..., Run], value: str
) -> None:
    spec = tmp_path / "plan.yaml"
    spec.write_text(BASE + f"secrets:\n  - DATABASE_URL\n  - {value!r}\n", encoding="utf-8")
    before = tree_snapshot(tmp_path)

    result = run_cli("new", str(spec), "-o", str(tmp_path / "repo"))

    assert result.code == 2, result.err
    assert f"{spec}:6:" in result.err and "secrets[1]" in result.err
    assert "looks like a secret value" in result.err
    assert value not in result.err + result.out
    assert value[:12] not in result.err + result.out
    assert tree_snapshot(tmp_path) == before


def test_find_credentials_names_the_line_and_kind_never_the_value() -> None:
    text = (
        'resource "aws_iam_user" "ci" {}\n'
        "# a pinned action: uses: actions/checkout@8e5e7e5ab8b370d6c329ec480221332ada57f0ab\n"
        'locals { key = "AKIAIOSFODNN7EXAMPLE" }\n'
    )
    found = list(find_credentials(text))
    assert [(c.line, c.kind) for c in found] == [(3, "AWS Access Key")]
    assert "AKIA" not in repr(found)
