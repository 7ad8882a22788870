# Your own values for the {{ cookiecutter.env_name }} environment. Terraform reads *.auto.tfvars
# after terraform.tfvars, so what you set here wins. infraplan writes this file
# once and never changes it; terraform.tfvars follows plan.yaml through
# `infraplan update` (your edits there are merged, but plan.yaml is the place).

# HTTPS: an ACM certificate of the service's domain; port 80 then redirects.
# certificate_arn = "arn:aws:acm:<region>:<account>:certificate/<id>"

# Count only this stack in the R4 budget (default: the whole account), once the
# tag is an active cost allocation tag.
# budget_cost_filter_tag = { key = "Stack", value = "{{ cookiecutter._env.stack }}" }
