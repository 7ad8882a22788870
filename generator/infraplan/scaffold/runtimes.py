"""Base images and toolchains of each runtime, with the dates their support ends.

One table: the Dockerfile template takes its ``FROM`` images from here, the CI
template its language versions, and ``.github/dependabot.yml`` its package
ecosystem. A test fails once any date below has passed, so a release of
infraplan never generates an image that its upstream no longer patches.

Where the dates come from (read 2026-11):

- Python: https://endoflife.date/python (3.14: security fixes to 2030-10)
- Node.js: https://endoflife.date/nodejs (24 LTS: to 2028-04-30; 20 ended 2026-04-30)
- Go: https://endoflife.date/go and https://go.dev/doc/devel/release#policy
  (a release is supported until two newer ones are out, one in February and
  one in August: 1.23 ended 2025-08-12 and 1.24 2026-02-11; 1.27 came out in
  August 2026 (https://go.dev/doc/go1.27), which ended 1.25; 1.26 ends with
  1.28, expected 2027-02, and 1.27 with 1.29, expected 2027-08)
- Eclipse Temurin: https://adoptium.net/support/ and
  https://endoflife.date/eclipse-temurin (25 LTS: at least 2031-09)
- Alpine Linux: https://endoflife.date/alpine (3.24, out 2026-05: to 2028-05-01;
  3.23: to 2027-11-01; 3.20 ended 2026-04-01, 3.21 on 2026-11-01)
- Debian: https://endoflife.date/debian (13 "trixie": security support to
  2028-08-09; 12 "bookworm" ended 2026-06-10)

Image tags follow the Docker Official Images (https://hub.docker.com/_/python,
/_/node, /_/golang, /_/eclipse-temurin, /_/maven, /_/alpine): a full version
and the OS release it is built on, so Dependabot's ``docker`` updates can move
them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Support:
    """One component of an image (language, OS) and the day its support ends."""

    component: str
    ends: dt.date
    source: str
    estimated: bool = False  # the upstream gives a rule, not a date


@dataclass(frozen=True)
class Runtime:
    name: str
    build_image: str
    run_image: str
    # The version the CI template's setup action installs; "" when CI reads it from
    # the Dockerfile (go) or installs nothing (generic).
    ci_version: str
    # Dependabot's package-ecosystem for the application's dependencies, or None.
    ecosystem: str | None
    support: tuple[Support, ...]
    # The container health check: a command the final image has; "%s" is the health
    # URL. ECS runs it from the task definition (it ignores a Dockerfile HEALTHCHECK:
    # https://docs.aws.amazon.com/AmazonECS/latest/developerguide/healthcheck.html);
    # the Dockerfile's HEALTHCHECK runs the same command under `docker run`.
    probe: tuple[str, ...] = ("wget", "-q", "-O", "/dev/null", "%s")

    def health_command(self, url: str) -> list[str]:
        """The probe of ``url`` as an exec-form command."""
        return [part.replace("%s", url) for part in self.probe]

    @property
    def supported_until(self) -> dt.date:
        """The first day one of the image's components is no longer supported."""
        return min(s.ends for s in self.support)

    def context(self) -> dict[str, Any]:
        """What the templates read (``cookiecutter._runtime``)."""
        return {
            "build_image": self.build_image,
            "run_image": self.run_image,
            "ci_version": self.ci_version,
            "ecosystem": self.ecosystem or "",
            "supported_until": self.supported_until.isoformat(),
        }


def _releases(
    product: str, name: str, source: str, ends: dict[str, dt.date], estimated: tuple[str, ...] = ()
) -> dict[tuple[str, str], Support]:
    return {
        (product, cycle): Support(f"{name} {cycle}", day, source, cycle in estimated)
        for cycle, day in ends.items()
    }


# Every release whose end of support infraplan knows, by (product, release): the runtimes
# below take their components from here, and `check` judges a Dockerfile's FROM images by
# it (base_image_support). Same sources as above; Debian counts its security support (not
# the volunteer LTS that follows), as Docker's images stop being rebuilt with it.
RELEASES: dict[tuple[str, str], Support] = {
    **_releases(
        "python",
        "Python",
        "https://endoflife.date/python",
        {
            "3.8": dt.date(2024, 10, 7),
            "3.9": dt.date(2025, 10, 31),
            "3.10": dt.date(2026, 10, 31),
            "3.11": dt.date(2027, 10, 31),
            "3.12": dt.date(2028, 10, 31),
            "3.13": dt.date(2029, 10, 31),
            "3.14": dt.date(2030, 10, 31),
        },
    ),
    **_releases(
        "node",
        "Node.js",
        "https://endoflife.date/nodejs",
        {
            "18": dt.date(2025, 4, 30),
            "20": dt.date(2026, 4, 30),
            "22": dt.date(2027, 4, 30),
            "24": dt.date(2028, 4, 30),
        },
    ),
    **_releases(
        "go",
        "Go",
        "https://go.dev/doc/devel/release#policy",
        {
            "1.22": dt.date(2025, 2, 11),
            "1.23": dt.date(2025, 8, 12),
            "1.24": dt.date(2026, 2, 11),
            "1.25": dt.date(2026, 8, 11),
            "1.26": dt.date(2027, 2, 11),
            "1.27": dt.date(2027, 8, 10),
        },
        estimated=("1.26", "1.27"),
    ),
    **_releases(
        "temurin",
        "Eclipse Temurin",
        "https://adoptium.net/support/",
        {"25": dt.date(2031, 9, 30)},
    ),
    **_releases(
        "alpine",
        "Alpine Linux",
        "https://endoflife.date/alpine",
        {
            "3.18": dt.date(2025, 5, 9),
            "3.19": dt.date(2025, 11, 1),
            "3.20": dt.date(2026, 4, 1),
            "3.21": dt.date(2026, 11, 1),
            "3.22": dt.date(2027, 5, 1),
            "3.23": dt.date(2027, 11, 1),
            "3.24": dt.date(2028, 5, 1),
        },
    ),
    **_releases(
        "debian",
        "Debian",
        "https://endoflife.date/debian",
        {
            "10": dt.date(2022, 9, 10),
            "11": dt.date(2024, 8, 14),
            "12": dt.date(2026, 6, 10),
            "13": dt.date(2028, 8, 9),
        },
    ),
}
# Debian's release names, as image tags carry them (python:3.14-slim-trixie).
DEBIAN_NAMES = {"buster": "10", "bullseye": "11", "bookworm": "12", "trixie": "13"}

_ALPINE = RELEASES[("alpine", "3.23")]
_TRIXIE = replace(RELEASES[("debian", "13")], component="Debian 13 (trixie)")

RUNTIMES: dict[str, Runtime] = {
    "python": Runtime(
        "python",
        build_image="python:3.14.3-slim-trixie",
        run_image="python:3.14.3-slim-trixie",
        ci_version="3.14",
        ecosystem="pip",
        probe=("python", "-c", 'import urllib.request; urllib.request.urlopen("%s", timeout=4)'),
        support=(
            RELEASES[("python", "3.14")],
            _TRIXIE,
        ),
    ),
    "node": Runtime(
        "node",
        build_image="node:24.12.0-alpine3.23",
        run_image="node:24.12.0-alpine3.23",
        ci_version="24",
        ecosystem="npm",
        probe=(
            "node",
            "-e",
            'fetch("%s").then(function (r) { process.exit(r.ok ? 0 : 1); }, '
            "function () { process.exit(1); })",
        ),
        support=(
            replace(RELEASES[("node", "24")], component="Node.js 24 LTS"),
            _ALPINE,
        ),
    ),
    "go": Runtime(
        "go",
        build_image="golang:1.27.1-alpine3.24",
        run_image="alpine:3.24.2",
        ci_version="",
        ecosystem="gomod",
        support=(
            RELEASES[("go", "1.27")],
            RELEASES[("alpine", "3.24")],
        ),
    ),
    "java": Runtime(
        "java",
        build_image="maven:3.9.14-eclipse-temurin-25-alpine",
        run_image="eclipse-temurin:25.0.3_9-jre-alpine-3.23",
        ci_version="25",
        ecosystem="maven",
        support=(
            replace(RELEASES[("temurin", "25")], component="Eclipse Temurin 25 LTS"),
            _ALPINE,
        ),
    ),
    "generic": Runtime(
        "generic",
        build_image="alpine:3.23.3",
        run_image="alpine:3.23.3",
        ci_version="",
        ecosystem=None,
        support=(_ALPINE,),
    ),
}


def runtime(name: str) -> Runtime:
    return RUNTIMES[name]


def expired(on: dt.date, table: dict[str, Runtime] | None = None) -> list[str]:
    """Each component of ``table`` (default: :data:`RUNTIMES`) whose support has ended by
    ``on``, as "runtime: component (ended YYYY-MM-DD, source)"."""
    return [
        f"{rt.name}: {s.component} (ended {s.ends.isoformat()}, {s.source})"
        for rt in (table or RUNTIMES).values()
        for s in rt.support
        if s.ends <= on
    ]
