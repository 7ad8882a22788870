# Blue/green (deployment_strategy BLUE_GREEN): ECS moves the service
# between two target groups at each deployment, so after one deployment the
# first group is empty while the service is healthy in the second. The
# target-health alarms add both groups up (metric math, "Using metric math",
# Amazon CloudWatch User Guide) instead of watching one; a group with no data
# adds nothing, and no data in both is still an outage (breaching).

locals {
  target_groups = local.blue_green ? {
    blue  = var.target_group_arn_suffix
    green = var.alternate_target_group_arn_suffix
  } : {}
}

resource "aws_cloudwatch_metric_alarm" "no_healthy_targets_both_groups" {
  count = local.blue_green ? 1 : 0

  alarm_name          = "${var.sns_topic_name}-no-healthy-targets"
  alarm_description   = "No healthy target in either target group of ${var.service_name} for 2 minutes"
  evaluation_periods  = 2
  threshold           = 1
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "breaching"
  alarm_actions       = local.alarm_topics
  ok_actions          = local.alarm_topics

  metric_query {
    id          = "healthy"
    expression  = "SUM(METRICS())"
    label       = "Healthy targets in both groups"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = local.target_groups

    content {
      id = "healthy_${metric_query.key}"

      metric {
        namespace   = "AWS/ApplicationELB"
        metric_name = "HealthyHostCount"
        stat        = "Minimum"
        period      = 60
        dimensions = {
          LoadBalancer = var.load_balancer_arn_suffix
          TargetGroup  = metric_query.value
        }
      }
    }
  }

  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "unhealthy_targets_both_groups" {
  count = local.blue_green ? 1 : 0

  alarm_name          = "${var.sns_topic_name}-unhealthy-targets"
  alarm_description   = "More than ${var.unhealthy_targets_alarm_count} unhealthy targets of ${var.service_name} in both target groups for 3 minutes"
  evaluation_periods  = 3
  threshold           = var.unhealthy_targets_alarm_count
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_topics
  ok_actions          = local.alarm_topics

  metric_query {
    id          = "unhealthy"
    expression  = "SUM(METRICS())"
    label       = "Unhealthy targets in both groups"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = local.target_groups

    content {
      id = "unhealthy_${metric_query.key}"

      metric {
        namespace   = "AWS/ApplicationELB"
        metric_name = "UnHealthyHostCount"
        stat        = "Maximum"
        period      = 60
        dimensions = {
          LoadBalancer = var.load_balancer_arn_suffix
          TargetGroup  = metric_query.value
        }
      }
    }
  }

  tags = var.tags
}
