# Remote state in S3, locked with a lock file next to the state (no DynamoDB
# table). Create the bucket once, with versioning and encryption, before the
# first `terraform init`.
terraform {
  backend "s3" {
    bucket       = {{ cookiecutter.state_bucket | hcl }}
    key          = {{ cookiecutter._env.state_key | hcl }}
    region       = {{ cookiecutter.aws_region | hcl }}
    encrypt      = true
    use_lockfile = true
  }
}
