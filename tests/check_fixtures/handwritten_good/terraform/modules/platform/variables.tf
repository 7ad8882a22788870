variable "name" {
  type = string
}

variable "tag_mode" {
  type    = string
  default = "MUTABLE"
}

variable "health_path" {
  type    = string
  default = "/"
}

variable "az_count" {
  type    = number
  default = 2
}

variable "monthly_budget" {
  type = number
}

variable "rollback_on_failure" {
  type    = bool
  default = true
}

variable "domain_name" {
  type = string
}

variable "zone_id" {
  type = string
}
