terraform {
  # 1.10: S3 native state locking for the roots that use this bucket; 1.7:
  # import blocks with for_each.
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.69"
    }
  }
}
