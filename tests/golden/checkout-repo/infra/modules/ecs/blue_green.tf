# ECS blue/green deployments (deployment_strategy = "BLUE_GREEN"): what ECS needs
# beside the service to move traffic itself ("Required resources for Amazon ECS
# blue/green deployments" and "Application Load Balancer resources for blue/green
# deployments", Amazon ECS Developer Guide). Nothing here exists with ROLLING.
#
# - a second target group: the next revision starts there while the current one
#   keeps serving from the first; the two swap roles at every deployment;
# - listener rules on the listener that serves users (HTTPS with a
#   certificate, else HTTP): ECS shifts traffic by changing the weights of a
#   rule's forward action, never the listener's default action. The live rule
#   takes every request; the test rule takes only requests that carry the
#   header test_traffic_header = "green", so the new revision can be tried on
#   the service's address before user traffic moves to it. That listener must
#   only forward: ECS fails a blue/green deployment on a listener whose rules
#   mix forward with redirect or fixed-response actions (the HTTP to HTTPS
#   redirect sits on the other listener);
# - the role ECS assumes to change those rules, with the AWS managed policy
#   AmazonECSInfrastructureRolePolicyForLoadBalancers ("Amazon ECS infrastructure
#   IAM role for load balancers") and the stack's permissions boundary.
#
# ALB listener rules, target groups and listeners have no charge of their own
# (the load balancer's hours and LCUs are the bill).

locals {
  blue_green = var.deployment_strategy == "BLUE_GREEN"

  # The one listener that forwards users to the service.
  live_listener_arn = local.https ? aws_lb_listener.https[0].arn : aws_lb_listener.http_forward[0].arn
}

resource "aws_lb_target_group" "alternate" {
  #checkov:skip=CKV_AWS_378:TLS ends at the load balancer; traffic to the tasks stays inside the VPC.
  count = local.blue_green ? 1 : 0

  name                 = var.alternate_target_group_name
  target_type          = "ip"
  protocol             = "HTTP"
  port                 = var.container_port
  vpc_id               = var.vpc_id
  deregistration_delay = 30

  # The same check as the first target group: either may serve users.
  health_check {
    enabled             = true
    path                = var.health_check_path
    protocol            = "HTTP"
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

# ECS owns the weights once it deploys (it moves them between the two target
# groups at each deployment): Terraform sets them once and then leaves them,
# or an apply would send traffic back to a target group with no task.
resource "aws_lb_listener_rule" "live" {
  count = local.blue_green ? 1 : 0

  listener_arn = local.live_listener_arn
  priority     = 1000

  action {
    type = "forward"

    forward {
      target_group {
        arn    = aws_lb_target_group.this.arn
        weight = 100
      }

      target_group {
        arn    = aws_lb_target_group.alternate[0].arn
        weight = 0
      }
    }
  }

  condition {
    path_pattern {
      values = ["/*"]
    }
  }

  lifecycle {
    ignore_changes = [action]
  }

  tags = var.tags
}

resource "aws_lb_listener_rule" "test" {
  count = local.blue_green ? 1 : 0

  listener_arn = local.live_listener_arn
  priority     = 10

  action {
    type = "forward"

    forward {
      target_group {
        arn    = aws_lb_target_group.this.arn
        weight = 100
      }

      target_group {
        arn    = aws_lb_target_group.alternate[0].arn
        weight = 0
      }
    }
  }

  condition {
    http_header {
      http_header_name = var.test_traffic_header
      values           = ["green"]
    }
  }

  lifecycle {
    ignore_changes = [action]
  }

  tags = var.tags
}

data "aws_iam_policy_document" "ecs_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "load_balancers" {
  count = local.blue_green ? 1 : 0

  permissions_boundary = var.permissions_boundary_arn

  name               = var.load_balancer_role_name
  assume_role_policy = data.aws_iam_policy_document.ecs_assume.json

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "load_balancers" {
  count = local.blue_green ? 1 : 0

  role       = aws_iam_role.load_balancers[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers"
}
