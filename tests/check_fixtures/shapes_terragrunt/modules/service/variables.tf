variable "name" {
  type = string
}

variable "launch_type" {
  type = string
}

variable "health_check_path" {
  type = string
}

variable "rollback" {
  type = bool
}
