module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.8"

  name            = "api"
  cidr            = "10.1.0.0/16"
  azs             = ["eu-west-1a", "eu-west-1b"]
  public_subnets  = ["10.1.0.0/24", "10.1.1.0/24"]
  private_subnets = ["10.1.10.0/24", "10.1.11.0/24"]

  enable_nat_gateway = true
  single_nat_gateway = true
}

module "ecr" {
  source  = "terraform-aws-modules/ecr/aws"
  version = "~> 2.2"

  repository_name = "api"
}

module "cluster" {
  source  = "terraform-aws-modules/ecs/aws//modules/cluster"
  version = "~> 5.11"

  cluster_name = "api"
}

module "alb" {
  source  = "terraform-aws-modules/alb/aws"
  version = "~> 9.9"

  name    = "api"
  vpc_id  = module.vpc.vpc_id
  subnets = module.vpc.public_subnets

  target_groups = {
    api = {
      protocol    = "HTTP"
      port        = 8080
      target_type = "ip"
      health_check = {
        path    = "/healthz"
        matcher = "200"
      }
    }
  }
}

module "cpu_alarm" {
  source  = "terraform-aws-modules/cloudwatch/aws//modules/metric-alarm"
  version = "~> 5.0"

  alarm_name          = "api-cpu"
  namespace           = "AWS/ECS"
  metric_name         = "CPUUtilization"
  threshold           = 70
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 2
  period              = 60
  statistic           = "Average"
}

resource "aws_ssm_parameter" "database_url" {
  name  = "/api/DATABASE_URL"
  type  = "SecureString"
  value = "change-me"
}

resource "aws_ecs_task_definition" "api" {
  family                   = "api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  container_definitions = jsonencode([{
    name  = "api"
    image = "${module.ecr.repository_url}:bootstrap"
    secrets = [
      { name = "DATABASE_URL", valueFrom = aws_ssm_parameter.database_url.arn }
    ]
  }])
}

resource "aws_ecs_service" "api" {
  name            = "api"
  cluster         = module.cluster.arn
  task_definition = aws_ecs_task_definition.api.arn
  launch_type     = "FARGATE"
  desired_count   = 2

  deployment_controller {
    type = "CODE_DEPLOY"
  }
}

resource "aws_codedeploy_deployment_group" "api" {
  app_name               = "api"
  deployment_group_name  = "api"
  service_role_arn       = "arn:aws:iam::123456789012:role/codedeploy"
  deployment_config_name = "CodeDeployDefault.ECSAllAtOnce"

  auto_rollback_configuration {
    enabled = true
    events  = ["DEPLOYMENT_FAILURE"]
  }
}
