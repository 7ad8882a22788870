locals {
  defaults = {
    health_path = "/"
    rollback    = false
  }
  settings = merge(local.defaults, var.overrides)
}

variable "overrides" {
  type = map(any)
  default = {
    health_path = "/status"
    rollback    = true
  }
}

variable "services" {
  type = any
  default = {
    api    = { port = 8080, health = "/api/health" }
    worker = { port = 9090 }
  }
}

variable "repository" {
  type = map(string)
  default = {
    mutability = "IMMUTABLE"
  }
}

resource "aws_ecr_repository" "this" {
  name                 = "shop"
  image_tag_mutability = lookup(var.repository, "mutability", "MUTABLE")

  image_scanning_configuration {
    scan_on_push = try(var.repository.scan, true)
  }
}

resource "aws_lb_target_group" "svc" {
  for_each    = var.services
  name        = each.key
  port        = each.value.port
  target_type = "ip"

  health_check {
    path = try(each.value.health, local.settings.health_path)
  }
}

resource "aws_ecs_service" "svc" {
  for_each    = var.services
  name        = each.key
  launch_type = "FARGATE"

  deployment_circuit_breaker {
    enable   = true
    rollback = local.settings.rollback
  }
}
