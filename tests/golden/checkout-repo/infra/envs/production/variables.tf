# Values of this environment; terraform.tfvars sets them from plan.yaml.
# The modules validate each value they receive.

variable "aws_region" {
  description = "AWS region of the stack."
  type        = string
}

variable "aws_account_id" {
  description = "AWS account the stack must be applied in; empty allows any account."
  type        = string
  default     = ""

  validation {
    condition     = var.aws_account_id == "" || can(regex("^[0-9]{12}$", var.aws_account_id))
    error_message = "aws_account_id must be empty or 12 digits."
  }
}

variable "vpc_cidr" {
  description = "IPv4 block of the VPC."
  type        = string
}

variable "public_subnet_cidrs" {
  description = "Public subnet blocks, one per availability zone."
  type        = list(string)
}

variable "private_subnet_cidrs" {
  description = "Private subnet blocks, one per availability zone."
  type        = list(string)
}

variable "nat_mode" {
  description = "NAT gateways: none (tasks in public subnets with a public IP), single or per_az."
  type        = string

  validation {
    condition     = contains(["none", "single", "per_az"], var.nat_mode)
    error_message = "nat_mode must be none, single or per_az."
  }
}

variable "container_port" {
  description = "Port the service's container listens on."
  type        = number
}

variable "health_check_path" {
  description = "HTTP path the load balancer probes."
  type        = string
}

variable "cpu" {
  description = "Fargate CPU units of a task."
  type        = number
}

variable "memory" {
  description = "Memory of a task in MiB."
  type        = number
}

variable "desired_count" {
  description = "Number of tasks kept running."
  type        = number
}

variable "initial_image_tag" {
  description = "Image tag of the first task definition; the deploy workflow registers the next revisions."
  type        = string
  default     = "initial"
}

variable "auto_rollback" {
  description = "Roll a failed deployment back automatically (R3)."
  type        = bool
}

variable "certificate_arn" {
  description = "ACM certificate for HTTPS on the load balancer; null serves plain HTTP."
  type        = string
  default     = null
}

variable "deletion_protection" {
  description = "Protect the load balancer from deletion."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "Days container and flow logs are kept."
  type        = number
  default     = 365
}

variable "secret_names" {
  description = "Names of the service's secrets in Secrets Manager (never values)."
  type        = list(string)
}

variable "cpu_alarm_percent" {
  description = "CPU alarm threshold in percent."
  type        = number
}

variable "http_5xx_alarm_count" {
  description = "5xx alarm threshold in answers per minute."
  type        = number
}

variable "dashboard" {
  description = "Create the CloudWatch dashboard."
  type        = bool
}

variable "notify_emails" {
  description = "E-mail addresses told about alarms and the budget."
  type        = list(string)
}

variable "monthly_budget_usd" {
  description = "Monthly budget in US dollars (R4)."
  type        = number
}

variable "budget_cost_filter_tag" {
  description = "Limit the budget to resources with this tag, e.g. { key = \"Stack\", value = \"<stack>\" } once it is an active cost allocation tag; null counts the whole account."
  type = object({
    key   = string
    value = string
  })
  default = null
}

variable "github_repository" {
  description = "GitHub repository (owner/name) that deploys the service."
  type        = string
}

variable "branch" {
  description = "Branch that deploys the service."
  type        = string
}

variable "create_oidc_provider" {
  description = "Create the account's GitHub OIDC provider here (one stack per account does), or look it up."
  type        = bool
}

variable "allow_preview_services" {
  description = "Let the deploy role run the pull request previews (the first environment does when preview environments are on)."
  type        = bool
  default     = false
}
