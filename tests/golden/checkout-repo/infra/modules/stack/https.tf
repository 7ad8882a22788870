# How the load balancer serves the service: the ecs module's listeners read
# local.https and local.certificate_arn.
#
# No service.domain in plan.yaml: HTTPS with var.certificate_arn when it is
# set (port 80 then redirects), plain HTTP at the load balancer's address
# otherwise (the plan's risk table says so).

locals {
  https           = var.certificate_arn != null
  certificate_arn = var.certificate_arn
  service_url     = module.ecs.service_url
}
