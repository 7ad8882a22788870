# Alarms that catch an outage, sent to an SNS topic, and an optional dashboard.
#
# A crashed or missing service shows up on the load balancer, not on the
# targets: with no healthy target the load balancer answers 502/503/504 itself
# (HTTPCode_ELB_5XX_Count, dimension LoadBalancer only) and HealthyHostCount
# drops to 0 or stops being reported, so that alarm treats missing data as
# breaching. RunningTaskCount comes from Container Insights (enabled on the
# cluster). Metrics and dimensions: "CloudWatch metrics for your Application
# Load Balancer" (Elastic Load Balancing User Guide) and "Amazon ECS Container
# Insights metrics" (Amazon CloudWatch User Guide).
#
# Who hears an alarm: the topic's e-mail subscribers (notify_emails), any
# existing topics in notify_topic_arns, and a Slack channel through Amazon Q
# Developer in chat applications (formerly AWS Chatbot) when slack_channel is
# set. With none of them an alarm changes state and notifies nobody.

locals {
  alarm_topics = concat([aws_sns_topic.alarms.arn], var.notify_topic_arns)
  lb_dimensions = {
    LoadBalancer = var.load_balancer_arn_suffix
  }
  target_dimensions = {
    LoadBalancer = var.load_balancer_arn_suffix
    TargetGroup  = var.target_group_arn_suffix
  }
  # Blue/green: the two target groups swap roles at each deployment, so the
  # alarms watch the load balancer as a whole (this ALB serves this service only)
  # or the sum of both groups (blue_green.tf), never the first group alone.
  blue_green         = var.deployment_strategy == "BLUE_GREEN"
  targets_dimensions = local.blue_green ? local.lb_dimensions : local.target_dimensions
  lb_5xx_alarm_name  = coalesce(var.lb_5xx_alarm_name, "${var.sns_topic_name}-lb-5xx")
  service_dimensions = {
    ClusterName = var.cluster_name
    ServiceName = var.service_name
  }
}

resource "aws_sns_topic" "alarms" {
  name              = var.sns_topic_name
  kms_master_key_id = var.kms_key_arn

  tags = var.tags
}

# Each address gets a confirmation e-mail; alarms reach it once confirmed.
resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.notify_emails)

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = each.value
}

resource "aws_cloudwatch_metric_alarm" "cpu" {
  alarm_name          = var.cpu_alarm_name
  alarm_description   = "CPU of ECS service ${var.service_name} above ${var.cpu_alarm_percent}%"
  namespace           = "AWS/ECS"
  metric_name         = "CPUUtilization"
  statistic           = "Average"
  period              = 60
  evaluation_periods  = 3
  threshold           = var.cpu_alarm_percent
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "missing"
  alarm_actions       = local.alarm_topics
  ok_actions          = local.alarm_topics
  dimensions          = local.service_dimensions

  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "http_5xx" {
  alarm_name          = var.http_5xx_alarm_name
  alarm_description   = "More than ${var.http_5xx_alarm_count} 5xx answers a minute from the targets of ${var.service_name}"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_Target_5XX_Count"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = var.http_5xx_alarm_count
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_topics
  ok_actions          = local.alarm_topics
  dimensions          = local.targets_dimensions

  tags = var.tags
}

# The load balancer's own 5xx: 502/503/504 when no target can answer.
resource "aws_cloudwatch_metric_alarm" "lb_5xx" {
  alarm_name          = local.lb_5xx_alarm_name
  alarm_description   = "More than ${var.lb_5xx_alarm_count} 5xx answers a minute from the load balancer itself (no healthy target, timeouts) in front of ${var.service_name}"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_ELB_5XX_Count"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = var.lb_5xx_alarm_count
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_topics
  ok_actions          = local.alarm_topics
  dimensions          = local.lb_dimensions

  tags = var.tags
}

# No healthy target: the service is down. No data (no target registered) is down too.
resource "aws_cloudwatch_metric_alarm" "no_healthy_targets" {
  count = local.blue_green ? 0 : 1

  alarm_name          = "${var.sns_topic_name}-no-healthy-targets"
  alarm_description   = "No healthy target behind the load balancer of ${var.service_name} for 2 minutes"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HealthyHostCount"
  statistic           = "Minimum"
  period              = 60
  evaluation_periods  = 2
  threshold           = 1
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "breaching"
  alarm_actions       = local.alarm_topics
  ok_actions          = local.alarm_topics
  dimensions          = local.target_dimensions

  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "unhealthy_targets" {
  count = local.blue_green ? 0 : 1

  alarm_name          = "${var.sns_topic_name}-unhealthy-targets"
  alarm_description   = "More than ${var.unhealthy_targets_alarm_count} unhealthy targets of ${var.service_name} for 3 minutes"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "UnHealthyHostCount"
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  threshold           = var.unhealthy_targets_alarm_count
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_topics
  ok_actions          = local.alarm_topics
  dimensions          = local.target_dimensions

  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "memory" {
  alarm_name          = "${var.sns_topic_name}-memory-high"
  alarm_description   = "Memory of ECS service ${var.service_name} above ${var.memory_alarm_percent}%"
  namespace           = "AWS/ECS"
  metric_name         = "MemoryUtilization"
  statistic           = "Average"
  period              = 60
  evaluation_periods  = 3
  threshold           = var.memory_alarm_percent
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "missing"
  alarm_actions       = local.alarm_topics
  ok_actions          = local.alarm_topics
  dimensions          = local.service_dimensions

  tags = var.tags
}

# Fewer tasks running than the service should keep (Container Insights). During a
# deployment the count can dip for a minute; 5 minutes below desired is an outage
# of capacity. Missing data means no task reports: breaching.
resource "aws_cloudwatch_metric_alarm" "running_tasks" {
  alarm_name          = "${var.sns_topic_name}-running-tasks-low"
  alarm_description   = "Fewer than ${var.desired_count} tasks of ${var.service_name} running for 5 minutes"
  namespace           = "ECS/ContainerInsights"
  metric_name         = "RunningTaskCount"
  statistic           = "Minimum"
  period              = 60
  evaluation_periods  = 5
  threshold           = var.desired_count
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "breaching"
  alarm_actions       = local.alarm_topics
  ok_actions          = local.alarm_topics
  dimensions          = local.service_dimensions

  tags = var.tags
}

# --- Slack through Amazon Q Developer in chat applications -------------------------
# The Slack workspace must be authorized once in the console ("Configure a chat
# client"); its workspace (team) id and the channel id go in slack_channel. The
# channel role only lets the channel read CloudWatch, so alarm notifications show
# their graphs; the guardrail caps what anyone in the channel can do at that.

data "aws_partition" "current" {}

resource "aws_iam_role" "chat" {
  count = var.slack_channel == null ? 0 : 1

  permissions_boundary = var.permissions_boundary_arn

  name = "${var.sns_topic_name}-chat"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "chatbot.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "chat" {
  count = var.slack_channel == null ? 0 : 1

  role       = aws_iam_role.chat[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/CloudWatchReadOnlyAccess"
}

resource "aws_chatbot_slack_channel_configuration" "this" {
  count = var.slack_channel == null ? 0 : 1

  configuration_name    = "${var.sns_topic_name}-slack"
  iam_role_arn          = aws_iam_role.chat[0].arn
  slack_team_id         = var.slack_channel.team_id
  slack_channel_id      = var.slack_channel.channel_id
  sns_topic_arns        = [aws_sns_topic.alarms.arn]
  guardrail_policy_arns = ["arn:${data.aws_partition.current.partition}:iam::aws:policy/CloudWatchReadOnlyAccess"]
  logging_level         = "ERROR"

  tags = var.tags
}

data "aws_region" "current" {}

resource "aws_cloudwatch_dashboard" "this" {
  count = var.create_dashboard ? 1 : 0

  dashboard_name = var.dashboard_name
  dashboard_body = jsonencode({
    widgets = [
      {
        type   = "metric"
        x      = 0
        y      = 0
        width  = 12
        height = 6
        properties = {
          title  = "ECS CPU and memory (%)"
          region = data.aws_region.current.region
          stat   = "Average"
          period = 60
          metrics = [
            ["AWS/ECS", "CPUUtilization", "ClusterName", var.cluster_name, "ServiceName", var.service_name],
            ["AWS/ECS", "MemoryUtilization", "ClusterName", var.cluster_name, "ServiceName", var.service_name],
          ]
          annotations = {
            horizontal = [{ label = "CPU alarm", value = var.cpu_alarm_percent }]
          }
        }
      },
      {
        type   = "metric"
        x      = 12
        y      = 0
        width  = 12
        height = 6
        properties = {
          title  = "Requests and target 5xx (per minute)"
          region = data.aws_region.current.region
          stat   = "Sum"
          period = 60
          metrics = [
            ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", var.load_balancer_arn_suffix, "TargetGroup", var.target_group_arn_suffix],
            ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", var.load_balancer_arn_suffix, "TargetGroup", var.target_group_arn_suffix],
          ]
          annotations = {
            horizontal = [{ label = "5xx alarm", value = var.http_5xx_alarm_count }]
          }
        }
      },
      {
        type   = "metric"
        x      = 0
        y      = 6
        width  = 12
        height = 6
        properties = {
          title  = "Target response time (p95, seconds)"
          region = data.aws_region.current.region
          stat   = "p95"
          period = 60
          metrics = [
            ["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", var.load_balancer_arn_suffix, "TargetGroup", var.target_group_arn_suffix],
          ]
        }
      },
      {
        type   = "metric"
        x      = 12
        y      = 6
        width  = 12
        height = 6
        properties = {
          title  = "Healthy and unhealthy targets"
          region = data.aws_region.current.region
          stat   = "Minimum"
          period = 60
          metrics = [
            ["AWS/ApplicationELB", "HealthyHostCount", "LoadBalancer", var.load_balancer_arn_suffix, "TargetGroup", var.target_group_arn_suffix],
            ["AWS/ApplicationELB", "UnHealthyHostCount", "LoadBalancer", var.load_balancer_arn_suffix, "TargetGroup", var.target_group_arn_suffix],
          ]
        }
      },
    ]
  })
}
