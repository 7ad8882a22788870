"""The ``base_image_support`` rule: every stage's ``FROM`` image is a supported release.

An image is read as its components (the language release, the OS release its tag
names) and each is looked up in the one table of end-of-support dates the generator
keeps (:data:`infraplan.scaffold.runtimes.RELEASES`). A component past its date fails;
an image the table cannot place is ``unknown``, never a pass: only its upstream's
end-of-support date decides it. A tag that names no release (``python:3-slim``,
``alpine``, ``latest``) moves with upstream's releases and is supported by
construction; the ``dockerfile`` rule advises pinning it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from infraplan.check.dockerfiles import base_images
from infraplan.check.plan_context import PlanContext
from infraplan.check.repo_model import RepoModel
from infraplan.check.verdicts import Verdict, worst
from infraplan.findings import Advice, Finding
from infraplan.scaffold.runtimes import DEBIAN_NAMES, RELEASES, Support
from infraplan.spec.types import today

# Within this many days of its end, a supported image gets advice to move on.
SOON_DAYS = 90

# Official images (and their mirrors) by repository name -> (product, release pattern
# on the tag). maven's tags name the Temurin release they are built on.
_LANGUAGE: dict[str, tuple[str, str]] = {
    "python": ("python", r"^(\d+\.\d+)"),
    "node": ("node", r"^(\d+)"),
    "golang": ("go", r"^(\d+\.\d+)"),
    "eclipse-temurin": ("temurin", r"^(\d+)"),
    "maven": ("temurin", r"eclipse-temurin-(\d+)"),
    "alpine": ("alpine", r"^(\d+\.\d+)"),
    "debian": ("debian", r"^(\d+)"),
}
# Node.js LTS lines are also tagged by codename (https://hub.docker.com/_/node).
_NODE_CODENAMES = {"hydrogen": "18", "iron": "20", "jod": "22", "krypton": "24"}
# Tags that name no release: they move with upstream's (python:3-slim, node:lts, alpine).
_FLOATING_WORDS = {"latest", "lts", "current", "slim", "alpine", "jre", "jdk", *DEBIAN_NAMES}
_ALPINE_TAG = re.compile(r"alpine-?(\d+\.\d+)")
# Registries that serve Docker's official images under their own path.
_MIRRORS = re.compile(
    r"^(?:docker\.io/|index\.docker\.io/|registry-1\.docker\.io/|public\.ecr\.aws/docker/|"
    r"mirror\.gcr\.io/)?(?:library/)?"
)


@dataclass(frozen=True)
class ImageSupport:
    image: str
    where: str
    components: tuple[Support, ...]  # empty when the tag moves with upstream
    unknown: str = ""  # why the table cannot place the image


def read_image(image: str, where: str) -> ImageSupport:
    """The components of ``image`` the table knows, or why it cannot place it."""
    reference = image.split("@", 1)[0]
    last = reference.rsplit("/", 1)[-1]
    if not reference or "$" in reference:
        return ImageSupport(
            image or "(empty)",
            where,
            (),
            f"FROM {image or '(empty)'} comes from a build argument with no default; "
            "the image it is given (--build-arg) decides it",
        )
    if "@" in image and ":" not in last:
        return ImageSupport(
            image, where, (), f"{image} is pinned by digest alone: its tag would say the release"
        )
    path, tag = (reference.rsplit(":", 1)) if ":" in last else (reference, "latest")
    name = _MIRRORS.sub("", path.lower())
    tag = tag.lower()
    if name not in _LANGUAGE:
        known = ", ".join(sorted(_LANGUAGE))
        return ImageSupport(
            image,
            where,
            (),
            f"{image} is not an image infraplan's support table places ({known}); "
            "its upstream's end-of-support date decides it",
        )
    keys = _components(name, tag)
    if keys is None:
        return ImageSupport(
            image, where, (), f"{image}: the tag {tag} names no release the table knows"
        )
    components = [RELEASES[k] for k in keys if k in RELEASES]
    missing = [f"{RELEASES_NAMES.get(k[0], k[0])} {k[1]}" for k in keys if k not in RELEASES]
    if missing:
        return ImageSupport(
            image,
            where,
            tuple(components),
            f"{image}: {', '.join(missing)} is not in infraplan's support table; its "
            "upstream's end-of-support date decides it",
        )
    return ImageSupport(image, where, tuple(components))


RELEASES_NAMES = {
    "python": "Python",
    "node": "Node.js",
    "go": "Go",
    "temurin": "Eclipse Temurin",
    "alpine": "Alpine Linux",
    "debian": "Debian",
}


def _components(name: str, tag: str) -> list[tuple[str, str]] | None:
    """(product, release) of each component the tag names; None when the tag is a word
    that is neither a release nor one that moves with upstream."""
    product, pattern = _LANGUAGE[name]
    keys: list[tuple[str, str]] = []
    first = tag.split("-")[0]
    found = re.search(pattern, tag)
    if found is not None:
        keys.append((product, found.group(1)))
    elif product == "node" and first in _NODE_CODENAMES:
        keys.append(("node", _NODE_CODENAMES[first]))
    elif product == "debian" and first in DEBIAN_NAMES:
        keys.append(("debian", DEBIAN_NAMES[first]))
    elif not (first in _FLOATING_WORDS or re.fullmatch(r"\d+", first)):
        return None  # python:3 and golang:1 float; a codename the table lacks does not
    if product != "alpine":
        alpine = _ALPINE_TAG.search(tag)
        if alpine:
            keys.append(("alpine", alpine.group(1)))
    if product != "debian":
        for codename, number in DEBIAN_NAMES.items():
            if re.search(rf"(?:^|-){codename}(?:$|-)", tag):
                keys.append(("debian", number))
    return keys


def _judge(item: ImageSupport, on: dt.date) -> Verdict:
    if item.unknown:
        return Verdict("unknown", item.unknown, [item.where])
    ended = [s for s in item.components if s.ends <= on]
    if ended:
        said = "; ".join(
            f"{s.component} support ended {s.ends.isoformat()}"
            f"{' (expected date)' if s.estimated else ''} ({s.source})"
            for s in ended
        )
        return Verdict("fail", f"{item.where}: FROM {item.image}: {said}", [item.where])
    if not item.components:
        return Verdict(
            "pass", f"{item.image} moves with upstream's supported releases", [item.where]
        )
    until = min(s.ends for s in item.components)
    return Verdict("pass", f"{item.image} is supported until {until.isoformat()}", [item.where])


def judge_images(repo: RepoModel, on: dt.date) -> Finding:
    rule = "base_image_support"
    items = [
        read_image(image, f"{dockerfile.path}:{instruction.line}")
        for dockerfile in repo.dockerfiles
        for image, instruction in base_images(dockerfile)
    ]
    advice = []
    for item in items:
        soon = [s for s in item.components if on < s.ends <= on + dt.timedelta(days=SOON_DAYS)]
        for support in soon:
            advice.append(
                Advice(
                    f"{item.image}: {support.component} support ends {support.ends.isoformat()};"
                    " move to a newer release",
                    (item.where,),
                )
            )
    none = (
        "no Dockerfile FROM image to judge"
        if not repo.dockerfiles
        else ("no external base image in the Dockerfiles (FROM scratch or earlier stages only)")
    )
    if repo.dockerfiles and not items:
        return worst(rule, [Verdict("pass", none, [])], none, advice=advice)
    return worst(rule, [_judge(i, on) for i in items], none, advice=advice)


def base_image_support(repo: RepoModel, plan: PlanContext) -> Finding:
    """Judged on today's date (or the day SOURCE_DATE_EPOCH names, for reproducible output):
    an image supported when the repository was generated can age out of support since."""
    return judge_images(repo, today())
