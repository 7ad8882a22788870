"""infraplan: one plan.yaml for the Markdown plan and the starter repo that carries it out."""

__version__ = "0.1.0"

# The plan spec's file name: what `new` writes, and what every command reads by default.
PLAN_FILE = "plan.yaml"
