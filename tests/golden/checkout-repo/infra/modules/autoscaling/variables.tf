variable "name" {
  description = "Prefix of the scaling policies' names (the stack's name)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,200}$", var.name))
    error_message = "name must be 1-200 letters, digits, hyphens or underscores."
  }
}

variable "cluster_name" {
  description = "ECS cluster of the service."
  type        = string
}

variable "service_name" {
  description = "ECS service whose task count scales."
  type        = string
}

variable "min_capacity" {
  description = "Fewest tasks once the first image runs; the deploy workflow sets it on the scalable target (registered at 0 until then)."
  type        = number

  validation {
    condition     = var.min_capacity >= 1 && floor(var.min_capacity) == var.min_capacity
    error_message = "min_capacity must be a whole number, 1 or more."
  }
}

variable "max_capacity" {
  description = "Most tasks scaling may run: the cost ceiling."
  type        = number

  validation {
    condition     = var.max_capacity >= var.min_capacity && floor(var.max_capacity) == var.max_capacity
    error_message = "max_capacity must be a whole number, at least min_capacity."
  }
}

variable "cpu_target_percent" {
  description = "Average CPU utilisation of the service the task count tracks."
  type        = number
  default     = 70

  validation {
    condition     = var.cpu_target_percent > 0 && var.cpu_target_percent <= 100
    error_message = "cpu_target_percent must be above 0 and at most 100."
  }
}

variable "requests_per_target" {
  description = "Load balancer requests per task per minute the task count also tracks; null for CPU only."
  type        = number
  default     = null

  validation {
    condition     = var.requests_per_target == null || try(var.requests_per_target > 0, false)
    error_message = "requests_per_target must be null or above 0."
  }
}

variable "load_balancer_arn_suffix" {
  description = "ARN suffix of the load balancer (app/<name>/<id>), for requests per target."
  type        = string
}

variable "target_group_arn_suffix" {
  description = "ARN suffix of the service's target group (targetgroup/<name>/<id>), for requests per target."
  type        = string
}

variable "scale_in_cooldown_seconds" {
  description = "Seconds between two scale-in steps."
  type        = number
  default     = 300

  validation {
    condition     = var.scale_in_cooldown_seconds >= 0
    error_message = "scale_in_cooldown_seconds must be 0 or more."
  }
}

variable "scale_out_cooldown_seconds" {
  description = "Seconds between two scale-out steps."
  type        = number
  default     = 60

  validation {
    condition     = var.scale_out_cooldown_seconds >= 0
    error_message = "scale_out_cooldown_seconds must be 0 or more."
  }
}

variable "tags" {
  description = "Tags added to the scalable target (on top of the provider's default tags)."
  type        = map(string)
  default     = {}
}
