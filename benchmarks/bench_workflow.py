"""Wall time of a full workflow run from clean and of a no-op run (nothing to do).

Runs in a temporary copy of the repository with the project's own profile (2 cores).
Usage: python benchmarks/bench_workflow.py
Targets (issue 2): full run under 60 s, no-op under 3 s on a 2-core machine.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(workdir: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "snakemake", "--quiet"], cwd=workdir, check=True, capture_output=True
    )
    return time.perf_counter() - start


def main() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp) / "repo"
        workdir.mkdir()
        for name in ("Snakefile", "workflow", "config", "data", "profiles"):
            source = ROOT / name
            (shutil.copytree if source.is_dir() else shutil.copy2)(source, workdir / name)
        full = run(workdir)
        noop = run(workdir)
    report = {"cores": os.cpu_count(), "full_run_s": round(full, 1), "noop_run_s": round(noop, 2)}
    print(json.dumps(report))
    out = ROOT / "benchmarks/output/workflow.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    return report


if __name__ == "__main__":
    main()
