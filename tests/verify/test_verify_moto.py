"""verify against a real moto server: a healthy stack passes, each break turns its rule red."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from infraplan.aws import AwsAccess
from infraplan.findings import Finding
from infraplan.verify.rules import LIVE_RULE_IDS

if TYPE_CHECKING:
    from conftest import Stack

READ_PREFIXES = ("Describe", "List", "Get")
SECRET_READS = {"GetSecretValue", "BatchGetSecretValue"}


def failing(result: dict[str, Finding]) -> set[str]:
    return {rule for rule, f in result.items() if f.status != "pass"}


def test_healthy_stack_passes_every_rule(stack: Stack) -> None:
    result = stack.findings()
    assert set(result) == set(LIVE_RULE_IDS)
    assert failing(result) == set(), {r: result[r].reason for r in failing(result)}
    assert result["live_ecs_running"].reason.startswith("2 of 2 tasks running")
    assert "; state OK" in result["live_alarm_cpu"].reason
    assert any(e.startswith("arn:aws:ecs:") for e in result["live_ecs_service"].evidence)


def test_every_call_is_a_read(stack: Stack, capsys: pytest.CaptureFixture[str]) -> None:
    """Record each AWS operation the command makes, healthy and broken; all must be reads."""
    calls: list[str] = []
    session = stack.session()

    def record(model: Any, **_: Any) -> None:
        calls.append(f"{model.service_model.service_name}:{model.name}")

    session.events.register("before-call", record)

    assert stack.command(session=session) == 0
    stack.client("ecr").put_image_scanning_configuration(
        repositoryName=stack.names.ecr_repository,
        imageScanningConfiguration={"scanOnPush": False},
    )
    stack.client("iam").delete_role(RoleName=stack.names.deploy_role)
    assert stack.command(session=session) == 1
    capsys.readouterr()
    operations = {call.split(":")[1] for call in calls}
    assert {
        "GetCallerIdentity",
        "DescribeRepositories",
        "GetRegistryScanningConfiguration",
        "DescribeServices",
        "DescribeTaskDefinition",
        "DescribeTargetHealth",
        "DescribeAlarms",
        "DescribeBudget",
        "DescribeSecret",
        "GetRole",
        "ListOpenIDConnectProviders",
    } <= operations
    writes = [c for c in calls if not c.split(":")[1].startswith(READ_PREFIXES)]
    assert writes == []
    assert operations.isdisjoint(SECRET_READS)


def test_access_refuses_a_write() -> None:
    """The one door to AWS refuses any non-read before it reaches boto3."""
    access = AwsAccess(session=None, region="eu-west-1")
    with pytest.raises(AssertionError, match="refused ecs:UpdateService"):
        access.call("ecs", "update_service", cluster="c", service="s")
    with pytest.raises(AssertionError, match="GetSecretValue"):
        access.call("secretsmanager", "get_secret_value", SecretId="x")


def test_command_prints_and_exits_zero_when_healthy(
    stack: Stack, capsys: pytest.CaptureFixture[str]
) -> None:
    code = stack.command("json")
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["verify"] == {"env": stack.env, "region": stack.region, "account": "123456789012"}
    assert {r["id"] for r in out["rules"]} == set(LIVE_RULE_IDS)
    assert {r["status"] for r in out["rules"]} == {"pass"}
    assert {c["id"]: c["status"] for c in out["criteria"]}["AC4"] == "pass"
    # AC3 is about production; this run is staging, so it stays unproven.
    assert {c["id"]: c["status"] for c in out["criteria"]}["AC3"] == "unknown"


def test_command_uses_standard_credential_chain(
    stack: Stack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    code = stack.command(
        "table", chain=True, directory=stack.repo_dir / "plan.yaml", region=stack.region
    )
    out = " ".join(capsys.readouterr().out.split())
    assert code == 0, out
    assert "infraplan verify: environment staging, region eu-west-1, account 123456789012" in out
    assert f"{len(LIVE_RULE_IDS)} live rules: {len(LIVE_RULE_IDS)} pass" in out


def test_alarm_deleted(stack: Stack) -> None:
    stack.client("cloudwatch").delete_alarms(AlarmNames=[stack.names.alarm_5xx])
    result = stack.findings()
    assert failing(result) == {"live_alarm_5xx"}
    assert "not found" in result["live_alarm_5xx"].reason


def test_alarm_threshold_differs(stack: Stack) -> None:
    stack.client("cloudwatch").put_metric_alarm(
        AlarmName=stack.names.alarm_cpu,
        Namespace="AWS/ECS",
        MetricName="CPUUtilization",
        Statistic="Average",
        Period=60,
        EvaluationPeriods=1,
        ComparisonOperator="GreaterThanThreshold",
        Threshold=95.0,
    )
    result = stack.findings()
    assert failing(result) == {"live_alarm_cpu"}
    assert "95" in result["live_alarm_cpu"].reason and "80" in result["live_alarm_cpu"].reason


def test_alarm_firing_is_reported(stack: Stack) -> None:
    stack.client("cloudwatch").set_alarm_state(
        AlarmName=stack.names.alarm_5xx, StateValue="ALARM", StateReason="test"
    )
    result = stack.findings()
    assert failing(result) == {"live_alarm_state"}
    assert stack.names.alarm_5xx in result["live_alarm_state"].reason


def test_secret_missing(stack: Stack) -> None:
    stack.client("secretsmanager").delete_secret(
        SecretId=stack.names.secret("API_KEY"), ForceDeleteWithoutRecovery=True
    )
    result = stack.findings()
    assert failing(result) == {"live_secrets"}
    assert stack.names.secret("API_KEY") in result["live_secrets"].reason


def test_desired_not_running(stack: Stack) -> None:
    stack.ecs_service().running_count = 1
    result = stack.findings()
    assert failing(result) == {"live_ecs_running"}
    assert "1 of 2 tasks running" in result["live_ecs_running"].reason


def test_deployment_failed(stack: Stack) -> None:
    deployment = stack.ecs_service().deployments[0]
    deployment["rolloutState"] = "FAILED"
    deployment["rolloutStateReason"] = "circuit breaker triggered"
    result = stack.findings()
    assert failing(result) == {"live_ecs_deployment"}
    assert "circuit breaker triggered" in result["live_ecs_deployment"].reason


def test_circuit_breaker_off(stack: Stack) -> None:
    stack.client("ecs").update_service(
        cluster=stack.names.cluster,
        service=stack.names.service,
        deploymentConfiguration={"deploymentCircuitBreaker": {"enable": True, "rollback": False}},
    )
    result = stack.findings()
    assert failing(result) == {"live_circuit_breaker_rollback"}
    assert "without rollback" in result["live_circuit_breaker_rollback"].reason


def test_secret_passed_as_plain_environment(stack: Stack) -> None:
    names = stack.names
    ecs = stack.client("ecs")
    arn = ecs.register_task_definition(
        family=names.task_family,
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        cpu="256",
        memory="512",
        containerDefinitions=[
            {
                "name": names.container,
                "image": "app",
                "secrets": [
                    {
                        "name": "API_KEY",
                        "valueFrom": f"arn:aws:ssm:{stack.region}:123456789012:parameter/api-key",
                    }
                ],
                "environment": [{"name": "DATABASE_URL", "value": "postgres://"}],
            }
        ],
    )["taskDefinition"]["taskDefinitionArn"]
    stack.ecs_service().task_definition = arn
    result = stack.findings()
    assert failing(result) == {"live_task_secrets"}
    reason = result["live_task_secrets"].reason
    assert "DATABASE_URL is a plain environment variable" in reason
    assert "API_KEY comes from SSM Parameter Store" in reason


def test_ecr_mutable_without_scan_or_image(stack: Stack) -> None:
    ecr = stack.client("ecr")
    ecr.batch_delete_image(
        repositoryName=stack.names.ecr_repository, imageIds=[{"imageTag": "0a1b2c3"}]
    )
    ecr.put_image_tag_mutability(
        repositoryName=stack.names.ecr_repository, imageTagMutability="MUTABLE"
    )
    ecr.put_image_scanning_configuration(
        repositoryName=stack.names.ecr_repository, imageScanningConfiguration={"scanOnPush": False}
    )
    result = stack.findings()
    assert failing(result) == {
        "live_ecr_image",
        "live_ecr_immutable_tags",
        "live_ecr_scan_on_push",
    }


def test_ecs_service_missing(stack: Stack) -> None:
    stack.client("ecs").delete_service(
        cluster=stack.names.cluster, service=stack.names.service, force=True
    )
    result = stack.findings()
    assert failing(result) == {
        "live_ecs_service",
        "live_ecs_running",
        "live_ecs_deployment",
        "live_circuit_breaker_rollback",
        "live_task_secrets",
    }
    assert all(result[r].status == "fail" for r in failing(result))


def test_targets_gone_and_wrong_health_path(stack: Stack) -> None:
    elb = stack.client("elbv2")
    arn = elb.describe_target_groups(Names=[stack.names.target_group])["TargetGroups"][0][
        "TargetGroupArn"
    ]
    elb.deregister_targets(
        TargetGroupArn=arn,
        Targets=[{"Id": "10.0.8.10", "Port": 8080}, {"Id": "10.0.9.10", "Port": 8080}],
    )
    elb.modify_target_group(TargetGroupArn=arn, HealthCheckPath="/")
    result = stack.findings()
    assert failing(result) == {"live_target_health", "live_health_check_path"}


def test_dashboard_missing(stack: Stack) -> None:
    stack.client("cloudwatch").delete_dashboards(DashboardNames=[stack.names.dashboard])
    assert failing(stack.findings()) == {"live_dashboard"}


def test_budget_amount_differs(stack: Stack) -> None:
    budgets = stack.client("budgets")
    budgets.delete_budget(AccountId="123456789012", BudgetName=stack.names.budget)
    budgets.create_budget(
        AccountId="123456789012",
        Budget={
            "BudgetName": stack.names.budget,
            "BudgetLimit": {"Amount": "500", "Unit": "USD"},
            "TimeUnit": "MONTHLY",
            "BudgetType": "COST",
        },
    )
    result = stack.findings()
    assert failing(result) == {"live_budget"}
    assert "500" in result["live_budget"].reason


def test_deploy_role_trusts_another_repository(stack: Stack) -> None:
    stack.client("iam").update_assume_role_policy(
        RoleName=stack.names.deploy_role,
        PolicyDocument=json.dumps(stack.trust_policy(f"repo:{stack.repository}:*", "repo:acme/*")),
    )
    result = stack.findings()
    assert failing(result) == {"live_deploy_role_trust"}
    assert "repo:acme/*" in result["live_deploy_role_trust"].reason


def test_deploy_role_missing(stack: Stack) -> None:
    stack.client("iam").delete_role(RoleName=stack.names.deploy_role)
    assert failing(stack.findings()) == {"live_deploy_role", "live_deploy_role_trust"}


def test_manifest_names_win(stack: Stack) -> None:
    (stack.repo_dir / ".infraplan").mkdir()
    (stack.repo_dir / ".infraplan" / "manifest.json").write_text(
        json.dumps(
            {
                "infraplan_version": "0.1.0",
                "language": "es",
                "files": {},
                "names": {stack.env: {"dashboard": "renamed-dashboard"}},
            }
        ),
        encoding="utf-8",
    )
    result = stack.findings()
    assert failing(result) == {"live_dashboard"}
    assert "renamed-dashboard" in result["live_dashboard"].reason
