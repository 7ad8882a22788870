"""The ``https`` rule on the ways repositories write HTTPS: plain resources, the
terraform-aws-modules acm and alb modules, a certificate made elsewhere, and the traps
(email validation, no wait for issuance, port 80 still forwarding)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from infraplan.findings import Finding

from .check_support import plan
from .test_check_verdict_model import HTTPS

Judge = Callable[..., dict[str, Finding]]

BY_NAME = plan(
    """
    service: {domain: api.example.com, hosted_zone: example.com}
    environments: [{name: production}]
    """
)
CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/abc"
BY_CERTIFICATE = plan(f"service: {{certificate_arn: '{CERTIFICATE}'}}\n")

MODULES = """
module "acm" {
  source      = "terraform-aws-modules/acm/aws"
  version     = "~> 6.0"
  domain_name = "api.example.com"
  zone_id     = "Z0123456789ABCDEFGHIJ"

  validation_method = "DNS"
}

module "alb" {
  source  = "terraform-aws-modules/alb/aws"
  version = "~> 9.0"

  listeners = {
    http = {
      port     = 80
      protocol = "HTTP"
      redirect = {
        port        = "443"
        protocol    = "HTTPS"
        status_code = "HTTP_301"
      }
    }
    https = {
      port            = 443
      protocol        = "HTTPS"
      certificate_arn = module.acm.acm_certificate_arn
      forward = {
        target_group_key = "app"
      }
    }
  }

  route53_records = {
    api = {
      zone_id = "Z0123456789ABCDEFGHIJ"
      name    = "api.example.com"
      type    = "A"
    }
  }
}
"""


def test_resources_by_name_pass_and_report_what_they_found(judge: Judge) -> None:
    found = judge({"infra/https.tf": HTTPS}, BY_NAME)["https"]
    assert found.status == "pass", found
    assert "api.example.com validated by DNS" in found.reason
    assert "infra/https.tf:" in found.evidence[0]
    without_plan = judge({"infra/https.tf": HTTPS})["https"]
    assert without_plan.status == "pass"
    assert "HTTPS on aws_lb_listener.https" in without_plan.reason


def test_the_terraform_aws_modules_count_with_their_defaults(judge: Judge) -> None:
    found = judge({"infra/main.tf": MODULES}, BY_NAME)["https"]
    assert found.status == "pass", found
    # the alb module's HTTPS default policy is a TLS 1.3 one: no advice
    assert found.advice == ()
    # the acm module without validation_method neither validates nor waits
    unvalidated = MODULES.replace('  validation_method = "DNS"\n', "")
    found = judge({"infra/main.tf": unvalidated}, BY_NAME)["https"]
    assert found.status == "fail" and "aws_acm_certificate_validation" in found.reason


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ('validation_method = "DNS"', 'validation_method = "EMAIL"', "validated by EMAIL"),
        ('resource "aws_acm_certificate_validation"', 'resource "aws_x"', "nothing waits"),
        ('resource "aws_acm_certificate" "api"', 'data "aws_acm_certificate" "api"', "looked up"),
        ("  alias {\n", "  x {\n", "no Route 53 alias record"),
        ('name = "api.example.com"\n  type', 'name = "www.example.org"\n  type', "www.example.org"),
        ('type = "redirect"', 'type = "forward"', "plain HTTP is served"),
        ('protocol        = "HTTPS"', 'protocol        = "HTTP"', "nothing serves HTTPS"),
    ],
)
def test_a_plan_by_name_fails_what_falls_short(
    judge: Judge, old: str, new: str, words: str
) -> None:
    assert old in HTTPS
    found = judge({"infra/https.tf": HTTPS.replace(old, new, 1)}, BY_NAME)["https"]
    assert found.status == "fail", found
    assert words in found.reason, found
    assert found.decided_at.startswith("plan.yaml:"), found


def test_a_forwarding_listener_created_only_without_https_is_no_failure(judge: Judge) -> None:
    """The generated ecs module keeps both listeners of port 80, each created or not by
    whether HTTPS is on (count = local.https ? 0 : 1): only the redirect runs with HTTPS."""
    forward = """
resource "aws_lb_listener" "http_forward" {
  count    = local.https ? 0 : 1
  port     = 80
  protocol = "HTTP"
  default_action {
    type = "forward"
  }
}
"""
    found = judge({"infra/https.tf": HTTPS + forward}, BY_NAME)["https"]
    assert found.status == "pass", found
    always = forward.replace("  count    = local.https ? 0 : 1\n", "")
    found = judge({"infra/https.tf": HTTPS + always}, BY_NAME)["https"]
    assert found.status == "fail" and "plain HTTP" in found.reason


def test_a_certificate_made_elsewhere_needs_no_acm_resource(judge: Judge) -> None:
    listeners = HTTPS.split('resource "aws_lb_listener" "https"')[1]
    code = 'resource "aws_lb_listener" "https"' + listeners.replace(
        "aws_acm_certificate_validation.api.certificate_arn", f'"{CERTIFICATE}"'
    )
    assert judge({"infra/https.tf": code}, BY_CERTIFICATE)["https"].status == "pass"
    other = code.replace("certificate/abc", "certificate/other")
    found = judge({"infra/https.tf": other}, BY_CERTIFICATE)["https"]
    assert found.status == "fail" and "certificate/other" in found.reason
    assert found.decided_at.startswith("plan.yaml:")


def test_plain_http_fails_without_a_plan_and_is_skipped_by_a_plan_without_https(
    judge: Judge,
) -> None:
    http = """
resource "aws_lb_listener" "http" {
  port     = 80
  protocol = "HTTP"
  default_action {
    type = "forward"
  }
}
"""
    found = judge({"infra/lb.tf": http})["https"]
    assert found.status == "fail" and "nothing serves HTTPS" in found.reason
    assert not found.decided_at
    assert judge({"infra/lb.tf": http}, plan())["https"].status == "skipped"


def test_an_old_tls_policy_is_advice_not_a_failure(judge: Judge) -> None:
    old = HTTPS.replace("ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-2016-08")
    found = judge({"infra/https.tf": old}, BY_NAME)["https"]
    assert found.status == "pass"
    assert "TLS 1.3" in found.advice[0].text


def test_the_good_handwritten_repo_serves_the_plans_name() -> None:
    """Its certificate comes from terraform-aws-modules/acm, the name from the root's input."""
    from infraplan.check import check_repository

    from .check_support import FIXTURES, findings

    spec = plan(
        """
        service: {domain: shop.example.com, hosted_zone: example.com}
        environments: [{name: prod}]
        """
    )
    root = FIXTURES / "handwritten_good"
    found = findings(check_repository(root, spec, use_cache=False, progress=False))["https"]
    assert found.status == "pass", found
    assert "for shop.example.com validated by DNS" in found.reason
    other = plan(
        """
        service: {domain: www.example.org, hosted_zone: example.org}
        environments: [{name: prod}]
        """
    )
    found = findings(check_repository(root, other, use_cache=False, progress=False))["https"]
    assert found.status == "fail" and "shop.example.com" in found.reason
