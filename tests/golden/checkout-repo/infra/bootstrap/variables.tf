# Your choices for this account; set them in overrides.auto.tfvars.

variable "github_oidc_provider" {
  description = "The account's GitHub OIDC provider: create it here (a fresh account), import it (an earlier infraplan layout created it in the first environment, or another stack you retire did), or look it up (another stack keeps owning it)."
  type        = string
  default     = "create"

  validation {
    condition     = contains(["create", "import", "lookup"], var.github_oidc_provider)
    error_message = "github_oidc_provider must be create, import or lookup."
  }
}

variable "noncurrent_state_days" {
  description = "Days an overwritten state version is kept before S3 expires it."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_state_days >= 1 && floor(var.noncurrent_state_days) == var.noncurrent_state_days
    error_message = "noncurrent_state_days must be a whole number of days, 1 or more."
  }
}

variable "require_permissions_boundary" {
  description = "Let the Terraform apply roles create and change IAM roles only with their environment's permissions boundary (the policy <stack>-boundary). Turn it off only while the stack's roles do not yet set permissions_boundary: the apply can then create a role with more than the boundary."
  type        = bool
  default     = true
}
