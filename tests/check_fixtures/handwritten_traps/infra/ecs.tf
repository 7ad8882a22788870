resource "aws_ecs_cluster" "main" {
  name = "shop"
}

resource "aws_ecs_task_definition" "shop" {
  family                   = "shop"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  container_definitions = jsonencode([
    {
      name  = "shop"
      image = "acme/shop:latest"
      environment = [
        { name = "PORT", value = "8080" },
        { name = "DATABASE_URL", value = "postgres://shop:hunter2@db:5432/shop" },
      ]
    }
  ])
}

resource "aws_ecs_service" "shop" {
  name            = "shop"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.shop.arn
  launch_type     = "FARGATE"
  desired_count   = 2

  # auto-rollback on failed deployments
  deployment_circuit_breaker {
    enable   = true
    rollback = false
  }
}

resource "aws_lb_target_group" "shop" {
  name        = "shop"
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = data.aws_vpc.shared.id
}
