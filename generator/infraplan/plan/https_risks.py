"""The risk row of a plan whose service is plain HTTP: no ``service.domain`` and no
``service.certificate_arn``, so the load balancer serves HTTP at its own address."""

from __future__ import annotations

from infraplan.catalogue import Lang
from infraplan.spec.model import Spec
from infraplan.spec.types import Level

_PLAIN_HTTP: dict[Lang, tuple[str, str]] = {
    "es": (
        "El servicio responde por HTTP sin cifrar en la dirección del balanceador: las "
        "peticiones, sus cookies y credenciales viajan en claro, y ningún nombre propio "
        "apunta al servicio",
        "Poner service.domain y service.hosted_zone en plan.yaml (certificado de ACM validado "
        "por DNS, registro alias, HTTP redirigido a HTTPS) o service.certificate_arn con un "
        "certificado existente, y ejecutar infraplan update",
    ),
    "en": (
        "The service answers plain, unencrypted HTTP at the load balancer's address: "
        "requests, their cookies and credentials travel in the clear, and no name of its "
        "own points at the service",
        "Set service.domain and service.hosted_zone in plan.yaml (an ACM certificate "
        "validated by DNS, an alias record, HTTP redirected to HTTPS) or "
        "service.certificate_arn with an existing certificate, and run infraplan update",
    ),
}


def transport_risks(spec: Spec, lang: Lang) -> list[tuple[str, Level, Level, str]]:
    """(risk, probability, impact, mitigation) when the service is plain HTTP, else none."""
    if spec.service.https:
        return []
    risk, mitigation = _PLAIN_HTTP[lang]
    return [(risk, "high", "high", mitigation)]


# The risk column of that row: the Markdown importer leaves the rows infraplan adds itself.
TRANSPORT_RISK_TEMPLATES: tuple[str, ...] = tuple(text for text, _ in _PLAIN_HTTP.values())
