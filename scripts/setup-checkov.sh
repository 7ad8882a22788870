#!/usr/bin/env bash
# Install checkov into its own virtualenv (.venv-checkov at the repo root).
#
# checkov pins many libraries (boto3, networkx, ...) that would fight
# infraplan's own; a separate environment keeps both working. Idempotent:
# a working install is left alone. Override the version with CHECKOV_VERSION.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${CHECKOV_VENV:-$ROOT/.venv-checkov}"
VERSION="${CHECKOV_VERSION:-3.3.30}"
PYTHON="${PYTHON:-python3}"

if [ -x "$VENV/bin/checkov" ] && "$VENV/bin/checkov" --version 2>/dev/null | grep -qx "$VERSION"; then
  echo "checkov $VERSION already installed in $VENV"
  exit 0
fi

if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet "checkov==$VERSION"
echo "checkov $("$VENV/bin/checkov" --version) installed in $VENV"
