{% if cookiecutter._https.domain %}
# The service's name: an ACM certificate for it, validated by DNS in the hosted
# zone, and the alias records that point the name at the load balancer.
# Generated only when plan.yaml sets service.domain.
#
# DNS validation, the pattern of the AWS provider's aws_acm_certificate_validation
# documentation (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/acm_certificate_validation):
# the certificate, one validation record per name ACM asks for, and a
# validation resource that waits until ACM has issued it, so the HTTPS listener
# only ever gets an issued certificate. ACM renews a DNS-validated certificate
# by itself while the validation record stays ("Managed renewal", AWS
# Certificate Manager User Guide).

data "aws_route53_zone" "this" {
  zone_id      = var.hosted_zone_id
  name         = var.hosted_zone_name
  private_zone = false
}

resource "aws_acm_certificate" "this" {
  # A certificate made elsewhere (var.certificate_arn) replaces this one.
  count = var.certificate_arn == null ? 1 : 0

  domain_name       = var.domain_name
  validation_method = "DNS"

  options {
    certificate_transparency_logging_preference = "ENABLED"
  }

  # A new name is a new certificate: the listener moves to it before the old
  # one is deleted (a certificate in use cannot be).
  lifecycle {
    create_before_destroy = true
  }

  tags = var.tags
}

resource "aws_route53_record" "validation" {
  for_each = {
    for option in flatten(aws_acm_certificate.this[*].domain_validation_options) : option.domain_name => {
      name   = option.resource_record_name
      type   = option.resource_record_type
      record = option.resource_record_value
    }
  }

  zone_id         = data.aws_route53_zone.this.zone_id
  name            = each.value.name
  type            = each.value.type
  records         = [each.value.record]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "this" {
  count = var.certificate_arn == null ? 1 : 0

  certificate_arn         = aws_acm_certificate.this[0].arn
  validation_record_fqdns = [for record in aws_route53_record.validation : record.fqdn]

  # ACM usually validates within minutes of the record; a zone whose
  # delegation is wrong never does, and the apply says so here.
  timeouts {
    create = "45m"
  }
}

# Alias records: answered by Route 53 with the load balancer's current
# addresses, and free of query charges ("Amazon Route 53 pricing", alias
# queries to Elastic Load Balancing). The load balancer is IPv4 only, so there
# is an A record and no AAAA.
resource "aws_route53_record" "alias" {
  zone_id = data.aws_route53_zone.this.zone_id
  name    = var.domain_name
  type    = "A"

  alias {
    name                   = var.load_balancer_dns_name
    zone_id                = var.load_balancer_zone_id
    evaluate_target_health = true
  }
}
{% endif %}
