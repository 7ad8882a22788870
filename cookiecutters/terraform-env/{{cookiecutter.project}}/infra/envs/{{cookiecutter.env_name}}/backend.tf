# Remote state in the bucket infra/bootstrap creates, locked with a lock file
# next to the state (S3 native locking, Terraform >= 1.10: no DynamoDB table;
# https://developer.hashicorp.com/terraform/language/backend/s3).
# kms_key_id: with encrypt = true and no key, the backend asks S3 for AES256
# (SSE-S3) on every write, and a request's own encryption header overrides the
# bucket's default (the bootstrap's KMS key); the state key is named by alias.
terraform {
  backend "s3" {
{% if cookiecutter.aws_account_id %}
    bucket       = {{ cookiecutter.state_bucket | hcl }}
{% else %}
    # bucket: {{ cookiecutter.state_bucket }}, given at init because plan.yaml
    # has no aws.account_id:
    #   terraform init -backend-config="bucket={{ cookiecutter.state_bucket }}"
{% endif %}
    key          = {{ cookiecutter._env.state_key | hcl }}
    region       = {{ cookiecutter.aws_region | hcl }}
    encrypt      = true
    kms_key_id   = "alias/{{ cookiecutter.project }}-terraform-state"
    use_lockfile = true
  }
}
