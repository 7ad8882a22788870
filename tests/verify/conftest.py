"""A real moto server for the verify tests, and a deployed stack that matches a plan.

Test modules use these through fixtures only (no ``import conftest``), so they
run under any pytest import mode.

The server starts once per test session on 127.0.0.1, on a free port, and is
reset before each test. ``stack`` creates, with boto3, every resource a plan's
environment has, healthy; tests then break one thing at a time.
"""

from __future__ import annotations

import json
import socket
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from infraplan.cost.estimate import budget_shares, estimate
from infraplan.spec.load import load_spec
from infraplan.spec.model import Spec
from infraplan.spec.naming import EnvNames, env_names

ACCOUNT = "123456789012"  # moto's default account
REGION = "eu-west-1"
ENV = "staging"
REPOSITORY = "acme/checkout"
OIDC_PROVIDER = f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"

PLAN = f"""\
project: checkout
language: en
service: {{name: checkout, port: 8080, health_check_path: /healthz, desired_count: 2}}
aws: {{region: {REGION}, account_id: "{ACCOUNT}"}}
ci: {{repository: {REPOSITORY}}}
requirements: {{monthly_budget_usd: 150}}
monitoring: {{cpu_alarm_percent: 80, http_5xx_alarm_count: 5}}
secrets: [DATABASE_URL, API_KEY]
# staging on demand, sized as the service: moto keeps no capacity provider strategy
# (tests/verify/test_verify_sizing.py judges Spot services)
environments: [{{name: staging, nat: single}}, {{name: production, approval: true}}]
"""

KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=_free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def trust_policy(*subjects: str, provider: str = OIDC_PROVIDER) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": provider},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {
                        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com"
                    },
                    "StringLike": {"token.actions.githubusercontent.com:sub": list(subjects)},
                },
            }
        ],
    }


@dataclass
class Stack:
    """A deployed environment in moto, with clients to break it."""

    url: str
    repo_dir: Path
    spec: Spec
    names: EnvNames

    @property
    def env(self) -> str:
        return self.names.env

    @property
    def region(self) -> str:
        return self.spec.aws.region

    @property
    def repository(self) -> str:
        return self.spec.ci.repository

    def verify(self, session: Any = None, **options: Any) -> Any:
        """verify_directory on this stack's repo (a fresh session unless one is given)."""
        from infraplan.verify.command import verify_directory

        options.setdefault("endpoint_url", self.url)
        return verify_directory(
            self.repo_dir, env=self.env, session=session or self.session(), **options
        )

    def findings(self, session: Any = None) -> dict[str, Any]:
        return {f.rule: f for f in self.verify(session).report.rules}

    def command(
        self,
        fmt: str = "json",
        *,
        session: Any = None,
        chain: bool = False,
        directory: Path | None = None,
        tick: Path | None = None,
        region: str | None = None,
    ) -> int:
        """``run_verify_command`` as the CLI calls it; ``chain`` uses the standard
        credential chain instead of a session with test keys."""
        from infraplan.verify.command import run_verify_command

        return run_verify_command(
            directory or self.repo_dir,
            env=self.env,
            profile=None,
            region=region,
            endpoint_url=self.url,
            fmt=fmt,
            tick=tick,
            session=None if chain else session or self.session(),
        )

    def trust_policy(self, *subjects: str) -> dict[str, Any]:
        return trust_policy(*subjects)

    def client(self, service: str) -> Any:
        return boto3.client(service, region_name=REGION, endpoint_url=self.url, **KEYS)

    def session(self) -> Any:
        """A fresh session for the code under test (the tests hook its events)."""
        return boto3.session.Session(region_name=REGION, **KEYS)

    def ecs_service(self) -> Any:
        """moto's in-process model of the ECS service: the state ECS would keep."""
        from moto.backends import get_backend

        backend = get_backend("ecs")[ACCOUNT][REGION]
        return backend.services[f"{self.names.cluster}:{self.names.service}"]


@pytest.fixture
def stack(moto_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Stack:
    urllib.request.urlopen(urllib.request.Request(f"{moto_url}/moto-api/reset", method="POST"))
    (tmp_path / "plan.yaml").write_text(PLAN, encoding="utf-8")
    spec = load_spec(tmp_path / "plan.yaml").spec
    built = Stack(moto_url, tmp_path, spec, env_names(spec, ENV))
    # moto runs no task: this is how many it reports running (and the rollout completed).
    monkeypatch.setenv("MOTO_ECS_SERVICE_RUNNING", str(spec.sizing(ENV).desired_count))
    deploy(built)
    monkeypatch.delenv("MOTO_ECS_SERVICE_RUNNING")
    return built


def deploy(stack: Stack) -> None:
    """Create every resource the plan's environment has, as the generated Terraform would."""
    names, spec = stack.names, stack.spec
    ecr = stack.client("ecr")
    ecr.create_repository(
        repositoryName=names.ecr_repository,
        imageTagMutability="IMMUTABLE",
        imageScanningConfiguration={"scanOnPush": True},
    )
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {
            "digest": "sha256:" + "a" * 64,
            "size": 1,
            "mediaType": "application/vnd.docker.container.image.v1+json",
        },
        "layers": [],
    }
    ecr.put_image(
        repositoryName=names.ecr_repository, imageManifest=json.dumps(manifest), imageTag="0a1b2c3"
    )

    secrets = stack.client("secretsmanager")
    arns = {
        name: secrets.create_secret(Name=names.secret(name), SecretString="x")["ARN"]
        for name in spec.secrets
    }

    ecs = stack.client("ecs")
    ecs.create_cluster(clusterName=names.cluster)
    ecs.register_task_definition(
        family=names.task_family,
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        cpu=str(spec.service.cpu),
        memory=str(spec.service.memory),
        containerDefinitions=[
            {
                "name": names.container,
                "image": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/{names.ecr_repository}:0a1b2c3",
                "secrets": [{"name": n, "valueFrom": arn} for n, arn in arns.items()],
                "environment": [{"name": "PORT", "value": str(spec.service.port)}],
            }
        ],
    )
    ecs.create_service(
        cluster=names.cluster,
        serviceName=names.service,
        taskDefinition=names.task_family,
        desiredCount=spec.sizing(ENV).desired_count,  # the environment's own count
        launchType="FARGATE",
    )
    ecs.update_service(
        cluster=names.cluster,
        service=names.service,
        deploymentConfiguration={"deploymentCircuitBreaker": {"enable": True, "rollback": True}},
    )

    vpc = stack.client("ec2").create_vpc(CidrBlock=spec.network.cidr)["Vpc"]["VpcId"]
    elb = stack.client("elbv2")
    group = elb.create_target_group(
        Name=names.target_group,
        Protocol="HTTP",
        Port=spec.service.port,
        VpcId=vpc,
        TargetType="ip",
        HealthCheckPath=spec.service.health_check_path,
    )["TargetGroups"][0]["TargetGroupArn"]
    elb.register_targets(
        TargetGroupArn=group,
        Targets=[{"Id": ip, "Port": spec.service.port} for ip in ("10.0.8.10", "10.0.9.10")],
    )

    cloudwatch = stack.client("cloudwatch")
    alarm = {"Period": 60, "EvaluationPeriods": 1, "ComparisonOperator": "GreaterThanThreshold"}
    cloudwatch.put_metric_alarm(
        AlarmName=names.alarm_cpu,
        Namespace="AWS/ECS",
        MetricName="CPUUtilization",
        Statistic="Average",
        Threshold=float(spec.monitoring.cpu_alarm_percent),
        **alarm,
    )
    cloudwatch.put_metric_alarm(
        AlarmName=names.alarm_5xx,
        Namespace="AWS/ApplicationELB",
        MetricName="HTTPCode_Target_5XX_Count",
        Statistic="Sum",
        Threshold=float(spec.monitoring.http_5xx_alarm_count),
        **alarm,
    )
    cloudwatch.put_dashboard(DashboardName=names.dashboard, DashboardBody='{"widgets": []}')

    stack.client("budgets").create_budget(
        AccountId=ACCOUNT,
        Budget={
            "BudgetName": names.budget,
            # the environment's share of R4, as its root sets it
            "BudgetLimit": {"Amount": str(budget_shares(estimate(spec))[ENV]), "Unit": "USD"},
            "TimeUnit": "MONTHLY",
            "BudgetType": "COST",
        },
    )

    iam = stack.client("iam")
    iam.create_open_id_connect_provider(
        Url="https://token.actions.githubusercontent.com",
        ClientIDList=["sts.amazonaws.com"],
        ThumbprintList=["6938fd4d98bab03faadb97b34396831e3780aea1"],
    )
    iam.create_role(
        RoleName=names.deploy_role,
        AssumeRolePolicyDocument=json.dumps(
            trust_policy(
                f"repo:{REPOSITORY}:ref:refs/heads/main", f"repo:{REPOSITORY}:environment:*"
            )
        ),
    )


@pytest.fixture
def make_trust_policy() -> Any:
    """Build a GitHub OIDC trust policy: ``make_trust_policy(*subjects, provider=...)``."""
    return trust_policy


@pytest.fixture
def oidc_provider() -> str:
    return OIDC_PROVIDER
