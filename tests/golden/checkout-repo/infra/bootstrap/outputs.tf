output "state_bucket" {
  description = "S3 bucket of the Terraform state of every environment root."
  value       = aws_s3_bucket.state.bucket
}

output "oidc_provider_arn" {
  description = "ARN of the account's GitHub OIDC provider."
  value       = local.oidc_provider_arn
}

output "terraform_plan_role_arn" {
  description = "Role the Terraform workflow plans pull requests with (read-only)."
  value       = aws_iam_role.terraform_plan.arn
}

output "terraform_apply_role_arns" {
  description = "Role each environment's Terraform apply job assumes, by environment."
  value       = { for env, role in aws_iam_role.terraform_apply : env => role.arn }
}

output "permissions_boundary_arns" {
  description = "Permissions boundary each environment's stack roles must set, by environment."
  value       = { for env, policy in aws_iam_policy.boundary : env => policy.arn }
}
