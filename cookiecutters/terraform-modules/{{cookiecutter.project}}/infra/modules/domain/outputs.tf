{% if cookiecutter._https.domain %}
output "certificate_arn" {
  description = "The certificate the HTTPS listener serves: issued (validation done), or the one made elsewhere."
  value       = var.certificate_arn != null ? var.certificate_arn : aws_acm_certificate_validation.this[0].certificate_arn
}

output "fqdn" {
  description = "The name the service answers at."
  value       = aws_route53_record.alias.fqdn
}
{% endif %}
