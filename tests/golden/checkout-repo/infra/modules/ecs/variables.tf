variable "cluster_name" {
  description = "Name of the ECS cluster."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,255}$", var.cluster_name))
    error_message = "cluster_name must be 1-255 letters, digits, hyphens or underscores."
  }
}

variable "service_name" {
  description = "Name of the ECS service."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,255}$", var.service_name))
    error_message = "service_name must be 1-255 letters, digits, hyphens or underscores."
  }
}

variable "task_family" {
  description = "Family of the task definition."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,255}$", var.task_family))
    error_message = "task_family must be 1-255 letters, digits, hyphens or underscores."
  }
}

variable "container_name" {
  description = "Name of the service's container in the task definition."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,255}$", var.container_name))
    error_message = "container_name must be 1-255 letters, digits, hyphens or underscores."
  }
}

variable "container_image" {
  description = "Image of the first task definition revision; CI registers the next ones."
  type        = string

  validation {
    condition     = length(var.container_image) > 0
    error_message = "container_image must not be empty."
  }
}

variable "container_port" {
  description = "Port the container listens on."
  type        = number

  validation {
    condition     = var.container_port >= 1024 && var.container_port <= 65535 && floor(var.container_port) == var.container_port
    error_message = "container_port must be an integer from 1024 to 65535 (the container runs as a non-root user)."
  }
}

variable "cpu" {
  description = "Fargate CPU units of the task."
  type        = number

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.cpu)
    error_message = "cpu must be a Fargate CPU value: 256, 512, 1024, 2048, 4096, 8192 or 16384."
  }
}

variable "memory" {
  description = "Memory of the task in MiB; must fit the CPU value."
  type        = number

  validation {
    condition     = var.memory >= 512 && var.memory <= 122880 && floor(var.memory) == var.memory
    error_message = "memory must be an integer number of MiB from 512 to 122880."
  }
}

variable "cpu_architecture" {
  description = "CPU architecture of the task: X86_64 or ARM64 (must match the image)."
  type        = string
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture must be X86_64 or ARM64."
  }
}

variable "readonly_root_filesystem" {
  description = "Run the container with a read-only root filesystem (/tmp stays writable)."
  type        = bool
  default     = true
}

variable "environment" {
  description = "Plain environment variables of the container (never secrets: use secret_arns)."
  type        = map(string)
  default     = {}
}

variable "secret_arns" {
  description = "Secrets Manager ARNs by environment variable name; ECS injects their values at start."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for arn in values(var.secret_arns) : can(regex("^arn:aws[a-z-]*:secretsmanager:", arn))])
    error_message = "secret_arns values must be Secrets Manager ARNs."
  }
}

variable "health_check_path" {
  description = "HTTP path the target group probes."
  type        = string
  default     = "/healthz"

  validation {
    condition     = can(regex("^/[A-Za-z0-9._~/-]*$", var.health_check_path)) && length(var.health_check_path) <= 1024
    error_message = "health_check_path must be an absolute URL path."
  }
}

variable "health_check_command" {
  description = "Command the container runs to report its health (exec form, without \"CMD\"): ECS replaces a task whose check fails, and ignores a Dockerfile HEALTHCHECK."
  type        = list(string)

  validation {
    condition     = length(var.health_check_command) >= 1
    error_message = "health_check_command needs the command and its arguments."
  }
}

variable "health_check_start_period_seconds" {
  description = "Seconds a new container has to start before failing health checks count (ECS allows 0-300)."
  type        = number
  default     = 60

  validation {
    condition     = var.health_check_start_period_seconds >= 0 && var.health_check_start_period_seconds <= 300
    error_message = "health_check_start_period_seconds must be from 0 to 300."
  }
}

variable "health_check_grace_period_seconds" {
  description = "Seconds ECS ignores failing load balancer health checks after a task starts."
  type        = number
  default     = 60

  validation {
    condition     = var.health_check_grace_period_seconds >= 0 && var.health_check_grace_period_seconds <= 2147483647
    error_message = "health_check_grace_period_seconds must be 0 or more."
  }
}

variable "ecs_exec" {
  description = "Enable ECS Exec on the service: sessions are logged to the service's log group and encrypted with kms_key_arn, and the task role may open them. Off: no exec configuration and no permission."
  type        = bool
  default     = false
}

variable "fargate_spot" {
  description = "Run the service's tasks on Fargate Spot (a capacity provider strategy with FARGATE_SPOT): cheaper, but AWS may stop a task with two minutes' warning and does not replace Spot with on-demand capacity when Spot is short. Containers then get 120 seconds to stop."
  type        = bool
  default     = false
}

variable "on_demand_base" {
  description = "With fargate_spot: tasks always kept on on-demand Fargate (the rest split 1:1 between FARGATE and FARGATE_SPOT); 0 puts every task on Spot."
  type        = number
  default     = 0

  validation {
    condition     = var.on_demand_base >= 0 && floor(var.on_demand_base) == var.on_demand_base
    error_message = "on_demand_base must be a whole number, 0 or more."
  }
}

variable "auto_rollback" {
  description = "Roll back automatically when the deployment circuit breaker trips (R3)."
  type        = bool
  default     = true
}

variable "deployment_strategy" {
  description = "How ECS moves the service to a new revision: ROLLING, or BLUE_GREEN (a second target group, listener rules ECS moves, bake time; blue_green.tf)."
  type        = string
  default     = "ROLLING"

  validation {
    condition     = contains(["ROLLING", "BLUE_GREEN"], var.deployment_strategy)
    error_message = "deployment_strategy must be ROLLING or BLUE_GREEN."
  }
}

variable "bake_time_minutes" {
  description = "BLUE_GREEN only: minutes both revisions keep running after user traffic moved; an alarm in rollback_alarm_names rolls back during it."
  type        = number
  default     = 5

  validation {
    condition     = var.bake_time_minutes >= 0 && var.bake_time_minutes <= 1440 && floor(var.bake_time_minutes) == var.bake_time_minutes
    error_message = "bake_time_minutes must be an integer from 0 to 1440."
  }
}

variable "rollback_alarm_names" {
  description = "BLUE_GREEN only: CloudWatch alarms that fail a deployment (and roll it back with auto_rollback) when they go into ALARM. Watch the load balancer as a whole: the two target groups swap roles at every deployment."
  type        = list(string)
  default     = []
}

variable "alternate_target_group_name" {
  description = "BLUE_GREEN only: name of the second target group."
  type        = string
  default     = null

  validation {
    condition     = var.alternate_target_group_name == null || can(regex("^[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?$", var.alternate_target_group_name))
    error_message = "alternate_target_group_name must be at most 32 letters, digits or hyphens, not starting or ending with a hyphen."
  }
}

variable "load_balancer_role_name" {
  description = "BLUE_GREEN only: name of the role ECS assumes to move the listener rules."
  type        = string
  default     = null

  validation {
    condition     = var.load_balancer_role_name == null || can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.load_balancer_role_name))
    error_message = "load_balancer_role_name must be a valid IAM role name (1-64 characters)."
  }
}

variable "test_traffic_header" {
  description = "BLUE_GREEN only: requests with this header set to \"green\" reach the new revision while ECS tests it, before user traffic moves."
  type        = string
  default     = "X-Test-Traffic"

  validation {
    condition     = can(regex("^[A-Za-z0-9-]{1,40}$", var.test_traffic_header))
    error_message = "test_traffic_header must be an HTTP header name (letters, digits, hyphens; at most 40)."
  }
}

variable "log_group_name" {
  description = "Name of the CloudWatch log group of the containers."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_./#-]{1,512}$", var.log_group_name))
    error_message = "log_group_name must be 1-512 characters of letters, digits, _ . / # -."
  }
}

variable "log_retention_days" {
  description = "Days the container logs are kept."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, ... 3653)."
  }
}

variable "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the logs."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "execution_role_name" {
  description = "Name of the task execution role (image pull, logs, secrets)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.execution_role_name))
    error_message = "execution_role_name must be a valid IAM role name (1-64 characters)."
  }
}

variable "task_role_name" {
  description = "Name of the task role (the application's own AWS permissions)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.task_role_name))
    error_message = "task_role_name must be a valid IAM role name (1-64 characters)."
  }
}

variable "load_balancer_name" {
  description = "Name of the Application Load Balancer."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?$", var.load_balancer_name))
    error_message = "load_balancer_name must be at most 32 letters, digits or hyphens, not starting or ending with a hyphen."
  }
}

variable "target_group_name" {
  description = "Name of the load balancer's target group."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?$", var.target_group_name))
    error_message = "target_group_name must be at most 32 letters, digits or hyphens, not starting or ending with a hyphen."
  }
}

variable "certificate_arn" {
  description = "ACM certificate ARN. When set, a 443 listener serves HTTPS and port 80 redirects to it."
  type        = string
  default     = null

  validation {
    condition     = var.certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:", var.certificate_arn))
    error_message = "certificate_arn must be null or an ACM certificate ARN."
  }
}

variable "https" {
  description = "Serve HTTPS on 443 with certificate_arn and redirect port 80 to it; null: whether certificate_arn is set. Set it when the certificate is made in the same apply."
  type        = bool
  default     = null
}

variable "ssl_policy" {
  # AWS's recommendation for new HTTPS listeners: TLS 1.3 and 1.2 with hybrid
  # post-quantum key exchange ("Security policies for your Application Load
  # Balancer", Elastic Load Balancing User Guide).
  description = "TLS policy of the HTTPS listener."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"

  validation {
    condition     = startswith(var.ssl_policy, "ELBSecurityPolicy-")
    error_message = "ssl_policy must be an ELB security policy name."
  }
}

variable "deletion_protection" {
  description = "Protect the load balancer from deletion (turn off before destroying the stack)."
  type        = bool
  default     = true
}

variable "vpc_id" {
  description = "VPC of the target group."
  type        = string

  validation {
    condition     = startswith(var.vpc_id, "vpc-")
    error_message = "vpc_id must be a VPC ID (vpc-...)."
  }
}

variable "public_subnet_ids" {
  description = "Public subnets of the load balancer (at least two zones)."
  type        = list(string)

  validation {
    condition     = length(var.public_subnet_ids) >= 2
    error_message = "public_subnet_ids must hold at least two subnets."
  }
}

variable "task_subnet_ids" {
  description = "Subnets the tasks run in: the private ones, or the public ones when there is no NAT."
  type        = list(string)

  validation {
    condition     = length(var.task_subnet_ids) >= 1
    error_message = "task_subnet_ids must hold at least one subnet."
  }
}

variable "assign_public_ip" {
  description = "Give tasks a public IP. Only for public subnets without NAT (nat_mode none): the tasks need it to reach ECR."
  type        = bool
  default     = false
}

variable "alb_security_group_id" {
  description = "Security group of the load balancer."
  type        = string
}

variable "service_security_group_id" {
  description = "Security group of the tasks."
  type        = string
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
