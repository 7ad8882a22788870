"""On-ramps for existing work: ``infraplan init --from`` a Markdown plan, an AWS
Copilot application or an existing repository, each to a ``plan.yaml`` whose
values name the file and line they came from."""
