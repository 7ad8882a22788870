# One Secrets Manager secret per name, encrypted with KMS. Terraform creates
# the secret, never its value: set it with the console or
# `aws secretsmanager put-secret-value`. Only the task execution role may read.

resource "aws_secretsmanager_secret" "this" {
  #checkov:skip=CKV2_AWS_57:Values are set by people outside Terraform (API keys, URLs); rotation needs a rotation function per kind of secret.
  for_each = toset(var.secret_names)

  name                    = "${var.name_prefix}${each.key}"
  description             = "${each.key} of ${var.name_prefix} (value set outside Terraform)"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.recovery_window_in_days

  tags = var.tags
}

data "aws_iam_policy_document" "read" {
  count = length(var.secret_names) > 0 ? 1 : 0

  statement {
    sid       = "ReadServiceSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [for secret in aws_secretsmanager_secret.this : secret.arn]
  }

  statement {
    sid       = "DecryptServiceSecrets"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${data.aws_region.current.region}.amazonaws.com"]
    }
  }
}

data "aws_region" "current" {}

resource "aws_iam_role_policy" "read" {
  count = length(var.secret_names) > 0 ? 1 : 0

  name   = "read-service-secrets"
  role   = var.execution_role_name
  policy = data.aws_iam_policy_document.read[0].json
}
