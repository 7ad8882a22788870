# One environment of the service: the KMS key of the stack and the calls of
# the building-block modules. Each root in infra/envs/ calls this module once
# with its own names and sizes, so a change here reaches every environment.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region

  # Made by infra/bootstrap, one per stack; its apply role creates roles only with it.
  permissions_boundary_arn = var.use_permissions_boundary ? "arn:${local.partition}:iam::${local.account_id}:policy/${var.names.stack}-boundary" : null

  # The alarms that roll a blue/green deployment back: the 5xx of the load
  # balancer as a whole (the service's own, and the load balancer's when no
  # target answers). By name, as the monitoring module names them: the alarms
  # describe the service, so a reference would make a cycle.
  lb_5xx_alarm_name    = "${var.names.sns_topic}-lb-5xx"
  rollback_alarm_names = [var.names.alarm_5xx, local.lb_5xx_alarm_name]
}

# One customer-managed key encrypts the stack's logs, images, secrets and
# alarm topic. A service principal may use it only for this account's
# resources, with the condition keys its service documents (the confused
# deputy problem: https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html):
# - CloudWatch Logs: the log group's ARN in the encryption context
#   (kms:EncryptionContext:aws:logs:arn, "Encrypt log data in CloudWatch Logs
#   using AWS Key Management Service",
#   https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html);
# - CloudWatch alarms, which publish to the encrypted alarm topic: the alarm
#   as aws:SourceArn and its account as aws:SourceAccount ("How do I configure
#   a CloudWatch alarm with an encrypted Amazon SNS topic?",
#   https://repost.aws/knowledge-center/cloudwatch-configure-alarm-sns, and
#   "Amazon SNS key management", https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html).
resource "aws_kms_key" "stack" {
  description             = "Key of the ${var.names.stack} stack"
  enable_key_rotation     = true
  deletion_window_in_days = 30

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministers"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchLogsEncrypts"
        Effect    = "Allow"
        Principal = { Service = "logs.${local.region}.amazonaws.com" }
        Action    = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
        Resource  = "*"
        Condition = {
          ArnLike = {
            "kms:EncryptionContext:aws:logs:arn" = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:*"
          }
        }
      },
      {
        Sid       = "CloudWatchAlarmsPublish"
        Effect    = "Allow"
        Principal = { Service = "cloudwatch.amazonaws.com" }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = local.account_id
          }
          # Every alarm of the stack is named <stack>-... (infra/modules/monitoring).
          ArnLike = {
            "aws:SourceArn" = "arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:alarm:${var.names.stack}-*"
          }
        }
      },
    ]
  })
}

resource "aws_kms_alias" "stack" {
  name          = "alias/${var.names.stack}"
  target_key_id = aws_kms_key.stack.key_id
}

module "network" {
  source = "../network"

  permissions_boundary_arn = local.permissions_boundary_arn

  name                 = var.names.stack
  vpc_cidr             = var.vpc_cidr
  public_subnet_cidrs  = var.public_subnet_cidrs
  private_subnet_cidrs = var.private_subnet_cidrs
  nat_mode             = var.nat_mode
  service_port         = var.container_port
  service_egress       = var.egress
  kms_key_arn          = aws_kms_key.stack.arn
  log_retention_days   = var.log_retention_days
}

module "ecr" {
  source = "../ecr"

  repository_name = var.names.ecr_repository
  kms_key_arn     = aws_kms_key.stack.arn
}

module "secrets" {
  source = "../secrets"

  secret_names        = var.secret_names
  name_prefix         = var.names.secret_prefix
  execution_role_name = module.ecs.execution_role_name
  kms_key_arn         = aws_kms_key.stack.arn
}

module "ecs" {
  source = "../ecs"

  permissions_boundary_arn = local.permissions_boundary_arn

  cluster_name         = var.names.cluster
  service_name         = var.names.service
  task_family          = var.names.task_family
  container_name       = var.names.container
  container_image      = "${module.ecr.repository_url}:${var.initial_image_tag}"
  container_port       = var.container_port
  cpu                  = var.cpu
  memory               = var.memory
  health_check_path    = var.health_check_path
  health_check_command = var.health_check_command
  auto_rollback        = var.auto_rollback
  ecs_exec             = var.ecs_exec
  fargate_spot         = var.fargate_spot
  on_demand_base       = var.on_demand_base
  secret_arns          = module.secrets.secret_arns
  log_group_name       = var.names.log_group
  log_retention_days   = var.log_retention_days
  kms_key_arn          = aws_kms_key.stack.arn
  execution_role_name  = var.names.execution_role
  task_role_name       = var.names.task_role
  load_balancer_name   = var.names.load_balancer
  target_group_name    = var.names.target_group
  https                = local.https
  certificate_arn      = local.certificate_arn
  deletion_protection  = var.deletion_protection

  deployment_strategy         = var.deployment_strategy
  bake_time_minutes           = var.bake_time_minutes
  rollback_alarm_names        = local.rollback_alarm_names
  alternate_target_group_name = var.names.alternate_target_group
  load_balancer_role_name     = var.names.load_balancer_role

  vpc_id                    = module.network.vpc_id
  public_subnet_ids         = module.network.public_subnet_ids
  alb_security_group_id     = module.network.alb_security_group_id
  service_security_group_id = module.network.service_security_group_id

  # Without NAT the tasks run in the public subnets with a public IP, or they
  # could not pull their image; inbound traffic still comes only from the ALB.
  task_subnet_ids  = var.nat_mode == "none" ? module.network.public_subnet_ids : module.network.private_subnet_ids
  assign_public_ip = var.nat_mode == "none"
}

# Target tracking of the task count between this environment's bounds; off when
# autoscaling is null (the service then keeps desired_count tasks).
module "autoscaling" {
  source = "../autoscaling"
  count  = var.autoscaling == null ? 0 : 1

  name                       = var.names.stack
  cluster_name               = module.ecs.cluster_name
  service_name               = module.ecs.service_name
  min_capacity               = var.autoscaling.min_count
  max_capacity               = var.autoscaling.max_count
  cpu_target_percent         = var.autoscaling.cpu_target_percent
  requests_per_target        = var.autoscaling.requests_per_target
  scale_in_cooldown_seconds  = var.autoscaling.scale_in_cooldown_seconds
  scale_out_cooldown_seconds = var.autoscaling.scale_out_cooldown_seconds
  load_balancer_arn_suffix   = module.ecs.load_balancer_arn_suffix
  target_group_arn_suffix    = module.ecs.target_group_arn_suffix
}

module "monitoring" {
  source = "../monitoring"

  permissions_boundary_arn = local.permissions_boundary_arn

  cluster_name                  = module.ecs.cluster_name
  service_name                  = module.ecs.service_name
  load_balancer_arn_suffix      = module.ecs.load_balancer_arn_suffix
  target_group_arn_suffix       = module.ecs.target_group_arn_suffix
  cpu_alarm_name                = var.names.alarm_cpu
  cpu_alarm_percent             = var.cpu_alarm_percent
  http_5xx_alarm_name           = var.names.alarm_5xx
  http_5xx_alarm_count          = var.http_5xx_alarm_count
  memory_alarm_percent          = var.memory_alarm_percent
  lb_5xx_alarm_count            = var.lb_5xx_alarm_count
  unhealthy_targets_alarm_count = var.unhealthy_targets_alarm_count
  sns_topic_name                = var.names.sns_topic
  notify_emails                 = var.notify_emails
  notify_topic_arns             = var.notify_topic_arns
  slack_channel                 = var.slack_channel
  create_dashboard              = var.dashboard
  dashboard_name                = var.names.dashboard
  kms_key_arn                   = aws_kms_key.stack.arn

  # Blue/green: the second target group, so target alarms watch both.
  deployment_strategy               = var.deployment_strategy
  alternate_target_group_arn_suffix = module.ecs.alternate_target_group_arn_suffix
  lb_5xx_alarm_name                 = local.lb_5xx_alarm_name

  # With autoscaling the service may run as few as its minimum: fewer is an outage.
  desired_count = var.autoscaling == null ? var.desired_count : var.autoscaling.min_count
}

# The role this environment's deploy and rollback jobs assume: it trusts only
# the GitHub environment of the same name (infra/bootstrap creates the
# account's OIDC provider).
module "ci_oidc" {
  source = "../ci_oidc"

  permissions_boundary_arn = local.permissions_boundary_arn

  github_subject     = var.github_subject
  role_name          = var.names.deploy_role
  service_name       = module.ecs.service_name
  ecr_repository_arn = module.ecr.repository_arn
  ecs_service_arn    = module.ecs.service_arn
  pass_role_arns     = [module.ecs.task_role_arn, module.ecs.execution_role_arn]
  # The deploy job sets the scalable target's minimum once the first image runs.
  scalable_target_arns = [for scaling in module.autoscaling : scaling.scalable_target_arn]
}

# This environment's share of the R4 budget, counting only the resources with
# the stack's Stack tag (the environment root passes it; the tag must be an
# active cost allocation tag, or the budget sees no cost).
module "budget" {
  source = "../budget"

  budget_name       = var.names.budget
  monthly_limit_usd = var.monthly_budget_usd
  notify_emails     = var.notify_emails
  notify_topic_arns = var.notify_topic_arns
  cost_filter_tag   = var.budget_cost_filter_tag
}
