# Shared by every unit: state in S3, locked with S3's own lock file.
remote_state {
  backend = "s3"
  config = {
    bucket       = "acme-tfstate"
    key          = "${path_relative_to_include()}/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
  }
}
