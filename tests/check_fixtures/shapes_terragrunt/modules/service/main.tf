resource "aws_ecs_cluster" "this" {
  name = var.name
}

resource "aws_ecs_service" "this" {
  name        = var.name
  cluster     = aws_ecs_cluster.this.id
  launch_type = var.launch_type

  deployment_circuit_breaker {
    enable   = true
    rollback = var.rollback
  }
}

resource "aws_lb_target_group" "this" {
  name        = var.name
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"

  health_check {
    path = var.health_check_path
  }
}
