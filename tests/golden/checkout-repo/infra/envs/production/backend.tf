# Remote state in the bucket infra/bootstrap creates, locked with a lock file
# next to the state (S3 native locking, Terraform >= 1.10: no DynamoDB table;
# https://developer.hashicorp.com/terraform/language/backend/s3).
terraform {
  backend "s3" {
    bucket       = "checkout-state-123456789012-eu-west-1"
    key          = "checkout/production/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
  }
}
