"""verify when AWS says no: each problem is a message naming the fix, and the rest still runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import EndpointConnectionError

from infraplan.errors import UserError
from infraplan.findings import Finding
from infraplan.verify.command import verify_directory

if TYPE_CHECKING:
    from conftest import Stack


def not_passing(result: dict[str, Finding]) -> set[str]:
    return {rule for rule, f in result.items() if f.status != "pass"}


def refuse(session: Any, event: str, code: str, status: int, message: str = "no") -> list[str]:
    """Make every call matching ``event`` fail with ``code``, as AWS would answer it."""
    seen: list[str] = []

    def answer(model: Any, **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        seen.append(model.name)
        body = {
            "Error": {"Code": code, "Message": message},
            "ResponseMetadata": {"HTTPStatusCode": status},
        }
        return AWSResponse("https://aws.invalid", status, {}, None), body

    session.events.register(event, answer)
    return seen


@pytest.fixture
def no_credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ROLE_ARN",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    yield


def test_no_credentials_is_one_error_and_bad_input(
    stack: Stack, no_credentials: None, capsys: pytest.CaptureFixture[str]
) -> None:
    # Without credentials no rule can be checked: one message, not one per rule.
    with pytest.raises(UserError) as raised:
        stack.command("table", chain=True)
    assert raised.value.exit_code == 2
    assert "no AWS credentials found" in raised.value.message
    assert "--profile" in raised.value.message
    assert capsys.readouterr().out == ""


def test_access_denied_on_one_call(stack: Stack) -> None:
    session = stack.session()
    refuse(session, "before-call.cloudwatch.DescribeAlarms", "AccessDenied", 403)
    result = stack.findings(session)
    assert not_passing(result) == {"live_alarm_cpu", "live_alarm_5xx", "live_alarm_state"}
    for rule in ("live_alarm_cpu", "live_alarm_5xx"):
        assert result[rule].status == "unknown"
        assert "access denied to cloudwatch:DescribeAlarms" in result[rule].reason
    assert result["live_dashboard"].status == "pass"


def test_access_denied_exits_one(stack: Stack, capsys: pytest.CaptureFixture[str]) -> None:
    session = stack.session()
    refuse(session, "before-call.budgets.DescribeBudget", "AccessDeniedException", 400)
    code = stack.command("table", session=session)
    out = " ".join(capsys.readouterr().out.split())
    assert code == 1
    assert "unknown live_budget: access denied to budgets:DescribeBudget" in out
    assert "allow budgets:ViewBudget" in out
    assert "1 unknown" in out


def test_expired_credentials_stop_after_first_call(stack: Stack) -> None:
    session = stack.session()
    seen = refuse(session, "before-call", "ExpiredToken", 403, "The security token has expired")
    with pytest.raises(UserError) as raised:
        stack.findings(session)
    assert seen == ["GetCallerIdentity"]
    assert "expired" in raised.value.message and "aws sso login" in raised.value.message


def test_service_without_endpoint(stack: Stack) -> None:
    session = stack.session()

    def unreachable(**_: Any) -> None:
        raise EndpointConnectionError(endpoint_url="https://budgets.invalid")

    session.events.register("before-call.budgets", unreachable)
    result = stack.findings(session)
    assert not_passing(result) == {"live_budget"}
    assert "could not reach budgets" in result["live_budget"].reason
    assert "--region" in result["live_budget"].reason


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.data


def throttle(session: Any, operation: str, times: int) -> list[int]:
    """The first ``times`` HTTP attempts of ``operation`` are throttled (before any retry)."""
    attempts: list[int] = []

    def send(request: Any, **_: Any) -> AWSResponse | None:
        attempts.append(1)
        if len(attempts) > times:
            return None  # let the request through to moto
        headers = {"Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": "t"}
        body = b'{"__type": "ThrottlingException", "message": "Rate exceeded"}'
        return AWSResponse(request.url, 400, headers, _Body(body))

    session.events.register(f"before-send.ecs.{operation}", send)
    return attempts


def test_throttling_is_retried(stack: Stack) -> None:
    session = stack.session()
    attempts = throttle(session, "DescribeServices", times=1)
    result = stack.findings(session)
    assert len(attempts) == 2
    assert not_passing(result) == set()


def test_throttling_that_persists(stack: Stack) -> None:
    session = stack.session()
    attempts = throttle(session, "DescribeClusters", times=99)
    result = stack.findings(session)
    assert len(attempts) == 3  # botocore standard mode: three attempts
    assert result["live_ecs_cluster"].status == "unknown"
    assert "throttled ecs:DescribeClusters after 3 attempts" in result["live_ecs_cluster"].reason
    assert result["live_ecr_repository"].status == "pass"


def test_unknown_profile_is_bad_input(stack: Stack, no_credentials: None) -> None:
    with pytest.raises(UserError, match="profile 'nope'"):
        verify_directory(stack.repo_dir, env=stack.env, profile="nope", endpoint_url=stack.url)


def test_unknown_environment_is_bad_input(stack: Stack) -> None:
    with pytest.raises(UserError) as caught:
        verify_directory(stack.repo_dir, env="qa", session=stack.session())
    assert caught.value.hint == "accepted: staging, production"


def test_missing_spec_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"plan\.yaml: no such file"):
        verify_directory(tmp_path, env="staging")


def test_region_flag_wins(stack: Stack) -> None:
    result = verify_directory(
        stack.repo_dir,
        env=stack.env,
        region="us-east-1",
        endpoint_url=stack.url,
        session=stack.session(),
    )
    by_rule = {f.rule: f for f in result.report.rules}
    assert result.region == "us-east-1" != stack.region
    # Nothing was deployed in us-east-1.
    assert by_rule["live_ecr_repository"].status == "fail"
    assert "us-east-1" in by_rule["live_ecr_repository"].reason
