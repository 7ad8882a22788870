variable "cluster_name" {
  description = "ECS cluster of the watched service."
  type        = string
}

variable "service_name" {
  description = "ECS service watched."
  type        = string
}

variable "load_balancer_arn_suffix" {
  description = "ARN suffix of the service's load balancer (CloudWatch dimension)."
  type        = string
}

variable "target_group_arn_suffix" {
  description = "ARN suffix of the service's target group (CloudWatch dimension)."
  type        = string
}

variable "cpu_alarm_name" {
  description = "Name of the CPU alarm."
  type        = string

  validation {
    condition     = length(var.cpu_alarm_name) >= 1 && length(var.cpu_alarm_name) <= 255
    error_message = "cpu_alarm_name must be 1-255 characters."
  }
}

variable "http_5xx_alarm_name" {
  description = "Name of the 5xx alarm."
  type        = string

  validation {
    condition     = length(var.http_5xx_alarm_name) >= 1 && length(var.http_5xx_alarm_name) <= 255
    error_message = "http_5xx_alarm_name must be 1-255 characters."
  }
}

variable "cpu_alarm_percent" {
  description = "Alarm when the service's average CPU stays above this percentage for 3 minutes."
  type        = number
  default     = 80

  validation {
    condition     = var.cpu_alarm_percent >= 1 && var.cpu_alarm_percent <= 100
    error_message = "cpu_alarm_percent must be from 1 to 100."
  }
}

variable "http_5xx_alarm_count" {
  description = "Alarm when the targets answer more than this many 5xx in a minute."
  type        = number
  default     = 5

  validation {
    condition     = var.http_5xx_alarm_count >= 1 && floor(var.http_5xx_alarm_count) == var.http_5xx_alarm_count
    error_message = "http_5xx_alarm_count must be a positive integer."
  }
}

variable "sns_topic_name" {
  description = "Name of the SNS topic alarms are sent to."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,256}$", var.sns_topic_name))
    error_message = "sns_topic_name must be 1-256 letters, digits, hyphens or underscores."
  }
}

variable "notify_emails" {
  description = "E-mail addresses subscribed to the alarm topic."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.notify_emails : can(regex("^[^@[:space:]]+@[^@[:space:]]+\\.[A-Za-z]{2,}$", e))])
    error_message = "notify_emails must hold e-mail addresses."
  }
}

variable "memory_alarm_percent" {
  description = "Alarm when the service's average memory stays above this percentage for 3 minutes."
  type        = number
  default     = 80

  validation {
    condition     = var.memory_alarm_percent >= 1 && var.memory_alarm_percent <= 100
    error_message = "memory_alarm_percent must be from 1 to 100."
  }
}

variable "lb_5xx_alarm_count" {
  description = "Alarm when the load balancer itself answers more than this many 5xx (502/503/504) in a minute."
  type        = number
  default     = 5

  validation {
    condition     = var.lb_5xx_alarm_count >= 0 && floor(var.lb_5xx_alarm_count) == var.lb_5xx_alarm_count
    error_message = "lb_5xx_alarm_count must be a whole number, 0 or more."
  }
}

variable "unhealthy_targets_alarm_count" {
  description = "Alarm when more targets than this stay unhealthy for 3 minutes (0: any unhealthy target)."
  type        = number
  default     = 0

  validation {
    condition     = var.unhealthy_targets_alarm_count >= 0 && floor(var.unhealthy_targets_alarm_count) == var.unhealthy_targets_alarm_count
    error_message = "unhealthy_targets_alarm_count must be a whole number, 0 or more."
  }
}

variable "desired_count" {
  description = "Tasks the service keeps running; fewer for 5 minutes raises the running-tasks alarm."
  type        = number
  default     = 1

  validation {
    condition     = var.desired_count >= 1 && floor(var.desired_count) == var.desired_count
    error_message = "desired_count must be a whole number, 1 or more."
  }
}

variable "notify_topic_arns" {
  description = "Existing SNS topics that also receive every alarm and recovery (e.g. an on-call tool's topic)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for t in var.notify_topic_arns : can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", t))])
    error_message = "notify_topic_arns must hold SNS topic ARNs."
  }
}

variable "slack_channel" {
  description = "Slack channel that receives the alarm topic through Amazon Q Developer in chat applications: the workspace (team) id authorized in its console and the channel id; null for none."
  type = object({
    team_id    = string
    channel_id = string
  })
  default = null

  validation {
    condition     = var.slack_channel == null ? true : can(regex("^[A-Z0-9]{1,255}$", var.slack_channel.team_id)) && can(regex("^[A-Za-z0-9]{1,255}$", var.slack_channel.channel_id))
    error_message = "slack_channel needs the workspace (team) id and the channel id: letters and digits, as Slack shows them."
  }
}

variable "create_dashboard" {
  description = "Create a CloudWatch dashboard of the service."
  type        = bool
  default     = true
}

variable "dashboard_name" {
  description = "Name of the CloudWatch dashboard."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,255}$", var.dashboard_name))
    error_message = "dashboard_name must be 1-255 letters, digits, hyphens or underscores."
  }
}

variable "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the SNS topic (CloudWatch must be allowed to use it)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
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

variable "deployment_strategy" {
  description = "The service's deployment strategy: ROLLING, or BLUE_GREEN, where the target alarms watch both target groups (alternate_target_group_arn_suffix)."
  type        = string
  default     = "ROLLING"

  validation {
    condition     = contains(["ROLLING", "BLUE_GREEN"], var.deployment_strategy)
    error_message = "deployment_strategy must be ROLLING or BLUE_GREEN."
  }
}

variable "alternate_target_group_arn_suffix" {
  description = "BLUE_GREEN only: ARN suffix of the service's second target group."
  type        = string
  default     = null
}

variable "lb_5xx_alarm_name" {
  description = "Name of the alarm on the load balancer's own 5xx; default: <sns_topic_name>-lb-5xx. A blue/green service rolls back on it."
  type        = string
  default     = null
}
