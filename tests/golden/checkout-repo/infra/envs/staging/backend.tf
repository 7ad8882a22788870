# Remote state in the bucket infra/bootstrap creates, locked with a lock file
# next to the state (S3 native locking, Terraform >= 1.10: no DynamoDB table;
# https://developer.hashicorp.com/terraform/language/backend/s3).
# kms_key_id: with encrypt = true and no key, the backend asks S3 for AES256
# (SSE-S3) on every write, and a request's own encryption header overrides the
# bucket's default (the bootstrap's KMS key); the state key is named by alias.
terraform {
  backend "s3" {
    bucket       = "checkout-state-123456789012-eu-west-1"
    key          = "checkout/staging/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    kms_key_id   = "alias/checkout-terraform-state"
    use_lockfile = true
  }
}
