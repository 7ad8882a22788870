# Your own values for the bootstrap of checkout (variables.tf lists them).
# infraplan writes this file once and never changes it.

# The account already has a GitHub OIDC provider (EntityAlreadyExists on the
# first apply): "import" takes it over, "lookup" leaves it to its owner.
# github_oidc_provider = "import"
