"""Does a string look like a credential? One detector for the spec and for ``check``.

The patterns are detect-secrets' plugins (Yelp's maintained detector library,
https://github.com/Yelp/detect-secrets, "Plugins" in its README): well-known key
shapes (AWS access keys, Stripe, GitHub, GitLab, Slack, JWT, PEM private keys, npm,
PyPI, SendGrid, Twilio, ...) and its Shannon-entropy measure for random-looking
strings, with its default limits (4.5 bits for base64, 3.0 for hex). We keep no
list of our own. detect-secrets is imported on first use: ``--help`` stays fast.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from detect_secrets.plugins.base import RegexBasedDetector

# detect-secrets' plugins that recognise a credential by its own shape. Left out on
# purpose: KeywordDetector (``password = ...``: a name next to a value, which the
# spec's name check and check's rules judge), IPPublicDetector (an address is no
# secret) and the entropy plugins, measured separately below.
_SHAPE_PLUGINS = (
    ("aws", "AWSKeyDetector"),
    ("stripe", "StripeDetector"),
    ("github_token", "GitHubTokenDetector"),
    ("gitlab_token", "GitLabTokenDetector"),
    ("slack", "SlackDetector"),
    ("jwt", "JwtTokenDetector"),
    ("private_key", "PrivateKeyDetector"),
    ("npm", "NpmDetector"),
    ("pypi_token", "PypiTokenDetector"),
    ("sendgrid", "SendGridDetector"),
    ("twilio", "TwilioKeyDetector"),
    ("mailchimp", "MailchimpDetector"),
    ("openai", "OpenAIDetector"),
    ("discord", "DiscordBotTokenDetector"),
    ("telegram_token", "TelegramBotTokenDetector"),
    ("square_oauth", "SquareOAuthDetector"),
    ("azure_storage_key", "AzureStorageKeyDetector"),
    ("artifactory", "ArtifactoryDetector"),
    ("basic_auth", "BasicAuthDetector"),
)

# Entropy applies to a whole value, not to words inside a line: a long hex run in a
# file is as often a pinned commit SHA as a key. Shorter values are too short to judge.
_ENTROPY_MIN_LENGTH = 20
_HEX = frozenset(string.hexdigits)


@dataclass(frozen=True)
class Credential:
    """Where a credential-shaped string was seen; never the string itself."""

    line: int  # 1-based
    kind: str  # detect-secrets' secret type, e.g. "AWS Access Key"


@cache
def _shape_detectors() -> tuple[RegexBasedDetector, ...]:
    import importlib

    return tuple(
        getattr(importlib.import_module(f"detect_secrets.plugins.{module}"), name)()
        for module, name in _SHAPE_PLUGINS
    )


def _shape_kind(text: str) -> str | None:
    for detector in _shape_detectors():
        if any(True for _ in detector.analyze_string(text)):
            return str(detector.secret_type)
    return None


def _entropy_kind(value: str) -> str | None:
    from detect_secrets.plugins.high_entropy_strings import (
        Base64HighEntropyString,
        HexHighEntropyString,
    )

    if len(value) < _ENTROPY_MIN_LENGTH:
        return None
    if set(value) <= _HEX:
        hex_plugin = HexHighEntropyString()
        if hex_plugin.calculate_shannon_entropy(value) > hex_plugin.entropy_limit:
            return str(hex_plugin.secret_type)
        return None
    b64_plugin = Base64HighEntropyString()
    if set(value) <= set(b64_plugin.charset) and (
        b64_plugin.calculate_shannon_entropy(value) > b64_plugin.entropy_limit
    ):
        return str(b64_plugin.secret_type)
    return None


def credential_kind(value: str) -> str | None:
    """What kind of credential ``value`` looks like (e.g. "AWS Access Key"), else None.

    For one value a person typed where a name belongs: its shape, then its entropy.
    """
    return _shape_kind(value) or _entropy_kind(value.strip())


def find_credentials(text: str | Sequence[str]) -> Iterator[Credential]:
    """Each line of ``text`` holding a credential of a well-known shape.

    For whole files (Terraform, workflows, Dockerfiles): shapes only, no entropy,
    which a pinned commit SHA or a digest would trip.
    """
    lines = text.splitlines() if isinstance(text, str) else text
    for number, line in enumerate(lines, 1):
        kind = _shape_kind(line)
        if kind is not None:
            yield Credential(number, kind)
