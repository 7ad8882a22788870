# The staging environment of checkout: the provider and one call of
# infra/modules/stack with this environment's values, from plan.yaml.
# `infraplan update` regenerates this file and merges your edits into it;
# change plan.yaml for what it holds, overrides.auto.tfvars for your own values.

locals {
  # The plan's title as written in plan.yaml; tags keep only what AWS accepts.
  title = "Checkout on ECS Fargate"

  tags = {
    Project     = "checkout"
    Environment = "staging"
    Stack       = "checkout-staging"
    Title       = substr(replace(local.title, "/[^\\p{L}\\p{N} _.:/=+@-]/", ""), 0, 256)
    ManagedBy   = "terraform"
  }
}

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["123456789012"]

  default_tags {
    tags = local.tags
  }
}

module "stack" {
  source = "../../modules/stack"

  # AWS names; the workflows, `infraplan check` and `infraplan verify` rely on them.
  names = {
    stack          = "checkout-staging"
    cluster        = "checkout-staging"
    service        = "checkout"
    container      = "checkout"
    ecr_repository = "checkout-staging"
    load_balancer  = "checkout-staging"
    target_group   = "checkout-staging-8080"
    task_family    = "checkout-staging"
    log_group      = "/ecs/checkout-staging"
    dashboard      = "checkout-staging"
    alarm_cpu      = "checkout-staging-cpu-high"
    alarm_5xx      = "checkout-staging-http-5xx"
    sns_topic      = "checkout-staging-alarms"
    budget         = "checkout-staging-monthly"
    deploy_role    = "checkout-staging-github-deploy"
    task_role      = "checkout-staging-task"
    execution_role = "checkout-staging-task-execution"
    secret_prefix  = "checkout/staging/"

    # blue/green only (deploy.strategy)
    alternate_target_group = "checkout-staging-8080-alt"
    load_balancer_role     = "checkout-staging-ecs-load-balancers"
  }

  vpc_cidr             = "10.20.0.0/16"
  public_subnet_cidrs  = ["10.20.0.0/18", "10.20.64.0/18"]
  private_subnet_cidrs = ["10.20.128.0/18", "10.20.192.0/18"]
  nat_mode             = "single"
  egress = [
    { port = 443, cidr = "0.0.0.0/0", description = "HTTPS to AWS APIs and the internet" },
  ]

  container_port    = 8080
  health_check_path = "/healthz"
  cpu               = 512
  memory            = 1024
  # The deploy workflow runs desired_count tasks (below, for the alarms): the
  # service has no task until the first image is pushed.
  auto_rollback = true
  # How a new revision replaces the old one: plan.yaml's deploy.strategy.
  deployment_strategy = "ROLLING"
  # Target tracking between min_count and max_count tasks (service.autoscaling
  # and environments[].min_count/max_count); the first deploy starts
  # desired_count, then sets the minimum (infra/modules/autoscaling).
  autoscaling = {
    min_count                  = 2
    max_count                  = 4
    cpu_target_percent         = 70
    requests_per_target        = null # CPU only (service.autoscaling.requests_per_target)
    scale_in_cooldown_seconds  = 300
    scale_out_cooldown_seconds = 60
  }
  # Shells into running tasks (aws ecs execute-command): environments[].ecs_exec.
  ecs_exec = false
  # Fargate Spot (environments[].spot): AWS may stop a Spot task with two minutes'
  # warning. With approval, on_demand_base tasks stay on on-demand Fargate.
  fargate_spot   = false
  on_demand_base = 0

  # The container's own check of the health path: the task definition's
  # healthCheck, which ECS runs (it ignores the Dockerfile's HEALTHCHECK).
  health_check_command = ["python", "-c", "import urllib.request; urllib.request.urlopen(\"http://127.0.0.1:8080/healthz\", timeout=4)"]

  secret_names = ["DATABASE_URL", "STRIPE_API_KEY"]

  cpu_alarm_percent             = 80
  http_5xx_alarm_count          = 5
  memory_alarm_percent          = 80
  lb_5xx_alarm_count            = 5
  unhealthy_targets_alarm_count = 0
  desired_count                 = 2
  dashboard                     = true
  notify_emails                 = ["ops@example.com"]
  notify_topic_arns             = []

  # This environment's share of R4 (infraplan cost), never the whole R4.
  monthly_budget_usd = 125.0

  # The deploy role trusts only the jobs of the GitHub environment "staging".
  github_subject = "repo:acme/checkout:environment:staging"

  # Your own values, from overrides.auto.tfvars (certificate_arn defaults to
  # plan.yaml's service.certificate_arn).
  certificate_arn        = var.certificate_arn
  deletion_protection    = var.deletion_protection
  log_retention_days     = var.log_retention_days
  budget_cost_filter_tag = var.budget_cost_filter_tag
}

output "stack" {
  description = "Everything the stack module outputs: service URL, deploy role, ECR repository, secret ARNs."
  value       = module.stack
}
