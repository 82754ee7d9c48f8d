#!/usr/bin/env bash
# Quick start, command 1: install (first time) and run the whole workflow.
# Extra arguments go to snakemake, e.g. `bash run-workflow.sh -n`.
set -euo pipefail
cd "$(dirname "$0")"
bash tools/setup-venv.sh
.venv/bin/snakemake --cores "${CORES:-2}" "$@"
echo "Report: $(pwd)/results/report/index.html"
