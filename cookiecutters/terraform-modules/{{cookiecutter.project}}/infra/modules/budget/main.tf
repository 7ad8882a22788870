# One environment's monthly cost budget. Give monthly_limit_usd the environment's
# share of the plan's R4 (`infraplan cost` prints each share; they add up to R4)
# and cost_filter_tag the stack's tag, so the budget counts only this stack's
# resources; without the tag it counts the whole account. The tag must be
# activated as a cost allocation tag in the Billing console ("Activating
# user-defined cost allocation tags", AWS Billing User Guide).
# Alerts go to e-mail addresses and SNS topics at alert_thresholds percent of
# actual spend and when the forecast passes 100%.

locals {
  notify = length(var.notify_emails) + length(var.notify_topic_arns) > 0
}

resource "aws_budgets_budget" "this" {
  name         = var.budget_name
  budget_type  = "COST"
  limit_amount = format("%.2f", var.monthly_limit_usd)
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  dynamic "cost_filter" {
    for_each = var.cost_filter_tag == null ? [] : [var.cost_filter_tag]

    content {
      name   = "TagKeyValue"
      values = [format("user:%s$%s", cost_filter.value.key, cost_filter.value.value)]
    }
  }

  dynamic "notification" {
    for_each = local.notify ? var.alert_thresholds : []

    content {
      comparison_operator        = "GREATER_THAN"
      threshold                  = notification.value
      threshold_type             = "PERCENTAGE"
      notification_type          = "ACTUAL"
      subscriber_email_addresses = var.notify_emails
      subscriber_sns_topic_arns  = var.notify_topic_arns
    }
  }

  dynamic "notification" {
    for_each = local.notify ? [100] : []

    content {
      comparison_operator        = "GREATER_THAN"
      threshold                  = notification.value
      threshold_type             = "PERCENTAGE"
      notification_type          = "FORECASTED"
      subscriber_email_addresses = var.notify_emails
      subscriber_sns_topic_arns  = var.notify_topic_arns
    }
  }

  tags = var.tags
}
