output "sns_topic_arn" {
  description = "ARN of the alarm topic."
  value       = aws_sns_topic.alarms.arn
}

output "cpu_alarm_arn" {
  description = "ARN of the CPU alarm."
  value       = aws_cloudwatch_metric_alarm.cpu.arn
}

output "http_5xx_alarm_arn" {
  description = "ARN of the 5xx alarm."
  value       = aws_cloudwatch_metric_alarm.http_5xx.arn
}

output "dashboard_name" {
  description = "Name of the dashboard, or null when none is created."
  value       = one(aws_cloudwatch_dashboard.this[*].dashboard_name)
}
