"""The monthly cost of the planned stack, per environment and resource, against R4.

Each environment is a whole stack (cluster, load balancer, NAT, monitoring,
secrets, its own AWS budget at the R4 amount), so R4 bounds each environment's
stack: the estimate is within budget when every environment is. The sum over
environments is shown too.
Quantities that depend on traffic come from the price file's assumptions and
each line says which one it used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from infraplan.cost.prices import PriceTable, price_table
from infraplan.spec.model import Spec


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

    @property
    def total(self) -> float:
        return sum(line.monthly_usd for line in self.lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.env,
            "lines": [line.to_dict() for line in self.lines],
            "total_usd": round(self.total, 2),
        }


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
            "prices": {"source": self.prices.source, "as_of": self.prices.as_of},
            "hours_per_month": self.prices.hours_per_month,
            "environments": [env.to_dict() for env in self.environments],
            "total_usd": round(self.total, 2),
            "stack_total_usd": round(self.stack_total, 2),
            "budget_usd": self.budget_usd,
            "budget_applies_to": "all environments together",
            "within_budget": self.within_budget,
            "assumptions": [
                {"key": a.key, "value": a.value, "note": a.note}
                for a in self.prices.assumptions.values()
                if a.key in used
            ],
            "not_included": list(self.prices.not_included),
        }


def estimate(spec: Spec, prices: PriceTable | None = None) -> CostEstimate:
    """The monthly estimate of ``spec``'s stack; raises UserError for a region without prices."""
    table = prices or price_table(spec.aws.region)
    lines = tuple(env_lines(spec, table))
    return CostEstimate(
        region=spec.aws.region,
        environments=tuple(EnvCost(env.name, lines) for env in spec.environments),
        budget_usd=float(spec.requirements.monthly_budget_usd),
        prices=table,
    )


def estimate_total(spec: Spec) -> float:
    """The monthly cost in USD, to the cent, of every environment together: the figure
    the plan's R4 line shows and ``budget_estimate`` compares with R4 ("the new
    infrastructure must not cost more than $N a month"). Raises UserError for a region
    the price file lacks."""
    return round(estimate(spec).total, 2)


def nat_gateways(spec: Spec) -> int:
    return {"none": 0, "single": 1, "per_az": spec.network.az_count}[spec.network.nat]


def public_ipv4_addresses(spec: Spec) -> int:
    """The load balancer's addresses (one per zone), one per NAT gateway, and with no NAT
    one per task (tasks run in public subnets)."""
    tasks = spec.service.desired_count if spec.network.nat == "none" else 0
    return spec.network.az_count + nat_gateways(spec) + tasks


def env_lines(spec: Spec, table: PriceTable) -> list[CostLine]:
    """What one environment's stack costs a month, line by line."""
    hours = table.hours_per_month
    tasks = spec.service.desired_count
    vcpu = spec.service.cpu / 1024
    memory_gb = spec.service.memory / 1024
    nat = nat_gateways(spec)

    def line(
        resource: str, quantity: float, unit: str, key: str, assumption: str | None = None
    ) -> CostLine:
        return CostLine(resource, quantity, unit, table.price(key), key, assumption)

    out = [
        line("Fargate vCPU", vcpu * tasks * hours, "vCPU-hours", "fargate_vcpu_hour"),
        line("Fargate memory", memory_gb * tasks * hours, "GB-hours", "fargate_gb_hour"),
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
            public_ipv4_addresses(spec) * hours,
            "address-hours",
            "public_ipv4_hour",
            "alb_public_ipv4",
        )
    )
    out.append(line("CloudWatch alarms", 2, "alarms", "cloudwatch_alarm_month"))
    if spec.monitoring.dashboard:
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
