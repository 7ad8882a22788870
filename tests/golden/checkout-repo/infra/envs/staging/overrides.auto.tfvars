# Your own values for the staging environment (variables.tf lists them).
# infraplan writes this file once and never changes it; main.tf follows
# plan.yaml through `infraplan update` (your edits there are merged, but
# plan.yaml is the place for what it holds).

# HTTPS: an ACM certificate of the service's domain; port 80 then redirects.
# certificate_arn = "arn:aws:acm:<region>:<account>:certificate/<id>"

# Count only this stack in the R4 budget (default: the whole account), once the
# tag is an active cost allocation tag.
# budget_cost_filter_tag = { key = "Stack", value = "checkout-staging" }

# Before destroying this environment, turn off the load balancer's protection.
# deletion_protection = false
