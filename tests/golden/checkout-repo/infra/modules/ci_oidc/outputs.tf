output "role_arn" {
  description = "ARN of the deploy role (the AWS_DEPLOY_ROLE_ARN of the workflows)."
  value       = aws_iam_role.deploy.arn
}

output "role_name" {
  description = "Name of the deploy role."
  value       = aws_iam_role.deploy.name
}

output "oidc_provider_arn" {
  description = "ARN of the account's GitHub OIDC provider."
  value       = data.aws_iam_openid_connect_provider.github.arn
}
