# Your own values for the staging environment (variables.tf lists them).
# infraplan writes this file once and never changes it; main.tf follows
# plan.yaml through `infraplan update` (your edits there are merged, but
# plan.yaml is the place for what it holds).

# HTTPS: an ACM certificate of the service's domain; port 80 then redirects.
# plan.yaml's service.certificate_arn (or service.domain) is the place for it;
# a value here wins over plan.yaml for this environment.
# certificate_arn = "arn:aws:acm:<region>:<account>:certificate/<id>"

# The budget counts only this stack (its Stack tag, which must be an active cost
# allocation tag in the Billing console); null counts the whole account.
# budget_cost_filter_tag = null

# Before destroying this environment, turn off the load balancer's protection.
# deletion_protection = false
