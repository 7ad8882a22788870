terraform {
  required_version = ">= 1.6"
  backend "s3" {
    bucket         = "acme-terraform-state"
    key            = "shop/prod.tfstate"
    region         = "eu-west-1"
    dynamodb_table = "terraform-locks"
  }
}

provider "aws" {
  region = "eu-west-1"
}

locals {
  env = "prod"
}

module "platform" {
  source         = "../../modules/platform"
  name           = "shop-${local.env}"
  tag_mode       = "IMMUTABLE"
  health_path    = "/healthz"
  monthly_budget = 90
  domain_name    = "shop.example.com"
  zone_id        = "Z0123456789ABCDEFGHIJ"
}
