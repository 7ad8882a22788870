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

output "alarm_arns" {
  description = "ARN of every alarm, by what it watches."
  value = {
    cpu                = aws_cloudwatch_metric_alarm.cpu.arn
    http_5xx           = aws_cloudwatch_metric_alarm.http_5xx.arn
    lb_5xx             = aws_cloudwatch_metric_alarm.lb_5xx.arn
    no_healthy_targets = one(concat(aws_cloudwatch_metric_alarm.no_healthy_targets[*].arn, aws_cloudwatch_metric_alarm.no_healthy_targets_both_groups[*].arn))
    unhealthy_targets  = one(concat(aws_cloudwatch_metric_alarm.unhealthy_targets[*].arn, aws_cloudwatch_metric_alarm.unhealthy_targets_both_groups[*].arn))
    memory             = aws_cloudwatch_metric_alarm.memory.arn
    running_tasks      = aws_cloudwatch_metric_alarm.running_tasks.arn
  }
}
