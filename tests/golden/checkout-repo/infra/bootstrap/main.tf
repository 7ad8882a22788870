# Bootstrap of checkout: what each AWS account and region needs once,
# before any environment root. Apply it by hand, with an administrator's
# credentials (README, "First deployment"). The first apply keeps the state
# locally (the bucket does not exist yet); then `terraform output -raw backend_tf`
# writes backend.tf and `terraform init -migrate-state` moves the state into the
# bucket, under a key no CI role can read or write.
#
# - the S3 bucket of the Terraform state (versioned, KMS-encrypted, private,
#   TLS only); the roots lock their state with S3 lock files (use_lockfile,
#   https://developer.hashicorp.com/terraform/language/backend/s3);
# - the account's GitHub OIDC provider (one per account, shared by every
#   repository: no environment root owns it, so destroying one cannot break
#   the others);
# - the Terraform CI roles: a read-only plan role for pull requests, and an
#   apply role per environment, each trusting only its own OIDC subject
#   (https://docs.github.com/actions/reference/security/oidc);
# - a permissions boundary per environment: the most any role of that
#   environment's stack may do; the apply role creates roles only with it.

locals {
  project = "checkout"
  region  = "eu-west-1"

  # S3 bucket names are global: the account id and the region make it unique.
  state_bucket = "${local.project}-state-${data.aws_caller_identity.current.account_id}-${local.region}"
  state_prefix = "${local.project}/"
  # The bootstrap's own state, once moved into the bucket: a project name starts
  # with a letter, so no environment's prefix ("<project>/") holds this key.
  bootstrap_state_key = "_bootstrap/terraform.tfstate"

  # OIDC subjects (sub) GitHub mints for this repository's jobs.
  # The name form: plan.yaml has no ci.repository_owner_id / ci.repository_id.
  # A repository created or renamed since 2026-07-15 gets the immutable form
  # (repo:OWNER@ID/NAME@ID:...) and matches none of these: add both ids to
  # plan.yaml and run `infraplan update` (README, "GitHub OIDC").
  plan_subject = "repo:acme/checkout:pull_request"
  environments = {
    "staging" = {
      subject = "repo:acme/checkout:environment:staging"
      role    = "checkout-staging-terraform-apply"
      stack   = "checkout-staging"
      state   = "checkout/staging/terraform.tfstate"
    }
    "production" = {
      subject = "repo:acme/checkout:environment:production"
      role    = "checkout-production-terraform-apply"
      stack   = "checkout-production"
      state   = "checkout/production/terraform.tfstate"
    }
  }

  # Every Terraform CI role: the state bucket's and the state key's policies
  # deny them what is not theirs, whatever their identity policies allow.
  ci_roles = [
    "checkout-terraform-plan",
    "checkout-staging-terraform-apply",
    "checkout-production-terraform-apply",
  ]
  ci_role_arns = [for role in local.ci_roles : "arn:${local.partition}:iam::${local.account_id}:role/${role}"]

  oidc_url          = "https://token.actions.githubusercontent.com"
  oidc_host         = "token.actions.githubusercontent.com"
  oidc_provider_arn = var.github_oidc_provider == "lookup" ? data.aws_iam_openid_connect_provider.github[0].arn : aws_iam_openid_connect_provider.github[0].arn
  partition         = data.aws_partition.current.partition
  account_id        = data.aws_caller_identity.current.account_id

  # The AWS managed policies the stacks attach to their own roles.
  stack_managed_policies = [
    "arn:${local.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
    "arn:${local.partition}:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers",
    # the Slack channel's role (Amazon Q Developer in chat applications) reads CloudWatch
    "arn:${local.partition}:iam::aws:policy/CloudWatchReadOnlyAccess",
  ]
}

provider "aws" {
  region              = local.region
  allowed_account_ids = ["123456789012"]

  default_tags {
    tags = {
      Project   = local.project
      Stack     = "${local.project}-bootstrap"
      ManagedBy = "terraform"
    }
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

# --- the state bucket -----------------------------------------------------------

resource "aws_kms_key" "state" {
  description             = "Terraform state of ${local.project}"
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
        # PowerUserAccess allows kms:* on every key: no CI role disables,
        # deletes or re-policies the key every state is encrypted with.
        Sid       = "CiRolesKeepTheKey"
        Effect    = "Deny"
        Principal = { AWS = "*" }
        Action = [
          "kms:DisableKey",
          "kms:ScheduleKeyDeletion",
          "kms:PutKeyPolicy",
          "kms:DeleteAlias",
          "kms:UpdateAlias",
        ]
        Resource  = "*"
        Condition = { ArnEquals = { "aws:PrincipalArn" = local.ci_role_arns } }
      },
    ]
  })
}

resource "aws_kms_alias" "state" {
  name          = "alias/${local.project}-terraform-state"
  target_key_id = aws_kms_key.state.key_id
}

resource "aws_s3_bucket" "state" {
  #checkov:skip=CKV_AWS_144:One region holds the stack; a state replica in another region adds a second bucket, role and key for a starter.
  #checkov:skip=CKV_AWS_18:Access logs need a second bucket; versioning and CloudTrail already record who changed the state.
  #checkov:skip=CKV2_AWS_62:Nothing consumes state-change events; add a notification when a consumer exists.
  bucket = local.state_bucket

  # Losing the state orphans every resource of every environment.
  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_ownership_controls" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "state" {
  bucket                  = aws_s3_bucket.state.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.state.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.state.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    id     = "expire-old-state-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_state_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

data "aws_iam_policy_document" "state_bucket" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.state.arn,
      "${aws_s3_bucket.state.arn}/*",
    ]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  # Each apply role reads and writes only its own state and S3 lock file
  # (<key>.tflock). PowerUserAccess allows s3:* on every bucket, so the allow
  # in the role's own policy limits nothing; an explicit Deny in the bucket
  # policy wins over any Allow (IAM User Guide, "Policy evaluation logic",
  # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
  # A role is matched by aws:PrincipalArn, the role's ARN in any of its
  # sessions (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
  dynamic "statement" {
    for_each = local.environments

    content {
      sid     = "OnlyItsOwnState${replace(statement.key, "-", "")}"
      effect  = "Deny"
      actions = ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject"]
      not_resources = [
        "${aws_s3_bucket.state.arn}/${statement.value.state}",
        "${aws_s3_bucket.state.arn}/${statement.value.state}.tflock",
      ]

      principals {
        type        = "AWS"
        identifiers = ["*"]
      }

      condition {
        test     = "ArnEquals"
        variable = "aws:PrincipalArn"
        values   = ["arn:${local.partition}:iam::${local.account_id}:role/${statement.value.role}"]
      }
    }
  }

  # Pull requests plan with -lock=false: the plan role writes nothing.
  statement {
    sid       = "PlanRoleWritesNothing"
    effect    = "Deny"
    actions   = ["s3:PutObject", "s3:DeleteObject"]
    resources = ["${aws_s3_bucket.state.arn}/*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:PrincipalArn"
      values   = ["arn:${local.partition}:iam::${local.account_id}:role/${aws_iam_role.terraform_plan.name}"]
    }
  }

  # The bootstrap's own state (it holds the CI roles' policies) is an
  # administrator's only.
  statement {
    sid     = "NotTheBootstrapState"
    effect  = "Deny"
    actions = ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject"]
    resources = [
      "${aws_s3_bucket.state.arn}/${local.bootstrap_state_key}",
      "${aws_s3_bucket.state.arn}/${local.bootstrap_state_key}.tflock",
    ]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:PrincipalArn"
      values   = local.ci_role_arns
    }
  }

  # No CI role erases history (old state versions) or changes the bucket:
  # its policy, versioning, encryption, lifecycle, or the bucket itself.
  statement {
    sid    = "CiRolesKeepTheBucket"
    effect = "Deny"
    actions = [
      "s3:DeleteObjectVersion",
      "s3:DeleteBucket*",
      "s3:PutBucket*",
      "s3:PutLifecycleConfiguration",
      "s3:PutEncryptionConfiguration",
      "s3:PutReplicationConfiguration",
    ]
    resources = [
      aws_s3_bucket.state.arn,
      "${aws_s3_bucket.state.arn}/*",
    ]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:PrincipalArn"
      values   = local.ci_role_arns
    }
  }
}

resource "aws_s3_bucket_policy" "state" {
  bucket = aws_s3_bucket.state.id
  policy = data.aws_iam_policy_document.state_bucket.json

  depends_on = [aws_s3_bucket_public_access_block.state]
}

# --- the account's GitHub OIDC provider -----------------------------------------

resource "aws_iam_openid_connect_provider" "github" {
  count = var.github_oidc_provider == "lookup" ? 0 : 1

  url            = local.oidc_url
  client_id_list = ["sts.amazonaws.com"]
}

import {
  for_each = var.github_oidc_provider == "import" ? toset(["github"]) : toset([])

  to = aws_iam_openid_connect_provider.github[0]
  id = "arn:${local.partition}:iam::${local.account_id}:oidc-provider/${local.oidc_host}"
}

data "aws_iam_openid_connect_provider" "github" {
  count = var.github_oidc_provider == "lookup" ? 1 : 0

  url = local.oidc_url
}

# --- the Terraform CI roles -----------------------------------------------------

data "aws_iam_policy_document" "trust_plan" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:sub"
      values   = [local.plan_subject]
    }
  }
}

# Plans of pull requests: reads the account and the state, changes nothing
# (the workflow plans with -lock=false, so it writes no lock file either).
resource "aws_iam_role" "terraform_plan" {
  name                 = "checkout-terraform-plan"
  description          = "GitHub Actions: terraform plan of ${local.project} pull requests (read-only)"
  assume_role_policy   = data.aws_iam_policy_document.trust_plan.json
  max_session_duration = 3600
}

resource "aws_iam_role_policy_attachment" "terraform_plan_read_only" {
  role       = aws_iam_role.terraform_plan.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/ReadOnlyAccess"
}

# ReadOnlyAccess also reads data, not only configuration: every S3 object,
# secret value, SSM parameter, DynamoDB item and log event. A pull request's
# Terraform runs with this role, so the data reads are denied; the refresh of
# a plan reads configuration only. AWS's own split of the two is the managed
# ViewOnlyAccess ("list and describe, not the data"), and its guidance is to
# deny the data actions beside ReadOnlyAccess when a plan needs more than
# ViewOnlyAccess covers (IAM User Guide, "AWS managed policies for job
# functions", https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html;
# policy evaluation: an explicit Deny wins over any Allow,
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
data "aws_iam_policy_document" "plan_no_data" {
  statement {
    sid    = "NoObjectsButTheState"
    effect = "Deny"
    actions = [
      "s3:GetObject",
      "s3:GetObjectVersion",
      "s3:GetObjectAttributes",
      "s3:GetObjectTorrent",
      "s3-object-lambda:GetObject",
    ]
    not_resources = ["${aws_s3_bucket.state.arn}/${local.state_prefix}*"]
  }

  statement {
    sid    = "NoDataReads"
    effect = "Deny"
    actions = [
      "secretsmanager:GetSecretValue",
      "secretsmanager:BatchGetSecretValue",
      "ssm:GetParameter",
      "ssm:GetParameters",
      "ssm:GetParametersByPath",
      "ssm:GetParameterHistory",
      "dynamodb:GetItem",
      "dynamodb:BatchGetItem",
      "dynamodb:Query",
      "dynamodb:Scan",
      "dynamodb:GetRecords",
      "dynamodb:PartiQLSelect",
      "logs:GetLogEvents",
      "logs:FilterLogEvents",
      "logs:StartQuery",
      "logs:GetQueryResults",
      "logs:StartLiveTail",
      "logs:GetLogRecord",
      "sqs:ReceiveMessage",
      "kinesis:GetRecords",
      "ecr:GetDownloadUrlForLayer",
      "ecr:BatchGetImage",
      "codecommit:GetFile",
      "codecommit:GetBlob",
      "athena:GetQueryResults",
      "rds-data:ExecuteStatement",
    ]
    resources = ["*"]
  }

  statement {
    sid           = "NoDecryptButTheState"
    effect        = "Deny"
    actions       = ["kms:Decrypt"]
    not_resources = [aws_kms_key.state.arn]
  }
}

resource "aws_iam_role_policy" "terraform_plan_no_data" {
  name   = "no-data-reads"
  role   = aws_iam_role.terraform_plan.id
  policy = data.aws_iam_policy_document.plan_no_data.json
}

data "aws_iam_policy_document" "state_read" {
  statement {
    sid       = "ReadState"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.state.arn}/${local.state_prefix}*"]
  }

  statement {
    sid       = "ListState"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.state.arn]
  }

  statement {
    sid       = "DecryptState"
    actions   = ["kms:Decrypt", "kms:DescribeKey"]
    resources = [aws_kms_key.state.arn]
  }
}

resource "aws_iam_role_policy" "terraform_plan_state" {
  name   = "read-terraform-state"
  role   = aws_iam_role.terraform_plan.id
  policy = data.aws_iam_policy_document.state_read.json
}

# --- the permissions boundary of each environment's stack roles -------------------

# The most a role of the stack may do, whatever policy the apply attaches to it:
# run and deploy the service (ECS, ECR, logs, metrics, alarms' notifications,
# the autoscaling minimum), read its environment's secrets, pass only its own
# stack's roles. No other IAM, so a role the apply creates can never be an
# administrator
# (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html).
data "aws_iam_policy_document" "boundary" {
  #checkov:skip=CKV_AWS_111:A permissions boundary is a ceiling, not a grant: it lets no role write anything until the role's own policy allows it, and those are scoped.
  #checkov:skip=CKV_AWS_356:A permissions boundary is a ceiling, not a grant: the resources are scoped by each stack role's own policy; the boundary keeps IAM out.
  #checkov:skip=CKV_AWS_108:A permissions boundary is a ceiling, not a grant: only a role whose own policy allows a read can read; the boundary caps it to the service's needs.
  #checkov:skip=CKV_AWS_109:A permissions boundary is a ceiling, not a grant: its only IAM action is iam:PassRole on the environment's own stack roles.

  for_each = local.environments

  statement {
    sid = "RunTheService"
    actions = [
      "ecs:*",
      "ecr:*",
      "logs:*",
      "cloudwatch:*",
      "sns:*",
      "chatbot:*",
      "elasticloadbalancing:Describe*",
      "ec2:Describe*",
      "xray:*",
      "ssmmessages:*",
      # the deploy job sets the service's minimum task count (autoscaling)
      "application-autoscaling:RegisterScalableTarget",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "ItsSecrets"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "kms:Decrypt"]
    resources = ["*"]
  }

  # A blue/green service's load balancer role (AmazonECSInfrastructureRolePolicyForLoadBalancers):
  # ECS moves the weights of the listener rules and the targets of the target
  # groups, on this stack's load balancer only.
  statement {
    sid = "ShiftItsTraffic"
    actions = [
      "elasticloadbalancing:ModifyListener",
      "elasticloadbalancing:ModifyRule",
      "elasticloadbalancing:RegisterTargets",
      "elasticloadbalancing:DeregisterTargets",
    ]
    resources = [
      "arn:${local.partition}:elasticloadbalancing:${local.region}:${local.account_id}:listener/app/${each.value.stack}/*",
      "arn:${local.partition}:elasticloadbalancing:${local.region}:${local.account_id}:listener-rule/app/${each.value.stack}/*",
      "arn:${local.partition}:elasticloadbalancing:${local.region}:${local.account_id}:targetgroup/*",
    ]
  }

  statement {
    sid       = "PassItsOwnRoles"
    actions   = ["iam:PassRole", "iam:GetRole"]
    resources = ["arn:${local.partition}:iam::${local.account_id}:role/${each.value.stack}-*"]
  }
}

resource "aws_iam_policy" "boundary" {
  for_each = local.environments

  name        = "${each.value.stack}-boundary"
  description = "Permissions boundary of the IAM roles of ${each.value.stack}"
  policy      = data.aws_iam_policy_document.boundary[each.key].json
}

data "aws_iam_policy_document" "trust_apply" {
  for_each = local.environments

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:sub"
      values   = [each.value.subject]
    }
  }
}

# Applies of one environment, from the job in that GitHub environment only
# (its protection rules run first). PowerUserAccess covers the stack's
# services, Application Auto Scaling included, and the service-linked roles
# they create (its iam:CreateServiceLinkedRole: the first scalable target makes
# AWSServiceRoleForApplicationAutoScaling_ECSService, "IAM permissions required
# for Amazon ECS service auto scaling", Amazon ECS Developer Guide); other IAM
# is limited to the roles of this environment's stack.
resource "aws_iam_role" "terraform_apply" {
  for_each = local.environments

  name                 = each.value.role
  description          = "GitHub Actions: terraform apply of ${each.value.stack}"
  assume_role_policy   = data.aws_iam_policy_document.trust_apply[each.key].json
  max_session_duration = 3600
}

resource "aws_iam_role_policy_attachment" "terraform_apply_power_user" {
  for_each = local.environments

  role       = aws_iam_role.terraform_apply[each.key].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/PowerUserAccess"
}

data "aws_iam_policy_document" "apply_iam" {
  for_each = local.environments

  statement {
    sid = "StackRoles"
    actions = [
      "iam:DeleteRole",
      "iam:DeleteRolePolicy",
      "iam:GetRole",
      "iam:GetRolePolicy",
      "iam:ListAttachedRolePolicies",
      "iam:ListInstanceProfilesForRole",
      "iam:ListRolePolicies",
      "iam:PassRole",
      "iam:TagRole",
      "iam:UntagRole",
      "iam:UpdateAssumeRolePolicy",
      "iam:UpdateRole",
      "iam:UpdateRoleDescription",
    ]
    resources = ["arn:${local.partition}:iam::${local.account_id}:role/${each.value.stack}-*"]
  }

  # A role is created, and its permissions written, only with this environment's
  # boundary: whatever policy it gets, it can do no more than the boundary
  # (the iam:PermissionsBoundary condition key,
  # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html).
  statement {
    sid       = "StackRolesWithinTheBoundary"
    actions   = ["iam:CreateRole", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy"]
    resources = ["arn:${local.partition}:iam::${local.account_id}:role/${each.value.stack}-*"]

    dynamic "condition" {
      for_each = var.require_permissions_boundary ? [aws_iam_policy.boundary[each.key].arn] : []
      content {
        test     = "StringEquals"
        variable = "iam:PermissionsBoundary"
        values   = [condition.value]
      }
    }
  }

  # Only the managed policies the stack attaches (local.stack_managed_policies: the
  # task execution role's, a blue/green service's load balancer role's, the Slack
  # channel role's).
  statement {
    sid       = "StackRolePolicies"
    actions   = ["iam:AttachRolePolicy"]
    resources = ["arn:${local.partition}:iam::${local.account_id}:role/${each.value.stack}-*"]

    condition {
      test     = "ArnEquals"
      variable = "iam:PolicyARN"
      values   = local.stack_managed_policies
    }

    dynamic "condition" {
      for_each = var.require_permissions_boundary ? [aws_iam_policy.boundary[each.key].arn] : []
      content {
        test     = "StringEquals"
        variable = "iam:PermissionsBoundary"
        values   = [condition.value]
      }
    }
  }

  statement {
    sid       = "DetachStackRolePolicies"
    actions   = ["iam:DetachRolePolicy"]
    resources = ["arn:${local.partition}:iam::${local.account_id}:role/${each.value.stack}-*"]

    condition {
      test     = "ArnEquals"
      variable = "iam:PolicyARN"
      values   = local.stack_managed_policies
    }
  }

  # The boundary is the bootstrap's: an apply never changes, deletes or removes it.
  statement {
    sid       = "NotTheBoundary"
    effect    = "Deny"
    actions   = ["iam:*"]
    resources = [for policy in aws_iam_policy.boundary : policy.arn]
  }

  statement {
    sid       = "KeepTheBoundary"
    effect    = "Deny"
    actions   = ["iam:DeleteRolePermissionsBoundary"]
    resources = ["*"]
  }

  # The CI roles themselves are the bootstrap's: an apply never widens them.
  statement {
    sid     = "NotTheCiRoles"
    effect  = "Deny"
    actions = ["iam:*"]
    resources = [
      "arn:${local.partition}:iam::${local.account_id}:role/${each.value.role}",
      aws_iam_role.terraform_plan.arn,
    ]
  }

  statement {
    sid       = "ReadOidcProvider"
    actions   = ["iam:GetOpenIDConnectProvider"]
    resources = [local.oidc_provider_arn]
  }

  # The stack looks the provider up by URL; listing takes no resource ARN.
  statement {
    sid       = "FindOidcProvider"
    actions   = ["iam:ListOpenIDConnectProviders"]
    resources = ["*"]
  }

  statement {
    sid     = "WriteItsOwnState"
    actions = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    # Its own state and S3 lock file only, never another environment's.
    resources = [
      "${aws_s3_bucket.state.arn}/${each.value.state}",
      "${aws_s3_bucket.state.arn}/${each.value.state}.tflock",
    ]
  }

  statement {
    sid       = "ListState"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.state.arn]
  }

  statement {
    sid       = "EncryptState"
    actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.state.arn]
  }
}

resource "aws_iam_role_policy" "terraform_apply" {
  for_each = local.environments

  name   = "stack-iam-and-state"
  role   = aws_iam_role.terraform_apply[each.key].id
  policy = data.aws_iam_policy_document.apply_iam[each.key].json
}
