# What differs between environments; each root in infra/envs/ passes its own
# values (from plan.yaml). The building-block modules validate each value.

variable "names" {
  description = "AWS names of the stack's resources, from infraplan's naming (check and verify rely on them)."
  type = object({
    stack          = string
    cluster        = string
    service        = string
    container      = string
    ecr_repository = string
    load_balancer  = string
    target_group   = string
    task_family    = string
    log_group      = string
    dashboard      = string
    alarm_cpu      = string
    alarm_5xx      = string
    sns_topic      = string
    budget         = string
    deploy_role    = string
    task_role      = string
    execution_role = string
    secret_prefix  = string

    # blue/green only (deployment_strategy BLUE_GREEN)
    alternate_target_group = string
    load_balancer_role     = string
  })

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,31}$", var.names.stack))
    error_message = "names.stack must be a lower-case slug of at most 32 characters."
  }
}

variable "vpc_cidr" {
  description = "IPv4 block of the VPC."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0))
    error_message = "vpc_cidr must be an IPv4 CIDR block."
  }
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

variable "egress" {
  description = "Outbound TCP rules of the tasks (port, cidr, description)."
  type = list(object({
    port        = number
    cidr        = string
    description = optional(string, "")
  }))
}

variable "container_port" {
  description = "Port the service's container listens on."
  type        = number
}

variable "health_check_path" {
  description = "HTTP path the load balancer probes."
  type        = string
}

variable "ecs_exec" {
  description = "Allow ECS Exec (aws ecs execute-command) into this environment's tasks: the service enables it and the task role gets the permissions it needs."
  type        = bool
  default     = false
}

variable "fargate_spot" {
  description = "Run this environment's tasks on Fargate Spot (plan.yaml's environments[].spot)."
  type        = bool
  default     = false
}

variable "on_demand_base" {
  description = "With fargate_spot: tasks kept on on-demand Fargate (1 in an environment with approval, 0 elsewhere)."
  type        = number
  default     = 0
}

variable "health_check_command" {
  description = "Command the container runs to check its own health (exec form): it probes the health path on the container port."
  type        = list(string)
}

variable "cpu" {
  description = "Fargate CPU units of a task."
  type        = number
}

variable "memory" {
  description = "Memory of a task in MiB."
  type        = number
}

variable "autoscaling" {
  description = "Target tracking of the task count: bounds (min_count..max_count), the average CPU to track, optional requests per task per minute, cooldowns; null keeps desired_count tasks."
  type = object({
    min_count                  = number
    max_count                  = number
    cpu_target_percent         = number
    requests_per_target        = optional(number)
    scale_in_cooldown_seconds  = optional(number, 300)
    scale_out_cooldown_seconds = optional(number, 60)
  })
  default = null

  validation {
    condition     = var.autoscaling == null || try(var.autoscaling.min_count <= var.desired_count && var.desired_count <= var.autoscaling.max_count, false)
    error_message = "autoscaling needs min_count <= desired_count <= max_count."
  }
}

variable "initial_image_tag" {
  description = "Image tag of the task definition Terraform registers; the service runs no task until the deploy workflow registers a revision with a pushed image."
  type        = string
  default     = "initial"
}

variable "auto_rollback" {
  description = "Roll a failed deployment back automatically (R3)."
  type        = bool
}

variable "deployment_strategy" {
  description = "ROLLING or BLUE_GREEN (ECS blue/green with a second target group and bake time): plan.yaml's deploy.strategy."
  type        = string
  default     = "ROLLING"
}

variable "bake_time_minutes" {
  description = "BLUE_GREEN only: minutes the old revision stays up after user traffic moved: plan.yaml's deploy.bake_minutes."
  type        = number
  default     = 5
}

variable "certificate_arn" {
  description = "ACM certificate made elsewhere for HTTPS on the load balancer (plan.yaml's service.certificate_arn); null: the one the domain module requests with a domain, plain HTTP without."
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

variable "memory_alarm_percent" {
  description = "Memory alarm threshold in percent."
  type        = number
}

variable "lb_5xx_alarm_count" {
  description = "Load balancer 5xx alarm threshold in answers per minute."
  type        = number
}

variable "unhealthy_targets_alarm_count" {
  description = "Alarm when more targets than this stay unhealthy."
  type        = number
}

variable "desired_count" {
  description = "Tasks this environment runs (the deploy workflow sets them); fewer raises the running-tasks alarm."
  type        = number
}

variable "notify_topic_arns" {
  description = "Existing SNS topics that also receive the alarms and the budget alerts."
  type        = list(string)
  default     = []
}

variable "slack_channel" {
  description = "Slack channel of the alarms (workspace and channel ids); null for none."
  type = object({
    team_id    = string
    channel_id = string
  })
  default = null
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
  description = "This environment's share of the plan's monthly budget R4, in US dollars (infraplan cost splits R4 by the environments' estimates)."
  type        = number
}

variable "budget_cost_filter_tag" {
  description = "The budget counts only resources with this tag (the environment root passes the stack's Stack tag, an active cost allocation tag); null counts the whole account."
  type = object({
    key   = string
    value = string
  })
  default = null
}

variable "github_subject" {
  description = "OIDC subject of this environment's GitHub jobs, the only one the deploy role trusts."
  type        = string
}

variable "use_permissions_boundary" {
  description = "Give every IAM role of the stack the permissions boundary infra/bootstrap creates for it (<stack>-boundary). The bootstrap's apply role may create roles only with it."
  type        = bool
  default     = true
}
