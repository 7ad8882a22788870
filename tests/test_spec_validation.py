"""Each validation rule: one bad spec, exit code 2, the line in the message, nothing written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run, tree_snapshot
from infraplan.spec.load import parse_spec

BASE = """\
project: checkout
ci:
  repository: acme/checkout
"""

# (case id, spec text, line expected in the message, words expected in the message)
BAD_SPECS: list[tuple[str, str, int, list[str]]] = [
    ("yaml-syntax", "project: checkout\nci: [unclosed\n", 3, ["invalid YAML"]),
    ("duplicate-key", BASE + "project: other\n", 4, ["invalid YAML", "duplicate"]),
    ("not-a-mapping", "- just\n- a list\n", 1, ["mapping"]),
    ("missing-project", "ci: {repository: acme/checkout}\n", 1, ["project", "required"]),
    ("missing-repository", "project: checkout\nci: {branch: main}\n", 2, ["ci.repository"]),
    ("unknown-key", BASE + "enviroments: []\n", 4, ["enviroments", "did you mean 'environments'"]),
    ("unknown-nested-key", BASE + "service:\n  prot: 8080\n", 5, ["service.prot", "port"]),
    ("project-slug", "project: Check_Out\nci: {repository: acme/x}\n", 1, ["slug", "Check_Out"]),
    ("project-too-long", "project: " + "a" * 29 + "\nci: {repository: acme/x}\n", 1, ["length"]),
    ("cidr-invalid", BASE + "network:\n  cidr: 10.0.0.300/16\n", 5, ["network.cidr", "CIDR"]),
    ("cidr-host-bits", BASE + "network:\n  cidr: 10.0.0.1/16\n", 5, ["network.cidr", "host bits"]),
    ("cidr-public", BASE + "network:\n  cidr: 8.8.0.0/16\n", 5, ["private range"]),
    ("cidr-prefix", BASE + "network:\n  cidr: 10.0.0.0/8\n", 5, ["/16 to /28"]),
    (
        "cidr-no-room",
        BASE + "network:\n  cidr: 10.0.0.0/26\n  az_count: 3\n",
        5,
        ["too small", "/29", "fewer availability zones"],
    ),
    ("az-count-low", BASE + "network:\n  az_count: 1\n", 5, ["network.az_count", "2 to 6"]),
    ("az-count-high", BASE + "network:\n  az_count: 7\n", 5, ["network.az_count", "2 to 6"]),
    ("nat-mode", BASE + "network:\n  nat: two\n", 5, ["network.nat", "per_az"]),
    ("fargate-cpu", BASE + "service:\n  cpu: 300\n", 5, ["service.cpu", "256, 512"]),
    (
        "fargate-pair",
        BASE + "service:\n  cpu: 256\n  memory: 4096\n",
        6,
        ["service.memory", "512, 1024, 2048"],
    ),
    ("region", BASE + "aws:\n  region: eu-west-9\n", 5, ["aws.region", "eu-west-1"]),
    ("account-short", BASE + "aws:\n  account_id: 12345\n", 5, ["aws.account_id", "has 12"]),
    ("account-letters", BASE + 'aws:\n  account_id: "12345678901x"\n', 5, ["12-digit"]),
    ("repository-form", "project: checkout\nci:\n  repository: acme\n", 3, ["owner/name"]),
    ("port-privileged", BASE + "service:\n  port: 80\n", 5, ["service.port", "1024 to 65535"]),
    ("port-too-high", BASE + "service:\n  port: 70000\n", 5, ["service.port", "1024 to 65535"]),
    ("health-path", BASE + "service:\n  health_check_path: healthz\n", 5, ["starting with /"]),
    ("runtime", BASE + "service:\n  runtime: ruby\n", 5, ["service.runtime", "python"]),
    (
        "env-duplicate",
        BASE + "environments:\n  - name: staging\n  - name: staging\n",
        6,
        ["environments[1].name", "unique"],
    ),
    (
        "env-alb-name-length",
        "project: a-very-long-project-name-xy\nci: {repository: a/b}\n"
        "environments:\n  - name: production\n",
        4,
        ["load balancer", "32"],
    ),
    ("env-slug", BASE + "environments:\n  - name: Prod\n", 5, ["environments[0].name", "slug"]),
    ("env-empty", BASE + "environments: []\n", 4, ["environments", "length"]),
    (
        "secret-value-mapping-item",
        BASE + "secrets:\n  - DATABASE_URL: postgres://user:pw@db/app\n",
        5,
        ["secrets[0]", "names only"],
    ),
    (
        "secret-value-mapping",
        BASE + "secrets:\n  DATABASE_URL: postgres://user:pw@db/app\n",
        4,
        ["secrets", "names only"],
    ),
    (
        "secret-value-string",
        BASE + "secrets:\n  - postgres://user:pw@db/app\n",
        5,
        ["looks like a secret value"],
    ),
    ("secret-duplicate", BASE + "secrets: [A, A]\n", 4, ["secrets[1]", "unique"]),
    ("email", BASE + "monitoring:\n  notify_emails: [ops]\n", 5, ["e-mail"]),
    ("cpu-alarm-range", BASE + "monitoring:\n  cpu_alarm_percent: 150\n", 5, ["1 to 100"]),
    ("deploy-minutes", BASE + "requirements:\n  deploy_minutes: 0\n", 5, ["deploy_minutes"]),
    ("budget-positive", BASE + "requirements:\n  monthly_budget_usd: 0\n", 5, ["monthly_budget"]),
    ("risk-level", BASE + "risks:\n  - {risk: x, probability: maybe}\n", 5, ["probability"]),
    ("task-phase", BASE + "tasks:\n  - {phase: 4, text: x}\n", 5, ["tasks[0].phase", "1 to 3"]),
    ("language", BASE + "language: fr\n", 4, ["language", "es", "en"]),
    ("date", BASE + "date: yesterday\n", 4, ["date"]),
    ("version", BASE + "version: 2\n", 4, ["version"]),
    ("yaml-tab", "project: shop\nci:\n\trepository: a/shop\n", 3, ["tab character", "use spaces"]),
    ("yaml-indent", BASE + "   branch: main\n", 4, ["bad indentation", "spaces only"]),
    ("empty-file", "", 1, ["the file is empty", "infraplan init"]),
    ("comments-only", "# nothing yet\n", 1, ["the file is empty", "infraplan init"]),
    ("secrets-not-a-list", BASE + "secrets: DATABASE_URL\n", 4, ["a list", "[DATABASE_URL]"]),
    ("memory-unit", BASE + "service:\n  memory: 1GB\n", 5, ["service.memory", "1 GB is 1024"]),
    ("cpu-vcpu", BASE + "service:\n  cpu: 0.25\n", 5, ["service.cpu", "0.25 vCPU is 256"]),
    ("count-text", BASE + "service:\n  desired_count: two\n", 5, ["whole number"]),
    # HTTPS by name
    ("domain-case", BASE + "service:\n  domain: Api.Example.com\n", 5, ["api.example.com"]),
    ("domain-dot", BASE + "service:\n  domain: api.example.com.\n", 5, ["ends with a dot"]),
    ("domain-url", BASE + "service:\n  domain: https://api.example.com\n", 5, ["a URL"]),
    ("domain-wild", BASE + "service:\n  domain: '*.example.com'\n", 5, ["wildcard"]),
    ("domain-label", BASE + "service:\n  domain: api_x.example.com\n", 5, ["not a DNS name"]),
    ("domain-no-zone", BASE + "service:\n  domain: api.example.com\n", 5, ["hosted_zone"]),
    (
        "zone-no-domain",
        BASE + "service:\n  hosted_zone: example.com\n",
        5,
        ["service.hosted_zone", "service.domain"],
    ),
    (
        "zone-form",
        BASE + "service:\n  domain: api.example.com\n  hosted_zone: /hostedzone/Z12AB\n",
        6,
        ["Z12AB"],
    ),
    (
        "domain-outside-zone",
        BASE + "service:\n  domain: api.example.com\n  hosted_zone: example.org\n",
        5,
        ["outside the hosted zone example.org"],
    ),
    (
        "env-domain-duplicate",
        BASE + "service: {domain: api.example.com, hosted_zone: example.com}\n"
        "environments:\n  - {name: staging, domain: api.example.com}\n  - {name: production}\n",
        6,
        ["environments[0].domain", "the same name"],
    ),
    (
        "env-domain-alone",
        BASE + "environments:\n  - {name: staging, domain: s.example.com}\n",
        5,
        ["environments[0].domain", "service.domain is not set"],
    ),
    (
        "domain-acm-length",
        BASE + "service:\n  domain: " + "a" * 60 + ".example.com\n  hosted_zone: example.com\n",
        5,
        ["64"],
    ),
    (
        "certificate-form",
        BASE + "service:\n  certificate_arn: arn:aws:iam::123456789012:role/x\n",
        5,
        ["service.certificate_arn", "an ACM certificate ARN"],
    ),
    (
        "certificate-region",
        BASE + "service:\n  certificate_arn: arn:aws:acm:us-east-1:123456789012:certificate/abc\n",
        5,
        ["us-east-1", "eu-west-1"],
    ),
    ("lone-surrogate", BASE + 'scope: "bad \\ud800 here"\n', 4, ["scope", "surrogate"]),
    (
        "deploy-minutes-no-room",
        BASE + "requirements:\n  deploy_minutes: 2\n",
        5,
        ["deploy_minutes", "3 to 360"],
    ),
    # two environments with a NAT gateway in each of three zones: 6 Elastic IPs, quota 5
    (
        "elastic-ip-quota",
        BASE + "network:\n  nat: per_az\n  az_count: 3\n"
        "environments: [{name: staging}, {name: production}]\n",
        5,
        [
            "network.nat",
            "6 Elastic IPs",
            "EC2-VPC Elastic IPs",
            "L-0263D0A3",
            "is 5",
            "nat: single",
        ],
    ),
    (
        "elastic-ip-quota-per-environment",
        BASE + "network:\n  az_count: 3\nenvironments:\n  - {name: dev}\n"
        "  - {name: staging, nat: per_az}\n  - {name: production, nat: per_az}\n",
        9,
        ["environments[2].nat", "7 Elastic IPs", "'production'", "quota increase"],
    ),
    (
        "vpc-quota",
        BASE + "network: {nat: none}\nenvironments: [{name: e1}, {name: e2}, {name: e3}, "
        "{name: e4}, {name: e5}, {name: e6}]\n",
        5,
        ["environments", "6 VPCs", "VPCs per Region", "L-F678F1CE"],
    ),
    (
        "repository-ids-both",
        BASE + "  repository_id: 456789\n",
        4,
        ["ci.repository_id", "repository_owner_id is missing", "gh api repos/acme/checkout"],
    ),
    (
        "env-fargate-pair",
        BASE + "environments:\n  - {name: dev, cpu: 1024}\n",
        5,
        ["environments[0].cpu", "512 MiB with 1024 CPU units", "2048 to 8192"],
    ),
    ("env-fargate-cpu", BASE + "environments:\n  - {name: dev, cpu: 300}\n", 5, ["256, 512"]),
    (
        "autoscaling-min-above-desired",
        BASE + "service:\n  autoscaling:\n    min_count: 3\n",
        6,
        # the default staging runs one task (environments[0].desired_count)
        ["service.autoscaling.min_count", "above the desired_count 1", "in environment staging"],
    ),
    (
        "autoscaling-env-max-below-min",
        BASE + "environments:\n  - {name: staging, desired_count: 1}\n"
        "  - {name: production, max_count: 1}\n",
        6,
        ["environments[1].max_count", "below its min_count 2", "in environment production"],
    ),
    (
        "autoscaling-max-below-desired",
        BASE + "environments:\n  - {name: staging, desired_count: 3, min_count: 1, max_count: 2}\n",
        5,
        ["environments[0].max_count", "below the desired_count 3", "at least 3"],
    ),
    (
        "autoscaling-requests-with-blue-green",
        BASE
        + "deploy: {strategy: blue_green}\nservice:\n  autoscaling: {requests_per_target: 500}\n",
        6,
        ["service.autoscaling.requests_per_target", "other one at every deploy"],
    ),
    (
        "egress-cidr",
        BASE + "network:\n  egress:\n    - {port: 5432, cidr: 10.0.0/16}\n",
        6,
        ["network.egress[0].cidr", "CIDR"],
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [pytest.param(t, line, w, id=case) for case, t, line, w in BAD_SPECS],
)
def test_bad_spec_exits_2_with_line_and_writes_nothing(
    tmp_path: Path, run_cli: Callable[..., Run], text: str, line: int, words: list[str]
) -> None:
    spec = tmp_path / "plan.yaml"
    spec.write_text(text, encoding="utf-8")
    before = tree_snapshot(tmp_path)

    result = run_cli("plan", str(spec), "-o", str(tmp_path / "PLAN.md"))

    assert result.code == 2, result.err
    assert f"{spec}:{line}:" in result.err, result.err
    for word in words:
        assert word in result.err, f"{word!r} not in {result.err!r}"
    assert "Traceback" not in result.err
    assert tree_snapshot(tmp_path) == before


def test_several_errors_are_reported_at_once(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    spec = tmp_path / "plan.yaml"
    spec.write_text(
        "project: checkout\nservice:\n  cpu: 300\n  port: 22\naws:\n  region: mars-1\n"
        "ci:\n  repository: nope\n",
        encoding="utf-8",
    )
    result = run_cli("plan", str(spec))
    assert result.code == 2
    for line, field in [
        (3, "service.cpu"),
        (4, "service.port"),
        (6, "aws.region"),
        (8, "ci.repository"),
    ]:
        assert f"{spec}:{line}:" in result.err and field in result.err
    assert "4 problems found" in result.err


def test_errors_name_the_bad_value_and_what_is_accepted(
    tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    spec = tmp_path / "plan.yaml"
    spec.write_text(BASE + "network:\n  nat: two\n", encoding="utf-8")
    err = run_cli("plan", str(spec)).err
    assert f"{spec}:5:8: network.nat:" in err
    assert "(got 'two')" in err
    assert "accepted: none, single or per_az" in err


LIBRARY_WORDS = (
    "Input should be",
    "cannot start any token",
    "required key is missing",
    "Value error",
)


@pytest.mark.parametrize(
    "text",
    [
        t
        for case, t, _, _ in BAD_SPECS
        if case != "missing-project" and case != "missing-repository"
    ],
)
def test_messages_are_plain_words_not_the_libraries(
    tmp_path: Path, run_cli: Callable[..., Run], text: str
) -> None:
    spec = tmp_path / "plan.yaml"
    spec.write_text(text, encoding="utf-8")
    err = run_cli("plan", str(spec)).err
    assert not [w for w in LIBRARY_WORDS if w in err], err
    # the closing hint names where to look (or, for an empty file, what to run)
    hint = err.strip().splitlines()[-1]
    assert hint.startswith("hint: fix line") or "infraplan init" in hint, hint


@pytest.mark.parametrize(
    "cidr", ["10.0.0.300/16", "banana", "10.0.0.1/16", "8.8.0.0/16", "10.0.0.0/8", "10.0.0.0/26"]
)
def test_a_bad_cidr_is_named_once(tmp_path: Path, run_cli: Callable[..., Run], cidr: str) -> None:
    spec = tmp_path / "plan.yaml"
    spec.write_text(BASE + f"network:\n  cidr: {cidr}\n  az_count: 3\n", encoding="utf-8")
    err = run_cli("plan", str(spec)).err
    assert err.count(cidr) == 1, err
    assert "accepted: " in err  # and what would be


def test_secret_values_are_never_echoed(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    spec = tmp_path / "plan.yaml"
    spec.write_text(BASE + "secrets:\n  - DATABASE_URL: postgres://user:hunter2@db/app\n")
    result = run_cli("plan", str(spec))
    assert result.code == 2
    assert "hunter2" not in result.err


def test_missing_spec_file_is_bad_input(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    result = run_cli("plan", str(tmp_path / "nope.yaml"))
    assert result.code == 2
    assert "no such file" in result.err and "infraplan init" in result.err


def test_non_utf8_spec_is_bad_input(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    spec = tmp_path / "plan.yaml"
    spec.write_bytes(b"project: caf\xe9\n")
    result = run_cli("plan", str(spec))
    assert result.code == 2 and "UTF-8" in result.err


def test_five_line_spec_is_a_whole_plan() -> None:
    spec = parse_spec(
        "project: checkout\n"
        "service: {name: checkout, port: 8080, health_check_path: /healthz}\n"
        "aws: {region: eu-west-1}\n"
        "ci: {repository: acme/checkout}\n"
    )
    assert spec.service.cpu == 256 and spec.service.memory == 512
    assert [e.name for e in spec.environments] == ["staging", "production"]
    assert spec.environments[1].approval is True
    assert spec.requirements.deploy_minutes == 10
    assert spec.plan_id.startswith("INFRA-") and spec.plan_id.endswith("-CHECKOUT")


def test_levels_accept_the_seeds_spanish_words() -> None:
    spec = parse_spec(BASE + "risks:\n  - {risk: x, probability: Media, impact: Alto}\n")
    assert spec.risks is not None
    assert (spec.risks[0].probability, spec.risks[0].impact) == ("medium", "high")


def test_unquoted_twelve_digit_account_id_is_accepted() -> None:
    spec = parse_spec(BASE + "aws:\n  account_id: 123456789012\n")
    assert spec.aws.account_id == "123456789012"


def test_escaped_surrogate_pairs_become_whole_characters() -> None:
    spec = parse_spec(BASE + 'title: "smile \\ud83d\\ude00"\n')
    assert spec.title == "smile \U0001f600"


def test_new_refuses_preview_environments_naming_the_line(
    tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    """A plan may ask for previews (check looks for them); new does not generate them."""
    spec = tmp_path / "plan.yaml"
    spec.write_text(BASE + "  preview_environments: true\n", encoding="utf-8")
    assert run_cli("plan", str(spec), "-o", str(tmp_path / "PLAN.md")).code == 0
    result = run_cli("new", str(spec), "-o", str(tmp_path / "repo"))
    assert result.code == 2, result.err
    assert "plan.yaml:4:" in result.err and "ci.preview_environments" in result.err
    assert "isolated" in result.err and "accepted: false" in result.err
    assert not (tmp_path / "repo").exists()


def test_quotas_count_what_each_environment_runs() -> None:
    from infraplan.spec.semantics import check_spec, nat_gateways

    spec = parse_spec(
        BASE + "network:\n  nat: per_az\n  az_count: 3\nenvironments:\n"
        "  - {name: dev, nat: none}\n  - {name: production}\n"
    )
    assert [nat_gateways(spec, e.name) for e in spec.environments] == [0, 3]
    assert check_spec(spec) == []
