# The {{ cookiecutter.env_name }} environment of {{ cookiecutter.project }}: the provider and one call of
# infra/modules/stack with this environment's values, from plan.yaml.
# `infraplan update` regenerates this file and merges your edits into it;
# change plan.yaml for what it holds, overrides.auto.tfvars for your own values.

locals {
  # The plan's title as written in plan.yaml; tags keep only what AWS accepts.
  title = {{ cookiecutter.title | hcl }}

  tags = {
    Project     = {{ cookiecutter.project | hcl }}
    Environment = {{ cookiecutter.env_name | hcl }}
    Stack       = {{ cookiecutter._env.stack | hcl }}
    Title       = substr(replace(local.title, "/[^\\p{L}\\p{N} _.:/=+@-]/", ""), 0, 256)
    ManagedBy   = "terraform"
  }
}

provider "aws" {
{% if cookiecutter.aws_account_id %}
  region              = {{ cookiecutter.aws_region | hcl }}
  allowed_account_ids = [{{ cookiecutter.aws_account_id | hcl }}]
{% else %}
  region = {{ cookiecutter.aws_region | hcl }}
{% endif %}

  default_tags {
    tags = local.tags
  }
}

module "stack" {
  source = "../../modules/stack"

  # AWS names; the workflows, `infraplan check` and `infraplan verify` rely on them.
  names = {
    stack          = {{ cookiecutter._env.stack | hcl }}
    cluster        = {{ cookiecutter._env.cluster | hcl }}
    service        = {{ cookiecutter._env.service | hcl }}
    container      = {{ cookiecutter._env.container | hcl }}
    ecr_repository = {{ cookiecutter._env.ecr_repository | hcl }}
    load_balancer  = {{ cookiecutter._env.load_balancer | hcl }}
    target_group   = {{ cookiecutter._env.target_group | hcl }}
    task_family    = {{ cookiecutter._env.task_family | hcl }}
    log_group      = {{ cookiecutter._env.log_group | hcl }}
    dashboard      = {{ cookiecutter._env.dashboard | hcl }}
    alarm_cpu      = {{ cookiecutter._env.alarm_cpu | hcl }}
    alarm_5xx      = {{ cookiecutter._env.alarm_5xx | hcl }}
    sns_topic      = {{ cookiecutter._env.sns_topic | hcl }}
    budget         = {{ cookiecutter._env.budget | hcl }}
    deploy_role    = {{ cookiecutter._env.deploy_role | hcl }}
    task_role      = {{ cookiecutter._env.task_role | hcl }}
    execution_role = {{ cookiecutter._env.execution_role | hcl }}
    secret_prefix  = {{ cookiecutter._env.secret_prefix | hcl }}

    # blue/green only (deploy.strategy)
    alternate_target_group = {{ cookiecutter._env.alternate_target_group | hcl }}
    load_balancer_role     = {{ cookiecutter._env.load_balancer_role | hcl }}
  }

  vpc_cidr             = {{ cookiecutter.vpc_cidr | hcl }}
  public_subnet_cidrs  = [{{ cookiecutter._public_subnets | map("hcl") | join(", ") }}]
  private_subnet_cidrs = [{{ cookiecutter._private_subnets | map("hcl") | join(", ") }}]
  nat_mode             = {{ cookiecutter.env_nat | hcl }}
  egress = [
{% for rule in cookiecutter._egress %}
    { port = {{ rule.port | int }}, cidr = {{ rule.cidr | hcl }}, description = {{ rule.description | hcl }} },
{% endfor %}
  ]

  container_port    = {{ cookiecutter.port | int }}
  health_check_path = {{ cookiecutter.health_check_path | hcl }}
  cpu               = {{ cookiecutter.env_cpu | int }}
  memory            = {{ cookiecutter.env_memory | int }}
  # The deploy workflow runs desired_count tasks (below, for the alarms): the
  # service has no task until the first image is pushed.
  auto_rollback = {{ cookiecutter.auto_rollback | lower }}
  # How a new revision replaces the old one: plan.yaml's deploy.strategy.
{% if cookiecutter.deploy_strategy == "blue_green" %}
  # ECS blue/green: a second target group, listener rules ECS moves, and
  # {{ cookiecutter.bake_minutes | int }} minutes with both revisions up while the 5xx alarms may roll back.
  deployment_strategy = "BLUE_GREEN"
  bake_time_minutes   = {{ cookiecutter.bake_minutes | int }}
{% else %}
  deployment_strategy = "ROLLING"
{% endif %}
{% if cookiecutter._autoscaling %}
  # Target tracking between min_count and max_count tasks (service.autoscaling
  # and environments[].min_count/max_count); the first deploy starts
  # desired_count, then sets the minimum (infra/modules/autoscaling).
  autoscaling = {
    min_count                  = {{ cookiecutter._autoscaling.min_count | int }}
    max_count                  = {{ cookiecutter._autoscaling.max_count | int }}
    cpu_target_percent         = {{ cookiecutter._autoscaling.cpu_target_percent | int }}
{% if cookiecutter._autoscaling.requests_per_target %}
    requests_per_target        = {{ cookiecutter._autoscaling.requests_per_target | int }}
{% else %}
    requests_per_target        = null # CPU only (service.autoscaling.requests_per_target)
{% endif %}
    scale_in_cooldown_seconds  = {{ cookiecutter._autoscaling.scale_in_cooldown_seconds | int }}
    scale_out_cooldown_seconds = {{ cookiecutter._autoscaling.scale_out_cooldown_seconds | int }}
  }
{% else %}
  # No autoscaling (service.autoscaling.enabled: false): desired_count tasks.
  autoscaling = null
{% endif %}
  # Shells into running tasks (aws ecs execute-command): environments[].ecs_exec.
  ecs_exec = {{ cookiecutter.env_ecs_exec | lower }}
  # Fargate Spot (environments[].spot): AWS may stop a Spot task with two minutes'
  # warning. With approval, on_demand_base tasks stay on on-demand Fargate.
  fargate_spot   = {{ cookiecutter.env_spot | lower }}
  on_demand_base = {{ cookiecutter.env_on_demand_base | int }}

  # The container's own check of the health path: the task definition's
  # healthCheck, which ECS runs (it ignores the Dockerfile's HEALTHCHECK).
  health_check_command = [{{ cookiecutter._health_command | map("hcl") | join(", ") }}]

  secret_names = [{{ cookiecutter._secrets | map("hcl") | join(", ") }}]

  cpu_alarm_percent             = {{ cookiecutter.cpu_alarm_percent | int }}
  http_5xx_alarm_count          = {{ cookiecutter.http_5xx_alarm_count | int }}
  memory_alarm_percent          = {{ cookiecutter.memory_alarm_percent | int }}
  lb_5xx_alarm_count            = {{ cookiecutter.lb_5xx_alarm_count | int }}
  unhealthy_targets_alarm_count = {{ cookiecutter.unhealthy_targets_alarm_count | int }}
  desired_count                 = {{ cookiecutter.env_desired_count | int }}
  dashboard                     = {{ cookiecutter.dashboard | lower }}
  notify_emails                 = [{{ cookiecutter._notify_emails | map("hcl") | join(", ") }}]
  notify_topic_arns             = [{{ cookiecutter._notify_topic_arns | map("hcl") | join(", ") }}]
{% if cookiecutter._slack %}
  slack_channel                 = { team_id = {{ cookiecutter._slack.team_id | hcl }}, channel_id = {{ cookiecutter._slack.channel_id | hcl }} }
{% endif %}

  # This environment's share of R4 (infraplan cost), never the whole R4.
  monthly_budget_usd = {{ cookiecutter.env_monthly_budget_usd | float }}

  # The deploy role trusts only the jobs of the GitHub environment "{{ cookiecutter.env_name }}".
  github_subject = {{ cookiecutter.env_subject | hcl }}

{% if cookiecutter._https.domain %}
  # HTTPS at this environment's name (service.domain): a certificate validated
  # in the hosted zone, an alias record, port 80 redirected to HTTPS.
{% if cookiecutter._https.zone_id %}
  domain         = {{ cookiecutter._https.domain | hcl }}
  hosted_zone_id = {{ cookiecutter._https.zone_id | hcl }}
{% else %}
  domain           = {{ cookiecutter._https.domain | hcl }}
  hosted_zone_name = {{ cookiecutter._https.zone_name | hcl }}
{% endif %}

{% endif %}
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
