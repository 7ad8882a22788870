"""Helpers of the Terraform template tests: rendering, HCL, the provider schema, checkov."""
