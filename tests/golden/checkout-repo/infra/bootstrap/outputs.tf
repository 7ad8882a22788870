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

# A backend block takes no variables or references, only literal values
# (https://developer.hashicorp.com/terraform/language/backend), so the block
# that moves this root's own state into the bucket is written from here once
# the bucket exists (README, "First deployment"):
#   terraform output -raw backend_tf > backend.tf
#   terraform init -migrate-state
output "backend_tf" {
  description = "backend.tf of this root: its own state in the bucket, under a key no CI role reads or writes."
  value       = <<-EOT
    # The bootstrap's own state, in the bucket it created, under a key outside
    # every environment's prefix: no CI role reads or writes it (the bucket
    # policy). Written by `terraform output -raw backend_tf` (README, "First
    # deployment"); S3 native locking, encrypted with the state key
    # (https://developer.hashicorp.com/terraform/language/backend/s3).
    terraform {
      backend "s3" {
        bucket       = "${aws_s3_bucket.state.bucket}"
        key          = "${local.bootstrap_state_key}"
        region       = "${local.region}"
        encrypt      = true
        kms_key_id   = "${aws_kms_key.state.arn}"
        use_lockfile = true
      }
    }
  EOT
}
