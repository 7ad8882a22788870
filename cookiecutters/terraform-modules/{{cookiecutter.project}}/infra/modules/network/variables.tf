variable "name" {
  description = "Name of the stack (<project>-<environment>); prefixes every resource name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be a lower-case slug of 2 to 41 characters."
  }
}

variable "vpc_cidr" {
  description = "IPv4 block of the VPC."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && can(regex("/(1[6-9]|2[0-8])$", var.vpc_cidr))
    error_message = "vpc_cidr must be an IPv4 CIDR block from /16 to /28."
  }
}

variable "public_subnet_cidrs" {
  description = "One public subnet block per availability zone, inside vpc_cidr."
  type        = list(string)

  validation {
    condition     = length(var.public_subnet_cidrs) >= 2 && length(var.public_subnet_cidrs) <= 6 && alltrue([for c in var.public_subnet_cidrs : can(cidrhost(c, 0))])
    error_message = "public_subnet_cidrs must hold 2 to 6 IPv4 CIDR blocks."
  }
}

variable "private_subnet_cidrs" {
  description = "One private subnet block per availability zone, inside vpc_cidr; as many as public_subnet_cidrs."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_cidrs) >= 2 && length(var.private_subnet_cidrs) <= 6 && alltrue([for c in var.private_subnet_cidrs : can(cidrhost(c, 0))])
    error_message = "private_subnet_cidrs must hold 2 to 6 IPv4 CIDR blocks."
  }
}

variable "nat_mode" {
  description = "NAT gateways: none (tasks need public subnets and public IPs), single (one for all zones) or per_az (one per zone)."
  type        = string
  default     = "single"

  validation {
    condition     = contains(["none", "single", "per_az"], var.nat_mode)
    error_message = "nat_mode must be none, single or per_az."
  }
}

variable "service_port" {
  description = "Container port the load balancer forwards to."
  type        = number

  validation {
    condition     = var.service_port >= 1024 && var.service_port <= 65535 && floor(var.service_port) == var.service_port
    error_message = "service_port must be an integer from 1024 to 65535."
  }
}

variable "service_egress" {
  description = "Outbound TCP rules of the service's tasks: port and IPv4 CIDR block (description optional)."
  type = list(object({
    port        = number
    cidr        = string
    description = optional(string, "")
  }))
  default = [{ port = 443, cidr = "0.0.0.0/0", description = "HTTPS to AWS APIs and the internet" }]

  validation {
    condition     = length(var.service_egress) > 0 && alltrue([for r in var.service_egress : r.port >= 1 && r.port <= 65535 && can(cidrhost(r.cidr, 0))])
    error_message = "service_egress must hold rules with a port from 1 to 65535 and an IPv4 CIDR block."
  }
}

variable "alb_ingress_cidrs" {
  description = "IPv4 blocks allowed to reach the load balancer on ports 80 and 443."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = length(var.alb_ingress_cidrs) > 0 && alltrue([for c in var.alb_ingress_cidrs : can(cidrhost(c, 0))])
    error_message = "alb_ingress_cidrs must hold at least one IPv4 CIDR block."
  }
}

variable "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the flow log group."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "log_retention_days" {
  description = "Days the flow logs are kept."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, ... 3653)."
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
