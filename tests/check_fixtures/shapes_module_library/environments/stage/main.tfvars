repositories = {
  api = { mutability = "IMMUTABLE", scan = true }
}
target_groups = {
  api    = { health_check_path = "/ready" }
  worker = { health_check_path = null }
}
