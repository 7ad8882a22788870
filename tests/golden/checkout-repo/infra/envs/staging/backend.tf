# Remote state in S3, locked with a lock file next to the state (no DynamoDB
# table). Create the bucket once, with versioning and encryption, before the
# first `terraform init`.
terraform {
  backend "s3" {
    bucket       = "checkout-tfstate-123456789012"
    key          = "checkout/staging/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
  }
}
