# The role GitHub Actions assumes through OIDC to deploy the service: no
# long-lived AWS keys anywhere. It trusts exactly one subject: the job of one
# GitHub environment of one repository (github_subject), so only a job that
# passed that environment's protection rules (its reviewers) gets a session.
# The account's GitHub OIDC provider belongs to infra/bootstrap.
#
# Subjects: https://docs.github.com/actions/reference/security/oidc (the
# environment form repo:OWNER/NAME:environment:ENV) and, for repositories
# created or renamed since 2026-07-15, the immutable form
# repo:OWNER@OWNER_ID/NAME@REPO_ID:environment:ENV
# (https://github.blog/changelog/2026-04-23-immutable-subject-claims-for-github-actions-oidc-tokens/).

locals {
  oidc_url  = "https://token.actions.githubusercontent.com"
  oidc_host = "token.actions.githubusercontent.com"

  # The service's deployments: arn:...:service-deployment/<cluster>/<service>/<id>.
  service_deployments_arn = "${replace(var.ecs_service_arn, ":service/", ":service-deployment/")}/*"
}

data "aws_iam_openid_connect_provider" "github" {
  url = local.oidc_url
}

# Earlier layouts created the provider in the first environment's root; it now
# belongs to infra/bootstrap, which imports it. Forget it here, never delete it
# (https://developer.hashicorp.com/terraform/language/state/remove).
removed {
  from = aws_iam_openid_connect_provider.github

  lifecycle {
    destroy = false
  }
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [data.aws_iam_openid_connect_provider.github.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:sub"
      values   = [var.github_subject]
    }
  }
}

resource "aws_iam_role" "deploy" {
  permissions_boundary = var.permissions_boundary_arn

  name                 = var.role_name
  description          = "GitHub Actions deploy of ${var.service_name}"
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  max_session_duration = 3600

  tags = var.tags
}

data "aws_iam_policy_document" "deploy" {
  # GetAuthorizationToken has no resource-level permissions.
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "EcrPushToServiceRepository"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = [var.ecr_repository_arn]
  }

  # Task definitions: these calls take no resource ARN.
  statement {
    sid = "EcsTaskDefinitions"
    actions = [
      "ecs:DescribeTaskDefinition",
      "ecs:ListTaskDefinitions",
      "ecs:RegisterTaskDefinition",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "EcsDeployService"
    actions   = ["ecs:DescribeServices", "ecs:UpdateService"]
    resources = [var.ecs_service_arn]
  }

  # A blue/green deploy follows its service deployment (lifecycle stage, status)
  # until traffic moved and the bake time ended; only this service's deployments.
  statement {
    sid       = "EcsFollowDeployments"
    actions   = ["ecs:DescribeServiceDeployments"]
    resources = [local.service_deployments_arn]
  }

  # The smoke test finds the load balancer's DNS name; Describe calls take no ARN.
  statement {
    sid       = "FindLoadBalancer"
    actions   = ["elasticloadbalancing:DescribeLoadBalancers"]
    resources = ["*"]
  }

  # With autoscaling, the deploy job sets the service's minimum task count once
  # a pushed image runs (infra/modules/autoscaling says why). RegisterScalableTarget
  # takes the scalable target's ARN ("Actions, resources, and condition keys for
  # Application Auto Scaling", Service Authorization Reference).
  dynamic "statement" {
    for_each = length(var.scalable_target_arns) > 0 ? [1] : []

    content {
      sid       = "SetServiceMinimum"
      actions   = ["application-autoscaling:RegisterScalableTarget"]
      resources = var.scalable_target_arns
    }
  }

  statement {
    sid       = "PassTaskRoles"
    actions   = ["iam:PassRole"]
    resources = var.pass_role_arns

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "deploy" {
  name   = "deploy-service"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy.json
}
