"""infraplan: one plan.yaml for the Markdown plan and the starter repo that carries it out."""

__version__ = "0.1.0"
