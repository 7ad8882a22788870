# Every service unit includes this file: one module, one state bucket, shared inputs.
terraform {
  source = "${get_parent_terragrunt_dir()}/tf"
}

remote_state {
  backend = "s3"
  config = {
    bucket         = "acme-state"
    key            = "${path_relative_to_include()}/terraform.tfstate"
    region         = "us-east-1"
    dynamodb_table = "acme-locks"
  }
}

inputs = {
  cluster_name = "acme"
}
