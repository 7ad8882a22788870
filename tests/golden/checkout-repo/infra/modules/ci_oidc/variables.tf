variable "github_subject" {
  description = "The one OIDC subject (sub) allowed to assume the role: repo:OWNER/NAME:environment:ENV, or the immutable repo:OWNER@ID/NAME@ID:environment:ENV."
  type        = string

  validation {
    condition     = can(regex("^repo:[A-Za-z0-9][A-Za-z0-9-]{0,38}(@[0-9]+)?/[A-Za-z0-9._-]{1,100}(@[0-9]+)?:environment:[A-Za-z0-9._-]+$", var.github_subject))
    error_message = "github_subject must be one GitHub environment's subject, with no wildcard."
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

variable "scalable_target_arns" {
  description = "Application Auto Scaling targets of the service whose minimum the deploy job sets once the first image runs; empty without autoscaling."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.scalable_target_arns : can(regex("^arn:aws[a-z-]*:application-autoscaling:", arn))])
    error_message = "scalable_target_arns must hold Application Auto Scaling scalable target ARNs."
  }
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default tags)."
  type        = map(string)
  default     = {}
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary of every IAM role this module creates (infra/bootstrap makes one per stack); null for none."
  type        = string
  default     = null
}
