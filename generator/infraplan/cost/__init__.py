"""``infraplan cost``: a monthly estimate of the planned stack against the R4 budget.

prices.py (the shipped price file) -> estimate.py (per environment and resource)
-> output.py / command.py; live_prices.py refreshes prices from the AWS Price
List API and is the only module here that talks to AWS.
"""

from infraplan.cost.estimate import CostEstimate, CostLine, EnvCost, estimate, estimate_total

__all__ = ["CostEstimate", "CostLine", "EnvCost", "estimate", "estimate_total"]
