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

moved {
  from = module.network
  to   = module.stack.module.network
}

moved {
  from = module.ecr
  to   = module.stack.module.ecr
}

moved {
  from = module.secrets
  to   = module.stack.module.secrets
}

moved {
  from = module.ecs
  to   = module.stack.module.ecs
}

moved {
  from = module.monitoring
  to   = module.stack.module.monitoring
}

moved {
  from = module.ci_oidc
  to   = module.stack.module.ci_oidc
}

moved {
  from = module.budget
  to   = module.stack.module.budget
}
