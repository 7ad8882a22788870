variable "budget_name" {
  description = "Name of the budget."
  type        = string

  validation {
    condition     = length(var.budget_name) >= 1 && length(var.budget_name) <= 100 && !strcontains(var.budget_name, ":") && !strcontains(var.budget_name, "\\")
    error_message = "budget_name must be 1-100 characters without : or \\."
  }
}

variable "monthly_limit_usd" {
  description = "Monthly cost limit in US dollars: this environment's share of the plan's R4 (see infraplan cost)."
  type        = number

  validation {
    condition     = var.monthly_limit_usd > 0
    error_message = "monthly_limit_usd must be more than 0."
  }
}

variable "alert_thresholds" {
  description = "Percentages of the limit at which actual spend sends an alert."
  type        = list(number)
  default     = [80, 100]

  validation {
    condition     = alltrue([for t in var.alert_thresholds : t > 0 && t <= 1000])
    error_message = "alert_thresholds must be percentages from 1 to 1000."
  }
}

variable "notify_emails" {
  description = "E-mail addresses alerted (at most 10). No address, no alerts."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.notify_emails) <= 10 && alltrue([for e in var.notify_emails : can(regex("^[^@[:space:]]+@[^@[:space:]]+\\.[A-Za-z]{2,}$", e))])
    error_message = "notify_emails must hold at most 10 e-mail addresses."
  }
}

variable "notify_topic_arns" {
  description = "SNS topics alerted; each topic's access policy must let budgets.amazonaws.com publish."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for t in var.notify_topic_arns : can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", t))])
    error_message = "notify_topic_arns must hold SNS topic ARNs."
  }
}

variable "cost_filter_tag" {
  description = "Count only the cost of resources carrying this tag (an activated cost allocation tag); null counts the whole account."
  type = object({
    key   = string
    value = string
  })
  default = null
}

variable "tags" {
  description = "Tags added to the budget (on top of the provider's default tags)."
  type        = map(string)
  default     = {}
}
