{% if cookiecutter._https.domain %}
variable "domain_name" {
  description = "The name the service answers at (e.g. api.example.com), in the hosted zone."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$", var.domain_name)) && length(var.domain_name) <= 253
    error_message = "domain_name must be a lower-case DNS name without a trailing dot, e.g. api.example.com."
  }
}

variable "hosted_zone_id" {
  description = "Id of the existing public hosted zone that holds the records (Z...); null to find it by hosted_zone_name."
  type        = string
  default     = null

  validation {
    condition     = var.hosted_zone_id == null || can(regex("^Z[A-Z0-9]+$", var.hosted_zone_id))
    error_message = "hosted_zone_id must be null or a Route 53 hosted zone id (Z...)."
  }
}

variable "hosted_zone_name" {
  description = "Name of the existing public hosted zone (e.g. example.com), when hosted_zone_id is null."
  type        = string
  default     = null

  validation {
    condition     = var.hosted_zone_name == null || can(regex("^[a-z0-9.-]+$", var.hosted_zone_name))
    error_message = "hosted_zone_name must be null or a lower-case zone name without a trailing dot."
  }
}

variable "certificate_arn" {
  description = "An ACM certificate made elsewhere that covers domain_name; null requests one validated by DNS."
  type        = string
  default     = null

  validation {
    condition     = var.certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:", var.certificate_arn))
    error_message = "certificate_arn must be null or an ACM certificate ARN."
  }
}

variable "load_balancer_dns_name" {
  description = "DNS name of the load balancer the alias record points at."
  type        = string
}

variable "load_balancer_zone_id" {
  description = "Canonical hosted zone id of the load balancer (aws_lb.zone_id)."
  type        = string
}

variable "tags" {
  description = "Tags added to the certificate (on top of the provider's default tags)."
  type        = map(string)
  default     = {}
}
{% endif %}
