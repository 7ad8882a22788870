# The production environment of checkout: one self-contained stack
# wiring the modules of infra/modules. Names come from plan.yaml; the
# workflows, `infraplan check` and `infraplan verify` rely on them.

locals {
  # The plan's title as written in plan.yaml; tags keep only what AWS accepts.
  title = "Checkout on ECS Fargate"

  names = {
    stack          = "checkout-production"
    cluster        = "checkout-production"
    service        = "checkout"
    container      = "checkout"
    ecr_repository = "checkout-production"
    load_balancer  = "checkout-production"
    target_group   = "checkout-production"
    task_family    = "checkout-production"
    log_group      = "/ecs/checkout-production"
    dashboard      = "checkout-production"
    alarm_cpu      = "checkout-production-cpu-high"
    alarm_5xx      = "checkout-production-http-5xx"
    sns_topic      = "checkout-production-alarms"
    budget         = "checkout-production-monthly"
    deploy_role    = "checkout-production-github-deploy"
    task_role      = "checkout-production-task"
    execution_role = "checkout-production-task-execution"
    secret_prefix  = "checkout/production/"
  }

  tags = {
    Project     = "checkout"
    Environment = "production"
    Stack       = local.names.stack
    Title       = substr(replace(local.title, "/[^\\p{L}\\p{N} _.:/=+@-]/", ""), 0, 256)
    ManagedBy   = "terraform"
  }
}

provider "aws" {
  region              = var.aws_region
  allowed_account_ids = var.aws_account_id == "" ? null : [var.aws_account_id]

  default_tags {
    tags = local.tags
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

# One customer-managed key encrypts the stack's logs, images, secrets and
# alarm topic.
resource "aws_kms_key" "stack" {
  description             = "Key of the ${local.names.stack} stack"
  enable_key_rotation     = true
  deletion_window_in_days = 30

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministers"
        Effect    = "Allow"
        Principal = { AWS = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchLogsEncrypts"
        Effect    = "Allow"
        Principal = { Service = "logs.${var.aws_region}.amazonaws.com" }
        Action    = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
        Resource  = "*"
        Condition = {
          ArnLike = {
            "kms:EncryptionContext:aws:logs:arn" = "arn:${data.aws_partition.current.partition}:logs:${var.aws_region}:${data.aws_caller_identity.current.account_id}:log-group:*"
          }
        }
      },
      {
        Sid       = "CloudWatchAlarmsPublish"
        Effect    = "Allow"
        Principal = { Service = "cloudwatch.amazonaws.com" }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
        Resource  = "*"
      },
    ]
  })
}

resource "aws_kms_alias" "stack" {
  name          = "alias/${local.names.stack}"
  target_key_id = aws_kms_key.stack.key_id
}

module "network" {
  source = "../../modules/network"

  name                 = local.names.stack
  vpc_cidr             = var.vpc_cidr
  public_subnet_cidrs  = var.public_subnet_cidrs
  private_subnet_cidrs = var.private_subnet_cidrs
  nat_mode             = var.nat_mode
  service_port         = var.container_port
  kms_key_arn          = aws_kms_key.stack.arn
  log_retention_days   = var.log_retention_days
}

module "ecr" {
  source = "../../modules/ecr"

  repository_name = local.names.ecr_repository
  kms_key_arn     = aws_kms_key.stack.arn
}

module "secrets" {
  source = "../../modules/secrets"

  secret_names        = var.secret_names
  name_prefix         = local.names.secret_prefix
  execution_role_name = module.ecs.execution_role_name
  kms_key_arn         = aws_kms_key.stack.arn
}

module "ecs" {
  source = "../../modules/ecs"

  cluster_name        = local.names.cluster
  service_name        = local.names.service
  task_family         = local.names.task_family
  container_name      = local.names.container
  container_image     = "${module.ecr.repository_url}:${var.initial_image_tag}"
  container_port      = var.container_port
  cpu                 = var.cpu
  memory              = var.memory
  desired_count       = var.desired_count
  health_check_path   = var.health_check_path
  auto_rollback       = var.auto_rollback
  secret_arns         = module.secrets.secret_arns
  log_group_name      = local.names.log_group
  log_retention_days  = var.log_retention_days
  kms_key_arn         = aws_kms_key.stack.arn
  execution_role_name = local.names.execution_role
  task_role_name      = local.names.task_role
  load_balancer_name  = local.names.load_balancer
  target_group_name   = local.names.target_group
  certificate_arn     = var.certificate_arn
  deletion_protection = var.deletion_protection

  vpc_id                    = module.network.vpc_id
  public_subnet_ids         = module.network.public_subnet_ids
  alb_security_group_id     = module.network.alb_security_group_id
  service_security_group_id = module.network.service_security_group_id

  # Without NAT the tasks run in the public subnets with a public IP, or they
  # could not pull their image; inbound traffic still comes only from the ALB.
  task_subnet_ids  = var.nat_mode == "none" ? module.network.public_subnet_ids : module.network.private_subnet_ids
  assign_public_ip = var.nat_mode == "none"
}

module "monitoring" {
  source = "../../modules/monitoring"

  cluster_name             = module.ecs.cluster_name
  service_name             = module.ecs.service_name
  load_balancer_arn_suffix = module.ecs.load_balancer_arn_suffix
  target_group_arn_suffix  = module.ecs.target_group_arn_suffix
  cpu_alarm_name           = local.names.alarm_cpu
  cpu_alarm_percent        = var.cpu_alarm_percent
  http_5xx_alarm_name      = local.names.alarm_5xx
  http_5xx_alarm_count     = var.http_5xx_alarm_count
  sns_topic_name           = local.names.sns_topic
  notify_emails            = var.notify_emails
  create_dashboard         = var.dashboard
  dashboard_name           = local.names.dashboard
  kms_key_arn              = aws_kms_key.stack.arn
}

module "ci_oidc" {
  source = "../../modules/ci_oidc"

  create_oidc_provider = var.create_oidc_provider
  github_repository    = var.github_repository
  branch               = var.branch
  github_environments  = ["production"]
  role_name            = local.names.deploy_role
  service_name         = module.ecs.service_name
  ecr_repository_arn   = module.ecr.repository_arn
  ecs_service_arn      = module.ecs.service_arn
  pass_role_arns       = [module.ecs.task_role_arn, module.ecs.execution_role_arn]

  allow_preview_services = var.allow_preview_services
}

# The R4 budget. Without budget_cost_filter_tag it counts the whole account,
# so give each environment its own account or activate the Stack tag.
module "budget" {
  source = "../../modules/budget"

  budget_name       = local.names.budget
  monthly_limit_usd = var.monthly_budget_usd
  notify_emails     = var.notify_emails
  cost_filter_tag   = var.budget_cost_filter_tag
}
