output "budget_name" {
  description = "Name of the budget."
  value       = aws_budgets_budget.this.name
}

output "monthly_limit_usd" {
  description = "Monthly limit of the budget in US dollars."
  value       = var.monthly_limit_usd
}
