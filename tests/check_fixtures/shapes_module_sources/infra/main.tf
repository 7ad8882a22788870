# A fork of the VPC module, pinned by tag.
module "vpc" {
  source = "git::https://github.com/acme/terraform-aws-vpc.git?ref=v5.8.1"

  name            = "shop"
  cidr            = "10.0.0.0/16"
  azs             = ["eu-west-1a", "eu-west-1b"]
  public_subnets  = ["10.0.1.0/24", "10.0.2.0/24"]
  private_subnets = ["10.0.11.0/24", "10.0.12.0/24"]
}

# The cluster submodule of a mirrored ECS module.
module "cluster" {
  source = "github.com/acme-mirror/terraform-aws-ecs//modules/cluster?ref=v5.11.0"

  cluster_name = "shop"
}

# A copy of a registry module kept in the repository: read, not guessed.
module "ecr" {
  source = "../vendor/ecr"

  name = "shop"
}
