terraform {
  required_version = ">= 1.10"

  # AWS provider 6.4 added the ECS service's deployment_configuration and
  # load_balancer.advanced_configuration (ECS blue/green); 6.6 stopped sending
  # an unset test_listener_rule as "" (its CHANGELOG).
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.6, < 7.0"
    }
  }
}
