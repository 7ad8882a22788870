# Target tracking of the service's task count with Application Auto Scaling:
# the count follows the service's average CPU (and, when requests_per_target is
# set, the load balancer's requests per task) between a minimum and a maximum.
# Application Auto Scaling creates and manages the CloudWatch alarms of each
# policy ("Target tracking scaling policies for Application Auto Scaling",
# Application Auto Scaling User Guide). The ECS service ignores desired_count,
# so an apply never undoes what scaling did.
#
# The first image: the service starts with no task until CI pushes one.
# Registering a scalable target brings the service's current count into
# [min, max] at once (RegisterScalableTarget, Application Auto Scaling API
# Reference), so a minimum above zero here would start tasks of an image that
# does not exist yet. Terraform registers the target with a minimum of 0; the
# deploy workflow, once a pushed image runs stable, sets the minimum to
# min_capacity (it is this environment's planned minimum), and Terraform then
# leaves the minimum alone. The maximum and the policies stay Terraform's.

locals {
  resource_id = "service/${var.cluster_name}/${var.service_name}"
  # app/<lb-name>/<lb-id>/targetgroup/<tg-name>/<tg-id>: the ARN suffixes of the
  # load balancer and the target group, joined (PredefinedMetricSpecification,
  # Application Auto Scaling API Reference).
  resource_label = "${var.load_balancer_arn_suffix}/${var.target_group_arn_suffix}"
}

resource "aws_appautoscaling_target" "this" {
  service_namespace  = "ecs"
  scalable_dimension = "ecs:service:DesiredCount"
  resource_id        = local.resource_id
  min_capacity       = 0
  max_capacity       = var.max_capacity

  # The deploy workflow raises the minimum to var.min_capacity with the first
  # image (see above); an apply keeps what it set.
  lifecycle {
    ignore_changes = [min_capacity]
  }

  tags = var.tags
}

resource "aws_appautoscaling_policy" "cpu" {
  name               = "${var.name}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this.service_namespace
  scalable_dimension = aws_appautoscaling_target.this.scalable_dimension
  resource_id        = aws_appautoscaling_target.this.resource_id

  target_tracking_scaling_policy_configuration {
    target_value       = var.cpu_target_percent
    scale_in_cooldown  = var.scale_in_cooldown_seconds
    scale_out_cooldown = var.scale_out_cooldown_seconds

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

resource "aws_appautoscaling_policy" "requests" {
  count = var.requests_per_target == null ? 0 : 1

  name               = "${var.name}-requests"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this.service_namespace
  scalable_dimension = aws_appautoscaling_target.this.scalable_dimension
  resource_id        = aws_appautoscaling_target.this.resource_id

  target_tracking_scaling_policy_configuration {
    target_value       = var.requests_per_target
    scale_in_cooldown  = var.scale_in_cooldown_seconds
    scale_out_cooldown = var.scale_out_cooldown_seconds

    predefined_metric_specification {
      predefined_metric_type = "ALBRequestCountPerTarget"
      resource_label         = local.resource_label
    }
  }
}
