"""What verify accepts as the planned thing: the deploy role's trust, a secret's reference."""

from __future__ import annotations

from typing import Any

import pytest

from infraplan.verify.checks_ops import trust_problems
from infraplan.verify.checks_service import is_secret_arn

REPO = "acme/checkout"


def problems(policy: dict[str, Any]) -> list[str]:
    return trust_problems(policy, REPO)[0]


@pytest.mark.parametrize(
    "subjects",
    [
        ("repo:acme/checkout:ref:refs/heads/main",),
        ("repo:acme/checkout:*",),
        ("repo:ACME/Checkout:environment:production", "repo:acme/checkout:pull_request"),
    ],
)
def test_planned_repository_only(
    subjects: tuple[str, ...], make_trust_policy: Any, oidc_provider: str
) -> None:
    assert problems(make_trust_policy(*subjects)) == []
    assert trust_problems(make_trust_policy(*subjects), REPO)[1] == {oidc_provider}


def test_the_immutable_subject_is_the_planned_repository_with_its_ids(
    make_trust_policy: Any,
) -> None:
    immutable = make_trust_policy("repo:acme@42/checkout@4242:environment:production")
    assert trust_problems(immutable, "acme@42/checkout@4242")[0] == []
    # the name form of the plan does not accept a subject with other ids, nor the reverse
    assert trust_problems(immutable, "acme@42/checkout@9")[0]
    assert trust_problems(
        make_trust_policy("repo:acme/checkout:pull_request"), "acme@42/checkout@4242"
    )[0]


@pytest.mark.parametrize(
    ("subjects", "words"),
    [
        (("repo:acme/*",), "also trusts repo:acme/*"),
        (("repo:acme/checkout*",), "also trusts repo:acme/checkout*"),
        (("repo:acme/checkout-fork:*",), "also trusts"),
        (("repo:acme/checkout:*", "repo:other/app:*"), "also trusts repo:other/app:*"),
        (("*",), "also trusts *"),
    ],
)
def test_other_repositories(subjects: tuple[str, ...], words: str, make_trust_policy: Any) -> None:
    assert any(words in p for p in problems(make_trust_policy(*subjects)))


def test_no_subject_condition_lets_any_repository_in(make_trust_policy: Any) -> None:
    policy = make_trust_policy("repo:acme/checkout:*")
    del policy["Statement"][0]["Condition"]["StringLike"]
    assert any("any GitHub repository" in p for p in problems(policy))


def test_other_principals(make_trust_policy: Any) -> None:
    policy = make_trust_policy("repo:acme/checkout:*")
    policy["Statement"].append(
        {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
    )
    assert any('{"AWS": "*"}' in p for p in problems(policy))
    other = make_trust_policy(
        "repo:acme/checkout:*", provider="arn:aws:iam::1:oidc-provider/gitlab.com"
    )
    assert any("not GitHub's provider" in p for p in problems(other))


def test_deny_statements_do_not_count_and_nothing_allowed_fails(make_trust_policy: Any) -> None:
    policy = make_trust_policy("repo:acme/checkout:*")
    policy["Statement"][0]["Effect"] = "Deny"
    assert problems(policy) == ["the trust policy allows no one"]


@pytest.mark.parametrize(
    ("value_from", "ok"),
    [
        ("arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/prod/DB-AbC123", True),
        ("arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/prod/DB", True),
        ("arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/prod/DB-AbC123:url::", True),
        ("arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/prod/DB_OLD-AbC123", False),
        ("arn:aws:ssm:eu-west-1:123456789012:parameter/app/prod/DB", False),
        ("app/prod/DB", False),
    ],
)
def test_secret_references(value_from: str, ok: bool) -> None:
    assert is_secret_arn(value_from, "app/prod/DB") is ok
