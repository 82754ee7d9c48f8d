#!/usr/bin/env bash
# A separate virtual environment with the Frictionless Framework (pinned), the tool data
# users validate Data Packages with; the tests run `frictionless validate` from it. Kept apart
# from .venv so that its dependencies do not touch the project's pinned lock.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
VERSION=5.18.1
if [ ! -x .venv-frictionless/bin/frictionless ] \
  || [ "$(.venv-frictionless/bin/frictionless --version 2>/dev/null)" != "$VERSION" ]; then
  "$PYTHON" -m venv .venv-frictionless
  .venv-frictionless/bin/python -m pip install --quiet --disable-pip-version-check "frictionless==$VERSION"
fi
