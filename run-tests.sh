#!/usr/bin/env bash
# Quick start, command 2: install (first time) and run the whole test suite.
# Extra arguments go to pytest, e.g. `bash run-tests.sh -k metafor`.
set -euo pipefail
cd "$(dirname "$0")"
bash tools/setup-venv.sh
bash tools/setup-frictionless.sh || echo "warning: could not install frictionless; its test will be skipped"
# The browser test needs Chromium; install Debian's package where we are allowed to.
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "warning: could not install chromium; the browser test will be skipped"
fi
.venv/bin/python -m pytest "$@"
