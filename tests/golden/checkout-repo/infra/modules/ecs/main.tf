# ECS cluster, the service's task definition and its Fargate service behind an
# Application Load Balancer. CI registers new task definition revisions (new
# image tags) and points the service at them; Terraform ignores that change.

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  # Known while planning even when the certificate is validated in the same
  # apply (its ARN is not): the listeners' count depends on it.
  https = var.https != null ? var.https : var.certificate_arn != null
}

resource "aws_ecs_cluster" "this" {
  name = var.cluster_name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }

  # ECS Exec sessions, when var.ecs_exec allows them: logged to the service's
  # log group and encrypted with the stack's key.
  dynamic "configuration" {
    for_each = var.ecs_exec ? [1] : []

    content {
      execute_command_configuration {
        kms_key_id = var.kms_key_arn
        logging    = "OVERRIDE"

        log_configuration {
          cloud_watch_encryption_enabled = true
          cloud_watch_log_group_name     = aws_cloudwatch_log_group.this.name
        }
      }
    }
  }

  tags = var.tags
}

# Both Fargate capacity providers belong to the cluster, so the service's strategy
# can move between on-demand and Spot; anything run without a strategy (a one-off
# aws ecs run-task) lands on on-demand Fargate.
resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
  }
}

resource "aws_cloudwatch_log_group" "this" {
  name              = var.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn

  tags = var.tags
}

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

# Execution role: used by ECS to pull the image, write logs and read the
# service's secrets (the secrets module grants that read to this role only).
resource "aws_iam_role" "execution" {
  permissions_boundary = var.permissions_boundary_arn

  name               = var.execution_role_name
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

# Task role: what the application itself may do in AWS. Empty to start with.
resource "aws_iam_role" "task" {
  permissions_boundary = var.permissions_boundary_arn

  name               = var.task_role_name
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json

  tags = var.tags
}

# What ECS Exec needs from the task role, only when var.ecs_exec is on: the
# SSM session channels, the key that encrypts them and the session log ("ECS
# Exec permissions", Amazon ECS task IAM role, Amazon ECS Developer Guide).
data "aws_iam_policy_document" "ecs_exec" {
  count = var.ecs_exec ? 1 : 0

  statement {
    sid = "SessionChannels"
    actions = [
      "ssmmessages:CreateControlChannel",
      "ssmmessages:CreateDataChannel",
      "ssmmessages:OpenControlChannel",
      "ssmmessages:OpenDataChannel",
    ]
    # These actions take no resource ARN.
    resources = ["*"]
  }

  statement {
    sid       = "SessionEncryption"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]
  }

  statement {
    sid       = "SessionLogGroups"
    actions   = ["logs:DescribeLogGroups"]
    resources = ["*"]
  }

  statement {
    sid       = "SessionLog"
    actions   = ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }
}

resource "aws_iam_role_policy" "ecs_exec" {
  count = var.ecs_exec ? 1 : 0

  name   = "ecs-exec"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.ecs_exec[0].json
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.task_family
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = tostring(var.cpu)
  memory                   = tostring(var.memory)
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  # The root filesystem is read-only; /tmp is a writable scratch volume.
  volume {
    name = "tmp"
  }

  container_definitions = jsonencode([
    {
      name                   = var.container_name
      image                  = var.container_image
      essential              = true
      readonlyRootFilesystem = var.readonly_root_filesystem
      portMappings = [
        {
          containerPort = var.container_port
          protocol      = "tcp"
        },
      ]
      mountPoints = [
        {
          sourceVolume  = "tmp"
          containerPath = "/tmp"
          readOnly      = false
        },
      ]
      environment = [for name, value in var.environment : { name = name, value = value }]
      secrets     = [for name, arn in var.secret_arns : { name = name, valueFrom = arn }]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.this.name
          awslogs-region        = data.aws_region.current.region
          awslogs-stream-prefix = var.container_name
        }
      }
      linuxParameters = {
        initProcessEnabled = true
      }
      # ECS runs only this check, not the image's Dockerfile HEALTHCHECK, and
      # replaces a task that turns unhealthy ("Determine Amazon ECS task health
      # using container health checks", Amazon ECS Developer Guide). The load
      # balancer checks the same path from outside.
      healthCheck = {
        command     = concat(["CMD"], var.health_check_command)
        interval    = 30
        timeout     = 5
        retries     = 3
        startPeriod = var.health_check_start_period_seconds
      }
      # Seconds between SIGTERM and SIGKILL when a task stops. Fargate Spot warns
      # two minutes before it reclaims a task, by SIGTERM: on Spot the container
      # gets all 120 (the most ECS allows) to finish its requests; on demand, 30
      # is ECS's own default ("How do I handle Spot termination notices in AWS
      # Fargate Spot tasks?", AWS re:Post Knowledge Center).
      stopTimeout = var.fargate_spot ? 120 : 30
    },
  ])

  tags = var.tags
}

resource "aws_lb" "this" {
  #checkov:skip=CKV_AWS_91:Access logs need an S3 bucket with its own policy and lifecycle; add one when the service needs request-level audit.
  #checkov:skip=CKV2_AWS_28:No WAF in a starter stack (it costs per rule and request); put a web ACL in front when the service is public.
  #checkov:skip=CKV2_AWS_20:Port 80 forwards until certificate_arn is set; setting it turns port 80 into a redirect to HTTPS.
  name                       = var.load_balancer_name
  load_balancer_type         = "application"
  internal                   = false
  security_groups            = [var.alb_security_group_id]
  subnets                    = var.public_subnet_ids
  drop_invalid_header_fields = true
  enable_deletion_protection = var.deletion_protection

  tags = var.tags
}

# The name carries the port (see infraplan's naming): a new port is a new
# target group, created before the old one is destroyed, so the listener and
# the service move to it in one apply.
resource "aws_lb_target_group" "this" {
  #checkov:skip=CKV_AWS_378:TLS ends at the load balancer; traffic to the tasks stays inside the VPC.
  name                 = var.target_group_name
  target_type          = "ip"
  protocol             = "HTTP"
  port                 = var.container_port
  vpc_id               = var.vpc_id
  deregistration_delay = 30

  health_check {
    enabled  = true
    path     = var.health_check_path
    protocol = "HTTP"
    # Only a 2xx is healthy: a redirect (3xx) is not what users of the health
    # path get, so it must not count as a working service.
    matcher             = "200-299"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  lifecycle {
    create_before_destroy = true
  }

  tags = var.tags
}

# Without a certificate the HTTP listener forwards to the service; with one,
# it redirects to HTTPS and the HTTPS listener forwards.
resource "aws_lb_listener" "http_forward" {
  #checkov:skip=CKV_AWS_2:Plain HTTP only until certificate_arn is set; setting it turns this listener into a redirect to HTTPS.
  #checkov:skip=CKV_AWS_103:Plain HTTP only until certificate_arn is set; the HTTPS listener then uses a TLS 1.2+ policy.
  count = local.https ? 0 : 1

  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }

  tags = var.tags
}

resource "aws_lb_listener" "http_redirect" {
  count = local.https ? 1 : 0

  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }

  tags = var.tags
}

resource "aws_lb_listener" "https" {
  count = local.https ? 1 : 0

  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = var.ssl_policy
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }

  tags = var.tags
}

resource "aws_ecs_service" "this" {
  name            = var.service_name
  cluster         = aws_ecs_cluster.this.arn
  task_definition = aws_ecs_task_definition.this.arn
  # No image exists before CI's first push: the service starts with no task
  # (no crash loop, no 503s from failing tasks) and the deploy workflow sets
  # the running count with the first image (desired-count of
  # aws-actions/amazon-ecs-deploy-task-definition).
  desired_count    = 0
  launch_type      = var.fargate_spot ? null : "FARGATE"
  platform_version = "LATEST"
  # Turning Spot on or off (launch type <-> strategy) replaces the service, which
  # then starts with no task until the next deploy. Between strategies (an
  # on-demand base added or removed) the AWS provider updates in place only with
  # force_new_deployment ("capacity_provider_strategy", aws_ecs_service).
  force_new_deployment = var.fargate_spot

  # Fargate Spot goes through a capacity provider strategy, which conflicts with
  # launch_type: every task on FARGATE_SPOT, or with on_demand_base that many on
  # FARGATE and the rest split 1:1 (a provider of weight 0 places no task:
  # "Amazon ECS clusters for Fargate", Amazon ECS Developer Guide).
  dynamic "capacity_provider_strategy" {
    for_each = var.fargate_spot && var.on_demand_base > 0 ? [1] : []

    content {
      capacity_provider = "FARGATE"
      base              = var.on_demand_base
      weight            = 1
    }
  }

  dynamic "capacity_provider_strategy" {
    for_each = var.fargate_spot ? [1] : []

    content {
      capacity_provider = "FARGATE_SPOT"
      base              = 0
      weight            = 1
    }
  }

  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = var.health_check_grace_period_seconds
  enable_ecs_managed_tags            = true
  propagate_tags                     = "SERVICE"
  enable_execute_command             = var.ecs_exec

  network_configuration {
    subnets          = var.task_subnet_ids
    security_groups  = [var.service_security_group_id]
    assign_public_ip = var.assign_public_ip
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.this.arn
    container_name   = var.container_name
    container_port   = var.container_port

    # Blue/green: the second target group, the rules ECS moves and the role it
    # moves them with (blue_green.tf).
    dynamic "advanced_configuration" {
      for_each = local.blue_green ? [1] : []

      content {
        alternate_target_group_arn = aws_lb_target_group.alternate[0].arn
        production_listener_rule   = aws_lb_listener_rule.live[0].arn
        test_listener_rule         = aws_lb_listener_rule.test[0].arn
        role_arn                   = aws_iam_role.load_balancers[0].arn
      }
    }
  }

  # ROLLING replaces tasks a few at a time; BLUE_GREEN starts the whole new
  # revision beside the old one, moves all traffic to it, and keeps the old
  # one for the bake time ("Amazon ECS blue/green deployments").
  deployment_configuration {
    strategy             = var.deployment_strategy
    bake_time_in_minutes = local.blue_green ? var.bake_time_minutes : null
  }

  # A deployment whose tasks do not become healthy stops, and rolls back (R3).
  # ECS applies it to rolling and blue/green deployments alike ("Amazon ECS
  # deployment failure detection").
  deployment_circuit_breaker {
    enable   = true
    rollback = var.auto_rollback
  }

  # Blue/green: an alarm in ALARM while the deployment runs, bake time
  # included, fails it and sends traffic back to the old revision.
  dynamic "alarms" {
    for_each = local.blue_green && length(var.rollback_alarm_names) > 0 ? [1] : []

    content {
      enable      = true
      rollback    = var.auto_rollback
      alarm_names = var.rollback_alarm_names
    }
  }

  # CI owns the task definition revision (it registers a new one per image)
  # and the running count (it deploys with the environment's desired count).
  lifecycle {
    ignore_changes = [task_definition, desired_count]
  }

  tags = var.tags

  depends_on = [
    aws_lb_listener.http_forward,
    aws_lb_listener.https,
    aws_lb_listener_rule.live,
    aws_lb_listener_rule.test,
    aws_iam_role_policy_attachment.load_balancers,
    aws_ecs_cluster_capacity_providers.this,
  ]
}
