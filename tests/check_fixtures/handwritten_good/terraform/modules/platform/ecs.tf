resource "aws_ecr_repository" "app" {
  name                 = var.name
  image_tag_mutability = var.tag_mode

  image_scanning_configuration {
    scan_on_push = true
  }
}

resource "aws_ecs_cluster" "this" {
  name = var.name
}

resource "aws_ecs_task_definition" "app" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  container_definitions = jsonencode([{
    name  = "app"
    image = "${aws_ecr_repository.app.repository_url}:latest"
    environment = [
      { name = "LOG_LEVEL", value = "info" }
    ]
    secrets = [
      { name = "DATABASE_URL", valueFrom = aws_secretsmanager_secret.db.arn }
    ]
    # ECS runs this check; the Dockerfile's HEALTHCHECK only runs under docker run.
    healthCheck = {
      command     = ["CMD", "python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8080/healthz')"]
      interval    = 30
      startPeriod = 20
    }
  }])
}

resource "aws_secretsmanager_secret" "db" {
  name = "${var.name}/DATABASE_URL"
}

resource "aws_ecs_service" "app" {
  name            = var.name
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = 2
  launch_type     = "FARGATE"

  deployment_circuit_breaker {
    enable   = true
    rollback = var.rollback_on_failure
  }

  lifecycle {
    ignore_changes = [task_definition]
  }
}

resource "aws_lb" "app" {
  name               = var.name
  load_balancer_type = "application"
}

resource "aws_lb_target_group" "app" {
  name        = var.name
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = aws_vpc.main.id

  health_check {
    path    = var.health_path
    matcher = "200"
  }
}
