"""The ``https`` rule: the load balancer serves HTTPS and HTTP only redirects to it; with
the plan's domain, by a certificate ACM validates by DNS and an alias record of the name.

Hand-written repositories write this as ``aws_lb_listener`` resources (or the listeners of
terraform-aws-modules/alb), ``aws_acm_certificate`` + ``aws_acm_certificate_validation`` +
``aws_route53_record`` (or terraform-aws-modules/acm): the registry modules arrive here
as the resources they create (:mod:`infraplan.check.registry_modules`).
"""

from __future__ import annotations

from typing import Any

from infraplan.check.plan_context import PlanContext, Stated
from infraplan.check.repo_model import RepoModel
from infraplan.check.terraform_types import Resource, first_block, is_expression
from infraplan.check.verdicts import against_plan, conflict, verdict, worst
from infraplan.findings import Advice, Finding

RULE = "https"
LISTENERS = ("aws_lb_listener", "aws_alb_listener")
# What AWS recommends for new HTTPS listeners ("Security policies for your Application
# Load Balancer"); older policies still work, and earn advice.
MODERN_POLICY_PREFIX = "ELBSecurityPolicy-TLS13-"


def _protocol(listener: Resource) -> str:
    protocol = listener.attrs.get("protocol")
    if isinstance(protocol, str) and not is_expression(protocol):
        return protocol.upper()
    return "HTTPS" if listener.attrs.get("certificate_arn") else "HTTP"


def _action(listener: Resource) -> dict[str, Any]:
    return listener.nested("default_action")


def _redirects_to_https(listener: Resource) -> bool:
    action = _action(listener)
    redirect = first_block(action.get("redirect"))
    return action.get("type") == "redirect" and str(redirect.get("protocol", "")).upper() == (
        "HTTPS"
    )


def _conditional(resource: Resource) -> bool:
    """Created or not depending on a value only terraform knows (count = local.https ? ...)."""
    return any(is_expression(resource.attrs.get(key)) for key in ("count", "for_each"))


def _names(resources: list[Resource]) -> str:
    return ", ".join(list(dict.fromkeys(r.address for r in resources))[:3])


def https(repo: RepoModel, plan: PlanContext) -> Finding:
    listeners = repo.terraform.of_type(*LISTENERS)
    secure = [x for x in listeners if _protocol(x) == "HTTPS"]
    if not secure:
        where = [x.where("protocol") for x in listeners]
        said = "no load balancer listener" if not listeners else "every listener is plain HTTP"
        return _missing(plan, f"{said}: nothing serves HTTPS", where)
    evidence = [x.where("protocol") for x in secure]
    redirects = [x for x in listeners if _protocol(x) == "HTTP" and _redirects_to_https(x)]
    forwarding = [
        x
        for x in listeners
        if _protocol(x) == "HTTP" and not _redirects_to_https(x) and not _conditional(x)
    ]
    if forwarding or not redirects:
        plain = forwarding or [x for x in listeners if _protocol(x) == "HTTP"]
        where = [x.where("default_action") for x in plain] or evidence
        return _missing(plan, "plain HTTP is served, not redirected to HTTPS", where)
    evidence += [x.where("default_action") for x in redirects]
    advice = _policy_advice(secure)
    domain = plan.stated("service", "domain")
    certificate = plan.stated("service", "certificate_arn")
    if domain is not None and domain.value is not None:
        return _by_name(repo, plan, domain, secure, evidence, advice)
    if certificate is not None and certificate.value is not None:
        given = [
            (x, x.attrs.get("certificate_arn"))
            for x in secure
            if isinstance(x.attrs.get("certificate_arn"), str)
        ]
        for listener, arn in given:
            if not is_expression(arn) and arn != certificate.value:
                found = conflict(
                    f"{listener.address}: the certificate",
                    arn,
                    [listener.where("certificate_arn")],
                    certificate,
                )
                return worst(RULE, [found], "")
    certs = repo.terraform.of_type("aws_acm_certificate")
    made = f"; certificate from {_names(certs)}" if certs else ""
    reason = f"HTTPS on {_names(secure)}, HTTP redirected by {_names(redirects)}{made}"
    return verdict(RULE, "pass", reason, evidence, advice=advice)


def _missing(plan: PlanContext, reason: str, where: list[str]) -> Finding:
    """A failure; with a plan that asks for HTTPS, the plan's line decides it."""
    asked = plan.stated("service", "domain") or plan.stated("service", "certificate_arn")
    if asked is not None and asked.value is not None:
        return against_plan(RULE, f"{reason}; {asked.said()}", where, asked)
    return verdict(RULE, "fail", reason, where)


def _policy_advice(secure: list[Resource]) -> list[Advice]:
    old = [
        x
        for x in secure
        if isinstance(x.attrs.get("ssl_policy"), str)
        and not is_expression(x.attrs["ssl_policy"])
        and not x.attrs["ssl_policy"].startswith(MODERN_POLICY_PREFIX)
    ]
    unset = [x for x in secure if "ssl_policy" not in x.attrs]
    out = []
    if old or unset:
        out.append(
            Advice(
                "use a TLS 1.3 security policy (AWS recommends "
                "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09); without ssl_policy the API "
                "default is ELBSecurityPolicy-2016-08",
                tuple(x.where("ssl_policy") for x in old + unset),
            )
        )
    return out


def _by_name(
    repo: RepoModel,
    plan: PlanContext,
    domain: Stated,
    secure: list[Resource],
    evidence: list[str],
    advice: list[Advice],
) -> Finding:
    """The plan names the service: a certificate validated by DNS, waited for, an alias
    record of the name; a name written in the code is one of the plan's."""
    spec = plan.spec
    names = {n for n in (spec.domain(e.name) for e in spec.environments) if n}
    certs = repo.terraform.of_type("aws_acm_certificate")
    records = repo.terraform.of_type("aws_route53_record")
    aliases = [r for r in records if r.nested_all("alias")]
    given = plan.stated("service", "certificate_arn")
    if given is None or given.value is None:
        if not certs:
            imported = repo.terraform.lookups("aws_acm_certificate")
            said = (
                f'only looked up with data "aws_acm_certificate" ({_names(imported)})'
                if imported
                else "no aws_acm_certificate (nor terraform-aws-modules/acm)"
            )
            where = evidence + [r.where() for r in imported]
            return against_plan(
                RULE, f"the plan names the service, but the certificate is {said}", where, domain
            )
        for cert in certs:
            method = cert.attrs.get("validation_method")
            if isinstance(method, str) and not is_expression(method) and method != "DNS":
                reason = (
                    f"{cert.address} is validated by {method}, not DNS: ACM renews it only "
                    "when someone answers; the plan's domain is validated in its hosted zone"
                )
                return against_plan(RULE, reason, [cert.where("validation_method")], domain)
        if not repo.terraform.of_type("aws_acm_certificate_validation"):
            reason = (
                "no aws_acm_certificate_validation: nothing waits for the certificate to be "
                "issued before the listener uses it"
            )
            return against_plan(RULE, reason, [c.where() for c in certs], domain)
        for cert in certs:
            name = cert.attrs.get("domain_name")
            if isinstance(name, str) and not is_expression(name) and name not in names:
                wanted = Stated(", ".join(sorted(names)), domain.where, domain.default)
                found = conflict(
                    f"{cert.address}: the certificate's name",
                    name,
                    [cert.where("domain_name")],
                    wanted,
                )
                return worst(RULE, [found], "")
    if not aliases:
        reason = "no Route 53 alias record points the plan's name at the load balancer"
        return against_plan(RULE, reason, [*evidence, *(r.where() for r in records)], domain)
    for record in aliases:
        name = record.attrs.get("name")
        if isinstance(name, str) and not is_expression(name) and name.rstrip(".") not in names:
            wanted = Stated(", ".join(sorted(names)), domain.where, domain.default)
            found = conflict(
                f"{record.address}: the alias record", name, [record.where("name")], wanted
            )
            return worst(RULE, [found], "")
    evidence += [c.where("validation_method") for c in certs] + [a.where("alias") for a in aliases]
    shown = sorted({str(c.attrs.get("domain_name")) for c in certs if c.attrs.get("domain_name")})
    literal = [n for n in shown if not is_expression(n)]
    named = f" for {', '.join(literal[:3])}" if literal else ""
    reason = (
        f"HTTPS on {_names(secure)} with an ACM certificate{named} validated by DNS, "
        f"alias record {_names(aliases)}, HTTP redirected"
    )
    return verdict(RULE, "pass", reason, evidence, advice=advice)
