include {
  path = find_in_parent_folders()
}

inputs = {
  name              = "api"
  health_check_path = "/live"
}
