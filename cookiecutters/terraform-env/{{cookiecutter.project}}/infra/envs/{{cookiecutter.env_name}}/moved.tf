# Earlier infraplan layouts declared the stack's resources in this root; they
# now live in infra/modules/stack. These blocks move them in the state at the
# next plan, so nothing is destroyed or re-created.
# https://developer.hashicorp.com/terraform/language/modules/develop/refactoring

moved {
  from = aws_kms_key.stack
  to   = module.stack.aws_kms_key.stack
}

moved {
  from = aws_kms_alias.stack
  to   = module.stack.aws_kms_alias.stack
}
{% for name in ["network", "ecr", "secrets", "ecs", "monitoring", "ci_oidc", "budget"] %}

moved {
  from = module.{{ name }}
  to   = module.stack.module.{{ name }}
}
{% endfor %}
