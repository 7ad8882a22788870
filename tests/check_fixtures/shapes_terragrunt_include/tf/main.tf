variable "name" {
  type = string
}

variable "cluster_name" {
  type = string
}

variable "health_check_path" {
  type = string
}

resource "aws_lb_target_group" "app" {
  name        = var.name
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"

  health_check {
    path = var.health_check_path
  }
}

resource "aws_ecs_service" "app" {
  name        = var.name
  cluster     = var.cluster_name
  launch_type = "FARGATE"
}

terraform {
  backend "s3" {}
}
