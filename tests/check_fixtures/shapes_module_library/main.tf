# Thin wrappers from the team's own module library, one per resource, their inputs
# named for the resource's arguments; the values come from environments/<env>/*.tfvars
# (terraform plan -var-file=environments/stage/ecr.tfvars ...).
variable "repositories" {
  type    = any
  default = {}
}

variable "target_groups" {
  type = any
}

module "vpc" {
  source     = "git::https://github.com/acme/tf-modules.git//vpc?ref=v1.2.0"
  cidr_block = "10.0.0.0/16"
}

module "ecr_repository" {
  for_each = var.repositories
  source   = "git::https://github.com/acme/tf-modules.git//ecr_repository?ref=v1.2.0"

  name                         = each.key
  image_tag_mutability         = each.value.mutability
  image_scanning_configuration = { scan_on_push = each.value.scan }
}

module "target_group" {
  for_each = var.target_groups
  source   = "git::https://github.com/acme/tf-modules.git//lb_target_group?ref=v1.2.0"

  name = each.key
  health_check = {
    path = each.value.health_check_path != null ? each.value.health_check_path : "/health"
  }
}
