"""The network section of the spec: the VPC and the tasks' egress."""

from __future__ import annotations

import ipaddress

from pydantic import Field, field_validator

from infraplan.spec.types import Model, Nat, ipv4_block


class Egress(Model):
    """One outbound rule of the service's tasks: a TCP port to a CIDR block."""

    port: int = Field(..., ge=1, le=65535, description="TCP port.")
    cidr: str = Field("0.0.0.0/0", description="IPv4 destination block; default: anywhere.")
    description: str = Field(
        "",
        max_length=200,
        pattern=r"^[A-Za-z0-9 ._:/()#,@+=&;{}!$*-]*$",
        description="What the rule is for: letters, digits, spaces and ._-:/()#,@+=&;{}!$*, "
        "the characters AWS allows in a rule description.",
    )

    @field_validator("cidr")
    @classmethod
    def _cidr(cls, value: str) -> str:
        ipv4_block(value)
        return value


def _default_egress() -> list[Egress]:
    return [Egress(port=443, description="HTTPS to AWS APIs and the internet")]


class Network(Model):
    """The VPC: one public and one private subnet per availability zone."""

    cidr: str = Field("10.0.0.0/16", description="VPC IPv4 block, /16 to /28, private range.")
    az_count: int = Field(2, ge=2, le=6, description="Availability zones used: 2 to 6.")
    nat: Nat = Field(
        "single",
        description="NAT gateways: none (tasks in public subnets), single, or per_az.",
    )
    egress: list[Egress] = Field(
        default_factory=_default_egress,
        min_length=1,
        max_length=20,
        description="TCP ports the service's tasks may open outside the VPC's load balancer "
        "path, each to a CIDR block; default: 443 anywhere (AWS APIs, ECR, HTTPS services). "
        "Add e.g. {port: 5432, cidr: 10.0.0.0/16} for Postgres, 6379 for Redis, 587 for SMTP.",
    )

    @field_validator("cidr")
    @classmethod
    def _cidr(cls, value: str) -> str:
        # The value itself is shown once, by the loader ("got ..."): messages only say why.
        accepted = "; accepted: a private IPv4 block from /16 to /28, e.g. 10.0.0.0/16"
        try:
            network = ipaddress.ip_network(value, strict=True)
        except ValueError as exc:
            if "host bits" in str(exc):
                start = ipaddress.ip_network(value, strict=False).network_address
                raise ValueError(
                    f"has host bits set: a block of this size starts at {start}{accepted}"
                ) from None
            raise ValueError(f"is not an IPv4 CIDR block{accepted}") from None
        if not isinstance(network, ipaddress.IPv4Network):
            raise ValueError(f"is not an IPv4 CIDR block{accepted}")
        if not 16 <= network.prefixlen <= 28:
            raise ValueError(f"a VPC block must be /16 to /28, not /{network.prefixlen}{accepted}")
        if not network.is_private:
            raise ValueError(
                "is not a private range; accepted: a block inside 10.0.0.0/8, "
                "172.16.0.0/12 or 192.168.0.0/16"
            )
        return value
