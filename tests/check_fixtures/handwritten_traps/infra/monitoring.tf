resource "aws_cloudwatch_dashboard" "shop" {
  dashboard_name = "shop"
  dashboard_body = jsonencode({
    widgets = [{
      type = "metric"
      properties = {
        metrics = [["AWS/ECS", "CPUUtilization", "ServiceName", "shop"]]
      }
    }]
  })
}

resource "aws_appautoscaling_policy" "cpu" {
  name               = "shop-cpu"
  policy_type        = "TargetTrackingScaling"
  resource_id        = "service/shop/shop"
  scalable_dimension = "ecs:service:DesiredCount"
  service_namespace  = "ecs"

  target_tracking_scaling_policy_configuration {
    target_value = 70
    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

resource "aws_wafv2_web_acl" "shop" {
  name  = "shop"
  scope = "REGIONAL"
  default_action {
    allow {}
  }
  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "shop-cpu-protect"
    sampled_requests_enabled   = true
  }
}

resource "aws_cloudwatch_metric_alarm" "errors" {
  alarm_name          = "shop-5xx"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_ELB_5XX_Count"
  statistic           = "Sum"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 5
  evaluation_periods  = 1
  period              = 60
}

resource "aws_budgets_budget" "shop" {
  name         = "shop"
  budget_type  = "COST"
  limit_amount = "500"
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  notification {
    comparison_operator        = "GREATER_THAN"
    threshold                  = 100
    threshold_type             = "PERCENTAGE"
    notification_type          = "ACTUAL"
    subscriber_email_addresses = ["ops@example.com"]
  }
}

resource "aws_route53_record" "shop" {
  zone_id = "Z123"
  name    = "shop.example.com"
  type    = "CNAME"
  ttl     = 60
  records = ["lb.example.com"]
}
