"""The small configuration in .test/ (tools/make-test-data.py): up to date, and it runs the
whole workflow in seconds with the same verdicts as the full data for its claims."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from workflow_helpers import ROOT, copy_repo, snakemake

pytestmark = pytest.mark.slow


def files(directory):
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def test_the_small_config_is_up_to_date(tmp_path):
    subprocess.run(
        [sys.executable, str(ROOT / "tools/make-test-data.py"), str(tmp_path / "t")],
        check=True,
        capture_output=True,
    )
    assert files(tmp_path / "t") == files(ROOT / ".test"), "run python tools/make-test-data.py"


def test_the_small_config_runs_end_to_end(tmp_path):
    workdir = copy_repo(tmp_path / "repo")
    shutil.copytree(ROOT / ".test", workdir / ".test")
    snakemake(workdir, "-s", "Snakefile", "--directory", ".test", check=True)
    results = workdir / ".test/results"
    claims = json.loads((results / "claims.json").read_text())
    assert {c["id"] for c in claims} >= {"c009", "c010", "c102"}
    verdicts = {c["id"]: c["verdict"] for c in claims}
    # decided by the same rule on the same evidence as in the full run
    assert verdicts["c009"] == "supported" and verdicts["c030"] == "not testable"
    pooled = json.loads((results / "analyses/sibo_rls/pooled.json").read_text())
    # R: escalc("OR", ai=22, n1i=32, ci=7, n2i=25): yi = log(22*18/(10*7))
    assert pooled["estimate"] == pytest.approx(1.7329189692051, rel=1e-9)
    assert (results / "report/index.html").stat().st_size > 50_000
    assert (results / "analyses/reproduce_trotti2019/reproduction.json").exists()
