# Your own values for this environment; set them in overrides.auto.tfvars.

variable "certificate_arn" {
{% if cookiecutter._https.domain %}
  description = "ACM certificate made elsewhere for this environment's name; null requests one validated by DNS."
{% else %}
  description = "ACM certificate for HTTPS on the load balancer; null serves plain HTTP."
{% endif %}
  type        = string
{% if cookiecutter._https.certificate_arn %}
  default     = {{ cookiecutter._https.certificate_arn | hcl }}
{% else %}
  default     = null
{% endif %}
}

variable "deletion_protection" {
  description = "Protect the load balancer from deletion (set false before destroying the environment)."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "Days container and flow logs are kept."
  type        = number
  default     = 365
}

variable "budget_cost_filter_tag" {
  description = "The budget counts only resources with this tag: the stack's Stack tag, which must be an active cost allocation tag (Billing console); null counts the whole account."
  type = object({
    key   = string
    value = string
  })
  default = { key = "Stack", value = {{ cookiecutter._env.stack | hcl }} }
}
