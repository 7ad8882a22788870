include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../modules//service"
}

inputs = {
  name              = "api"
  launch_type       = "FARGATE"
  health_check_path = "/ready"
  rollback          = true
}
