"""Facts about AWS the spec is validated against.

Kept as data, in one place, so a reader can check them against AWS's
documentation and a new region is a one-line change.
"""

from __future__ import annotations

from dataclasses import dataclass

# Commercial, GovCloud and China regions (AWS "Regions and Zones", 2026).
REGIONS: tuple[str, ...] = (
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "cn-north-1",
    "cn-northwest-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-west-1",
    "us-west-2",
)


def _range(start: int, stop: int, step: int) -> tuple[int, ...]:
    return tuple(range(start, stop + 1, step))


# Fargate task sizes: CPU units -> memory (MiB) values AWS accepts for Linux tasks.
FARGATE_SIZES: dict[int, tuple[int, ...]] = {
    256: (512, 1024, 2048),
    512: _range(1024, 4096, 1024),
    1024: _range(2048, 8192, 1024),
    2048: _range(4096, 16384, 1024),
    4096: _range(8192, 30720, 1024),
    8192: _range(16384, 61440, 4096),
    16384: _range(32768, 122880, 8192),
}

# Name length limits of the resources whose names derive from project and environment.
ALB_NAME_MAX = 32  # load balancers and target groups
SUBNET_MIN_PREFIX = 28  # the smallest subnet AWS allows is a /28
VPC_PREFIX_RANGE = (16, 28)


@dataclass(frozen=True)
class Quota:
    name: str
    code: str  # Service Quotas code
    default: int


# Amazon VPC quotas (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html)
# and Elastic IP quota (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/elastic-ip-addresses-eip.html#using-instance-addressing-limit).
EIP_QUOTA = Quota("EC2-VPC Elastic IPs", "ec2/L-0263D0A3", 5)
# The default VPC counts against it: 4 more fit in an account that keeps it.
VPC_QUOTA = Quota("VPCs per Region", "vpc/L-F678F1CE", 5)


def describe_memory_choices(cpu: int) -> str:
    values = FARGATE_SIZES[cpu]
    if len(values) <= 4:
        return ", ".join(str(v) for v in values)
    step = values[1] - values[0]
    return f"{values[0]} to {values[-1]} in steps of {step}"
