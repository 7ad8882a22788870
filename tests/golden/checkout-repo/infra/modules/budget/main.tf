# A monthly cost budget at the plan's R4 amount. Alerts go by e-mail at
# alert_thresholds percent of actual spend and when the forecast passes 100%.
# With cost_filter_tag the budget counts only resources carrying that tag; the
# tag must be activated as a cost allocation tag in the Billing console.

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
    for_each = length(var.notify_emails) > 0 ? var.alert_thresholds : []

    content {
      comparison_operator        = "GREATER_THAN"
      threshold                  = notification.value
      threshold_type             = "PERCENTAGE"
      notification_type          = "ACTUAL"
      subscriber_email_addresses = var.notify_emails
    }
  }

  dynamic "notification" {
    for_each = length(var.notify_emails) > 0 ? [100] : []

    content {
      comparison_operator        = "GREATER_THAN"
      threshold                  = notification.value
      threshold_type             = "PERCENTAGE"
      notification_type          = "FORECASTED"
      subscriber_email_addresses = var.notify_emails
    }
  }

  tags = var.tags
}
