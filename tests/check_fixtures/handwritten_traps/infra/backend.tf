terraform {
  backend "s3" {
    bucket = "acme-state"
    key    = "shop.tfstate"
    region = "eu-west-1"
  }
}
