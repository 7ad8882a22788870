"""Which registry a workflow step pushes an image to, and with which tag.

An image reference names its registry host first (``ghcr.io/acme/api``,
``123.dkr.ecr.eu-west-1.amazonaws.com/api``); without a host it is Docker Hub.
A host read at runtime (``$REGISTRY``, ``${{ steps.login.outputs.registry }}``,
an SSM parameter) is decided by what the job logged in to: a job that logs in to
ECR and pushes to a registry it reads at runtime pushes to ECR.
See https://docs.docker.com/reference/cli/docker/image/tag/ for the reference form.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from infraplan.check.workflows import Job, Step

ECR_LOGIN_ACTION = "aws-actions/amazon-ecr-login"
_ECR_HOST = re.compile(r"\.dkr\.ecr\.|^public\.ecr\.aws$", re.I)
_ECR_CLI_LOGIN = re.compile(r"\baws\s+ecr(?:-public)?\s+get-login-password\b")
_EXPRESSION = re.compile(r"\$\{\{.*?\}\}|\$\{?\w+\}?")


@dataclass(frozen=True)
class Push:
    step: Step
    image: str  # as written
    host: str  # "docker.io", "ghcr.io", an ECR host, or "" when read at runtime

    @property
    def tag(self) -> str:
        """The tag as written ("" when none: docker pushes ``latest``)."""
        name = self.image.rsplit("/", 1)[-1]
        return name.split(":", 1)[1] if ":" in name and "@" not in name else ""

    @property
    def fixed_tag(self) -> str | None:
        """The tag when it is the same on every run (``latest``, ``v1``), else None."""
        tag = self.tag or "latest"
        return None if _EXPRESSION.search(tag) or "$" in tag else tag


def _host(image: str) -> str:
    first, sep, _ = image.partition("/")
    if _EXPRESSION.match(first) or "$" in first:
        return ""  # the whole reference, or its host, is read at runtime
    if not sep:
        return "docker.io"
    if "." in first or ":" in first or first == "localhost":
        return first.lower()
    return "docker.io"


def _images(step: Step) -> list[str]:
    if step.action == "docker/build-push-action":
        if str(step.with_.get("push", "")).lower() != "true":
            return []
        tags = str(step.with_.get("tags") or "")
        return [t.strip() for t in re.split(r"[,\n]", tags) if t.strip()] or ["<untagged>"]
    images: list[str] = []
    for line in step.run.splitlines():
        words = _words(line)
        for index, word in enumerate(words):
            if word not in ("docker", "podman"):
                continue
            rest = words[index + 1 :]
            if rest[:1] == ["image"]:
                rest = rest[1:]
            if rest[:1] == ["push"]:
                images += [w for w in rest[1:] if not w.startswith("-")][:1]
            elif "--push" in rest and ("build" in rest[:2] or rest[:1] == ["buildx"]):
                images += [rest[n + 1] for n, w in enumerate(rest[:-1]) if w in ("-t", "--tag")]
                images += [w.split("=", 1)[1] for w in rest if w.startswith("--tag=")]
    return [_assigned(i, step.run) for i in images]


_GITHUB_EXPRESSION = re.compile(r"\$\{\{.*?\}\}")


def _words(line: str) -> list[str]:
    """Shell words of one line, with ``${{ ... }}`` kept whole."""
    kept: list[str] = []

    def hide(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"\0{len(kept) - 1}\0"

    try:
        words = shlex.split(_GITHUB_EXPRESSION.sub(hide, line), comments=True)
    except ValueError:
        return []
    return [re.sub(r"\0(\d+)\0", lambda m: kept[int(m.group(1))], w) for w in words]


def _assigned(image: str, run: str) -> str:
    """``$image`` replaced by its value when the same script assigns it (``image="..."``)."""
    name = re.fullmatch(r"\$\{?(\w+)\}?", image)
    if not name:
        return image
    value = re.search(rf"^\s*(?:export\s+)?{name.group(1)}=(\S+)", run, re.M)
    if not value:
        return image
    words = _words(value.group(1))
    return words[0] if words else image


def logs_in_to_ecr(job: Job) -> bool:
    for step in job.steps:
        if step.action == ECR_LOGIN_ACTION or _ECR_CLI_LOGIN.search(step.run):
            return True
        if step.action == "docker/login-action" and _ECR_HOST.search(
            str(step.with_.get("registry", ""))
        ):
            return True
    return False


def login_hosts(job: Job) -> list[str]:
    """Registries a job logs in to with docker/login-action (Docker Hub when unnamed)."""
    return [
        str(s.with_.get("registry") or "docker.io").lower()
        for s in job.steps
        if s.action == "docker/login-action"
    ]


def pushes_of(job: Job, step: Step) -> list[Push]:
    out = []
    for image in _images(step):
        host = _host(image)
        if not host:  # read at runtime: what the job logged in to decides
            if logs_in_to_ecr(job) or "ecr" in image.lower():
                host = "ECR"
            else:
                logged = [h for h in login_hosts(job) if not _EXPRESSION.search(h)]
                host = logged[0] if logged else ""
        out.append(Push(step, image, host))
    return out


def is_ecr(push: Push) -> bool:
    return push.host == "ECR" or bool(_ECR_HOST.search(push.host))


def registry_name(host: str) -> str:
    if host == "docker.io":
        return "Docker Hub"
    return host or "a registry read at runtime"
