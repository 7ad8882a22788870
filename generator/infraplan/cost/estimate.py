"""The monthly cost of the planned stack, per environment and resource, against R4.

Each environment is a whole stack (cluster, load balancer, NAT, monitoring,
secrets). R4 bounds the new infrastructure as a whole: the estimate is within
budget when all environments together are, and each environment's AWS budget
is its share of R4 (:func:`budget_shares`), never the whole R4.
What each environment runs comes from :func:`env_sizing`, which reads the
environment's own sizing (``Spec.sizing``).
Quantities that depend on traffic come from the price file's assumptions and
each line says which one it used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from infraplan.cost.prices import PriceTable, price_table
from infraplan.spec.model import Spec, spot_tasks
from infraplan.spec.scaling import env_scaling

# Alarms the monitoring module creates per environment: CPU, memory, target 5xx,
# load balancer 5xx, no healthy target, unhealthy targets, running tasks.
ALARMS_PER_ENV = 7
# Blue/green: the two target-health alarms add up both target groups (metric math), and
# CloudWatch bills an alarm per metric it evaluates (Amazon CloudWatch pricing, "Alarms"):
# two metrics more. The second target group and the listener rules are not billed by
# Elastic Load Balancing (its price is the load balancer's hours and LCUs), nor is a
# listener; the test traffic rides the users' listener. What blue/green does cost is the
# second revision's tasks during each deployment and its bake time, which depends on how
# often the service deploys: not counted.
BLUE_GREEN_EXTRA_ALARM_METRICS = 2
BLUE_GREEN_FREE_RESOURCES = 3  # the second target group, the live and the test rule


@dataclass(frozen=True)
class Sizing:
    """What one environment runs: the figures its cost depends on."""

    desired_count: int
    cpu: int
    memory: int
    nat: str  # none | single | per_az
    az_count: int
    dashboard: bool
    spot: bool = False  # tasks on Fargate Spot
    on_demand_base: int = 0  # with spot: tasks kept on on-demand Fargate
    # Autoscaling's maximum (0: none) and its target tracking policies, each with the two
    # CloudWatch alarms Application Auto Scaling creates (billed as alarms; scaling is free).
    max_count: int = 0
    scaling_policies: int = 0

    @property
    def nat_gateways(self) -> int:
        return {"none": 0, "single": 1, "per_az": self.az_count}[self.nat]

    @property
    def public_ipv4_addresses(self) -> int:
        """The load balancer's addresses (one per zone), one per NAT gateway, and with no
        NAT one per task (tasks run in public subnets)."""
        tasks = self.desired_count if self.nat == "none" else 0
        return self.az_count + self.nat_gateways + tasks

    @property
    def spot_tasks(self) -> float:
        return spot_tasks(self.desired_count, self.spot, self.on_demand_base)


def env_sizing(spec: Spec, env: str) -> Sizing:
    """What environment ``env`` of ``spec`` runs: its own sizing (``environments[]``: task
    count, CPU, memory, NAT mode, Fargate Spot), the service's and network's where it sets
    none."""
    size = spec.sizing(env)
    scaling = env_scaling(spec, env)
    return Sizing(
        desired_count=size.desired_count,
        cpu=size.cpu,
        memory=size.memory,
        nat=size.nat,
        az_count=spec.network.az_count,
        dashboard=spec.monitoring.dashboard,
        spot=size.spot,
        on_demand_base=size.on_demand_base,
        max_count=scaling.max_count if scaling else 0,
        scaling_policies=scaling.policies if scaling else 0,
    )


@dataclass(frozen=True)
class CostLine:
    resource: str
    quantity: float
    unit: str
    unit_price: float
    price_key: str
    assumption: str | None = None  # key in the price file's assumptions

    @property
    def monthly_usd(self) -> float:
        return self.quantity * self.unit_price

    def to_dict(self) -> dict[str, Any]:
        return {
            "resource": self.resource,
            "quantity": round(self.quantity, 6),
            "unit": self.unit,
            "unit_price": self.unit_price,
            "monthly_usd": round(self.monthly_usd, 2),
            "assumption": self.assumption,
        }


@dataclass(frozen=True)
class EnvCost:
    env: str
    lines: tuple[CostLine, ...]
    # With autoscaling: the most it runs, and what the month costs at that count.
    max_count: int = 0
    ceiling_usd: float | None = None

    @property
    def total(self) -> float:
        return sum(line.monthly_usd for line in self.lines)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.env,
            "lines": [line.to_dict() for line in self.lines],
            "total_usd": round(self.total, 2),
        }
        if self.ceiling_usd is not None:
            out["autoscaling"] = {
                "max_count": self.max_count,
                "ceiling_usd": round(self.ceiling_usd, 2),
            }
        return out


@dataclass(frozen=True)
class CostEstimate:
    region: str
    environments: tuple[EnvCost, ...]
    budget_usd: float
    prices: PriceTable

    @property
    def total(self) -> float:
        """All environments together."""
        return sum(env.total for env in self.environments)

    @property
    def stack_total(self) -> float:
        """The most expensive environment alone."""
        return max(env.total for env in self.environments)

    @property
    def within_budget(self) -> bool:
        """R4 bounds the new infrastructure as a whole: every environment together."""
        return round(self.total, 2) <= self.budget_usd

    def to_dict(self) -> dict[str, Any]:
        used = {line.assumption for env in self.environments for line in env.lines}
        return {
            "region": self.region,
            "currency": self.prices.currency,
            "prices": {
                "source": self.prices.source,
                "as_of": self.prices.as_of,
                "approximate": self.prices.approximate,
            },
            "hours_per_month": self.prices.hours_per_month,
            "environments": [env.to_dict() for env in self.environments],
            "total_usd": round(self.total, 2),
            "stack_total_usd": round(self.stack_total, 2),
            "budget_usd": self.budget_usd,
            "budget_applies_to": "all environments together",
            "within_budget": self.within_budget,
            "budget_per_environment_usd": budget_shares(self),
            "assumptions": [
                {"key": a.key, "value": a.value, "note": a.note}
                for a in self.prices.assumptions.values()
                if a.key in used
            ],
            "not_included": list(self.prices.not_included),
        }


def estimate(
    spec: Spec, prices: PriceTable | None = None, sizing: Mapping[str, Sizing] | None = None
) -> CostEstimate:
    """The monthly estimate of ``spec``'s stack. ``sizing`` replaces what some
    environments run (to price a change before making it)."""
    table = prices or price_table(spec.aws.region)
    chosen = {env.name: env_sizing(spec, env.name) for env in spec.environments}
    chosen.update(sizing or {})
    return CostEstimate(
        region=spec.aws.region,
        environments=tuple(
            _env_cost(spec, table, env.name, chosen[env.name]) for env in spec.environments
        ),
        budget_usd=float(spec.requirements.monthly_budget_usd),
        prices=table,
    )


def _env_cost(spec: Spec, table: PriceTable, env: str, size: Sizing) -> EnvCost:
    """The environment's month at its desired count and, with autoscaling, its ceiling:
    the same month with every hour at the maximum count."""
    lines = tuple(env_lines(spec, table, size))
    if not size.max_count:
        return EnvCost(env, lines)
    busiest = replace(size, desired_count=size.max_count)
    ceiling = sum(line.monthly_usd for line in env_lines(spec, table, busiest))
    return EnvCost(env, lines, size.max_count, ceiling)


def budget_shares(result: CostEstimate) -> dict[str, float]:
    """Each environment's AWS budget: R4 split in proportion to the environments'
    estimates, in cents, adding up to R4 exactly."""
    total = result.total
    names = [env.env for env in result.environments]
    cents = round(result.budget_usd * 100)
    shares: dict[str, int] = {}
    for env in result.environments[:-1]:
        part = env.total / total if total > 0 else 1 / len(names)
        shares[env.env] = round(cents * part)
    shares[names[-1]] = cents - sum(shares.values())
    return {name: shares[name] / 100 for name in names}


def estimate_total(spec: Spec) -> float:
    """The monthly cost in USD, to the cent, of every environment together: the figure
    the plan's R4 line shows and ``budget_estimate`` compares with R4 ("the new
    infrastructure must not cost more than $N a month")."""
    return round(estimate(spec).total, 2)


def env_lines(spec: Spec, table: PriceTable, size: Sizing) -> list[CostLine]:
    """What one environment's stack costs a month, line by line."""
    hours = table.hours_per_month
    vcpu = size.cpu / 1024
    memory_gb = size.memory / 1024
    nat = size.nat_gateways
    on_spot = size.spot_tasks
    on_demand = size.desired_count - on_spot

    def line(
        resource: str, quantity: float, unit: str, key: str, assumption: str | None = None
    ) -> CostLine:
        return CostLine(resource, quantity, unit, table.price(key), key, assumption)

    out: list[CostLine] = []
    if on_demand:
        out += [
            line("Fargate vCPU", vcpu * on_demand * hours, "vCPU-hours", "fargate_vcpu_hour"),
            line("Fargate memory", memory_gb * on_demand * hours, "GB-hours", "fargate_gb_hour"),
        ]
    if on_spot:
        # Fargate Spot's price moves with supply and demand; the line says so. With an
        # on-demand base the split is ECS's placement by weight, an expectation.
        out += [
            line(
                "Fargate Spot vCPU",
                vcpu * on_spot * hours,
                "vCPU-hours",
                "fargate_spot_vcpu_hour",
                "fargate_spot_price",
            ),
            line(
                "Fargate Spot memory",
                memory_gb * on_spot * hours,
                "GB-hours",
                "fargate_spot_gb_hour",
                "fargate_spot_price",
            ),
        ]
    out += [
        line("Application Load Balancer", hours, "hours", "alb_hour"),
        line(
            "Load balancer capacity units",
            table.assume("alb_lcu_per_hour") * hours,
            "LCU-hours",
            "alb_lcu_hour",
            "alb_lcu_per_hour",
        ),
    ]
    if nat:
        out += [
            line("NAT gateways", nat * hours, "hours", "nat_gateway_hour"),
            line(
                "NAT data processed",
                table.assume("nat_data_gb_per_month"),
                "GB",
                "nat_gateway_gb",
                "nat_data_gb_per_month",
            ),
        ]
    out.append(
        line(
            "Public IPv4 addresses",
            size.public_ipv4_addresses * hours,
            "address-hours",
            "public_ipv4_hour",
            "alb_public_ipv4",
        )
    )
    blue_green = spec.deploy.strategy == "blue_green"
    alarms = ALARMS_PER_ENV + (BLUE_GREEN_EXTRA_ALARM_METRICS if blue_green else 0)
    unit = "alarm metrics" if blue_green else "alarms"
    out.append(line("CloudWatch alarms", alarms, unit, "cloudwatch_alarm_month"))
    if blue_green:
        out.append(
            CostLine(
                "Blue/green target group and listener rules (not billed)",
                BLUE_GREEN_FREE_RESOURCES,
                "resources",
                0.0,
                "alb_hour",
            )
        )
    if size.scaling_policies:
        out.append(
            line(
                "Target tracking alarms",
                2 * size.scaling_policies,
                "alarms",
                "cloudwatch_alarm_month",
            )
        )
    if size.dashboard:
        out.append(line("CloudWatch dashboard", 1, "dashboards", "cloudwatch_dashboard_month"))
    out.append(
        line(
            "CloudWatch Logs ingestion",
            table.assume("log_ingestion_gb_per_month"),
            "GB",
            "logs_ingestion_gb",
            "log_ingestion_gb_per_month",
        )
    )
    if spec.secrets:
        out.append(line("Secrets Manager secrets", len(spec.secrets), "secrets", "secret_month"))
    out.append(
        line(
            "KMS keys",
            table.assume("kms_keys_per_env"),
            "keys",
            "kms_key_month",
            "kms_keys_per_env",
        )
    )
    out += _https_lines(spec, line)
    out.append(
        line(
            "ECR storage",
            table.assume("ecr_storage_gb"),
            "GB-months",
            "ecr_storage_gb_month",
            "ecr_storage_gb",
        )
    )
    return out


def _https_lines(spec: Spec, line: Any) -> list[CostLine]:
    """HTTPS by name (service.domain): the environment's public ACM certificate and its
    records in the existing hosted zone, all free (the file's "global" prices, with their
    source). The zone itself exists before the stack, which never creates one."""
    if spec.service.domain is None:
        return []
    out = []
    if spec.service.certificate_arn is None:
        out.append(
            line(
                "ACM public certificate (validated by DNS)",
                1,
                "certificates",
                "acm_public_certificate_month",
            )
        )
    out.append(
        line(
            "Route 53 alias record and its queries",
            1,
            "records",
            "route53_alias_record_month",
        )
    )
    return out
