output "scalable_target_arn" {
  description = "ARN of the scalable target; the deploy role may set its minimum."
  value       = aws_appautoscaling_target.this.arn
}

output "resource_id" {
  description = "Resource id of the scalable target (service/<cluster>/<service>)."
  value       = aws_appautoscaling_target.this.resource_id
}

output "min_capacity" {
  description = "The minimum the deploy workflow sets once the first image runs."
  value       = var.min_capacity
}

output "max_capacity" {
  description = "Most tasks scaling may run."
  value       = aws_appautoscaling_target.this.max_capacity
}
