"""Subnet addressing: one public and one private subnet per availability zone.

The VPC block is split into the smallest power of two of equal subnets that
holds ``2 * az_count`` of them: public subnets take the first ``az_count``,
private subnets the next ``az_count``. The same numbers go to Terraform (as
``cidrsubnet(cidr, newbits, index)`` would compute them) and to the plan.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from infraplan.spec.aws_facts import SUBNET_MIN_PREFIX


@dataclass(frozen=True)
class SubnetLayout:
    newbits: int
    public: tuple[str, ...]
    private: tuple[str, ...]


def subnet_newbits(az_count: int) -> int:
    return max(1, (2 * az_count - 1).bit_length())


def layout_subnets(cidr: str, az_count: int) -> SubnetLayout:
    """Public and private subnet CIDRs for ``az_count`` zones of ``cidr``.

    Raises ValueError when the block is too small for subnets of at least /28.
    """
    network = ipaddress.ip_network(cidr)
    newbits = subnet_newbits(az_count)
    prefix = network.prefixlen + newbits
    if prefix > SUBNET_MIN_PREFIX:
        raise ValueError(
            f"the block is too small for {2 * az_count} subnets: they would be /{prefix}, "
            f"and AWS's smallest subnet is /{SUBNET_MIN_PREFIX}"
        )
    subnets = list(network.subnets(new_prefix=prefix))
    return SubnetLayout(
        newbits=newbits,
        public=tuple(str(s) for s in subnets[:az_count]),
        private=tuple(str(s) for s in subnets[az_count : 2 * az_count]),
    )
