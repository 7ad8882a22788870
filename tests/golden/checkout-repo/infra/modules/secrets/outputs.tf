output "secret_arns" {
  description = "ARN of each secret by name, as the ECS task definition takes them."
  value       = { for name, secret in aws_secretsmanager_secret.this : name => secret.arn }
}
