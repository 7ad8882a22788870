# How the load balancer serves the service: the ecs module's listeners read
# local.https and local.certificate_arn.
{% if cookiecutter._https.domain %}
#
# plan.yaml names the service (service.domain): the domain module makes the
# certificate (or takes var.certificate_arn) and the alias record, port 443
# serves HTTPS and port 80 redirects to it.

variable "domain" {
  description = "The name this environment answers at (plan.yaml's service.domain, per environment)."
  type        = string
}

variable "hosted_zone_id" {
  description = "Id of the existing public hosted zone of the domain; null to find it by hosted_zone_name."
  type        = string
  default     = null
}

variable "hosted_zone_name" {
  description = "Name of the existing public hosted zone of the domain, when hosted_zone_id is null."
  type        = string
  default     = null
}

locals {
  # Known while planning: the certificate is validated in the same apply.
  https           = true
  certificate_arn = module.domain.certificate_arn
  service_url     = "https://${module.domain.fqdn}"
}

module "domain" {
  source = "../domain"

  domain_name            = var.domain
  hosted_zone_id         = var.hosted_zone_id
  hosted_zone_name       = var.hosted_zone_name
  certificate_arn        = var.certificate_arn
  load_balancer_dns_name = module.ecs.load_balancer_dns_name
  load_balancer_zone_id  = module.ecs.load_balancer_zone_id
}
{% else %}
#
# No service.domain in plan.yaml: HTTPS with var.certificate_arn when it is
# set (port 80 then redirects), plain HTTP at the load balancer's address
# otherwise (the plan's risk table says so).

locals {
  https           = var.certificate_arn != null
  certificate_arn = var.certificate_arn
  service_url     = module.ecs.service_url
}
{% endif %}
