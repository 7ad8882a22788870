variable "secret_names" {
  description = "Names of the secrets, as the service's environment variables (e.g. DATABASE_URL). Never values."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for n in var.secret_names : can(regex("^[A-Za-z_][A-Za-z0-9_]*$", n))])
    error_message = "secret_names must hold names (letters, digits and _, not starting with a digit), never values."
  }
}

variable "name_prefix" {
  description = "Prefix of every secret's name in Secrets Manager (<project>/<environment>/)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9/_+=.@-]*$", var.name_prefix))
    error_message = "name_prefix may hold letters, digits and / _ + = . @ - only."
  }
}

variable "execution_role_name" {
  description = "Name of the ECS task execution role: the only role granted read access."
  type        = string
}

variable "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the secrets."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "recovery_window_in_days" {
  description = "Days a deleted secret can still be restored (0 deletes at once)."
  type        = number
  default     = 7

  validation {
    condition     = var.recovery_window_in_days == 0 || (var.recovery_window_in_days >= 7 && var.recovery_window_in_days <= 30)
    error_message = "recovery_window_in_days must be 0 or from 7 to 30."
  }
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default tags)."
  type        = map(string)
  default     = {}
}
