variable "create_oidc_provider" {
  description = "Create the account's GitHub OIDC provider (true in one stack per account), or look up the existing one."
  type        = bool
  default     = true
}

variable "github_repository" {
  description = "GitHub repository (owner/name) allowed to assume the deploy role."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$", var.github_repository))
    error_message = "github_repository must be owner/name."
  }
}

variable "branch" {
  description = "Branch whose workflows may assume the deploy role."
  type        = string
  default     = "main"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/-]+$", var.branch))
    error_message = "branch must be a plain branch name (no wildcards)."
  }
}

variable "github_environments" {
  description = "GitHub environments whose jobs may assume the deploy role."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.github_environments : can(regex("^[A-Za-z0-9._-]+$", e))])
    error_message = "github_environments must hold plain environment names (no wildcards)."
  }
}

variable "role_name" {
  description = "Name of the deploy role."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.role_name))
    error_message = "role_name must be a valid IAM role name (1-64 characters)."
  }
}

variable "service_name" {
  description = "Name of the deployed ECS service (for the role's description)."
  type        = string
}

variable "ecr_repository_arn" {
  description = "ARN of the ECR repository CI pushes to."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:ecr:", var.ecr_repository_arn))
    error_message = "ecr_repository_arn must be an ECR repository ARN."
  }
}

variable "ecs_service_arn" {
  description = "ARN of the ECS service CI deploys."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:ecs:", var.ecs_service_arn))
    error_message = "ecs_service_arn must be an ECS service ARN."
  }
}

variable "pass_role_arns" {
  description = "Roles CI may pass to ECS tasks in the task definitions it registers: the task role and the execution role."
  type        = list(string)

  validation {
    condition     = length(var.pass_role_arns) > 0 && alltrue([for arn in var.pass_role_arns : can(regex("^arn:aws[a-z-]*:iam::", arn))])
    error_message = "pass_role_arns must hold IAM role ARNs."
  }
}

variable "allow_preview_services" {
  description = "Also let the role create, update and delete the pull request previews: services named <service>-pr-* next to the service."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default tags)."
  type        = map(string)
  default     = {}
}
