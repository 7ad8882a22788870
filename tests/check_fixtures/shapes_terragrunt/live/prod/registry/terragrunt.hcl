include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "tfr:///terraform-aws-modules/ecr/aws?version=2.3.0"
}

inputs = {
  repository_name                 = "api"
  repository_image_tag_mutability = "MUTABLE"
}
