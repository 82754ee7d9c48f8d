"""End to end: the workflow in a temporary copy of the repository, on the vendored data."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from workflow_helpers import copy_repo, snakemake

pytestmark = pytest.mark.slow


def digest(directory: Path) -> dict[str, str]:
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    workdir = copy_repo(tmp_path_factory.mktemp("e2e") / "repo")
    raw_before = digest(workdir / "data" / "raw")
    snakemake(workdir, check=True)
    return workdir, raw_before


def test_sibo_pools_one_report_per_cohort(run):
    workdir, _ = run
    pooled = json.loads((workdir / "results/analyses/sibo_rls/pooled.json").read_text())
    # The two Weinstock reports share a cohort (sheet column `cohort`): only the first is
    # pooled. R: dat <- escalc("OR", ai=22, n1i=32, ci=7, n2i=25); rma(yi, vi, data=dat)
    #    coef 1.732918969205 (= log(22*18/(10*7))), se sqrt(1/22+1/10+1/7+1/18)
    assert pooled["k"] == 1 and pooled["measure"] == "OR"
    assert pooled["estimate"] == pytest.approx(1.7329189692051, rel=1e-9)
    assert pooled["se"] == pytest.approx((1 / 22 + 1 / 10 + 1 / 7 + 1 / 18) ** 0.5, rel=1e-9)
    assert any("Weinstock 2012 (APSS abstract) not pooled" in note for note in pooled["notes"])


def test_sibo_effect_of_weinstock_2011_from_published_counts(run):
    workdir, _ = run
    effects = (workdir / "results/effects/sibo_rls.csv").read_text().splitlines()
    header = effects[0].split(",")
    first = dict(zip(header, effects[1].split(","), strict=False))
    # 22/32 vs 7/25 (69% vs 28% of the abstract): log OR = log((22*18)/(10*7)), var 1/22+1/10+1/7+1/18
    assert first["study"] == "Weinstock 2011"
    assert float(first["yi"]) == pytest.approx(1.7329189692051, rel=1e-12)
    assert float(first["vi"]) == pytest.approx(1 / 22 + 1 / 10 + 1 / 7 + 1 / 18, rel=1e-12)


def test_report_shows_claim_quote_numbers_estimate_and_plot(run):
    workdir, _ = run
    html = (workdir / "results/report/index.html").read_text()
    assert "SIBO was diagnosed in 69% of RLS subjects compared to 28% of GPC" in html
    assert (
        "the breath test showed it was present in 69% of the people with restless legs syndrome"
        in html
    )
    assert "Fatriff" in html
    assert 'id="analysis-sibo_rls"' in html and "<svg" in html
    assert "5.66" in html  # OR of Weinstock 2011, exp(1.7329)
    assert "https://" not in re.sub(r'href="https?://[^"]*"', "", html).split("<script>")[1]


def test_claims_json_has_every_claim_with_design_keys(run):
    workdir, _ = run
    claims = json.loads((workdir / "results/claims.json").read_text())
    raw = (workdir / "data/raw/claims.csv").read_text().splitlines()
    assert len(claims) == len(raw) - 1 - sum(1 for line in raw[1:] if not line.startswith("c"))
    for claim in claims:
        assert {"id", "speaker", "quote", "verdict", "certainty", "analyses", "summary"} <= set(
            claim
        )
        assert {"kind", "proposition", "parts", "evidence", "step", "would_change"} <= set(claim)
        assert claim["summary"]
    jsonld = json.loads((workdir / "results/claims.jsonld").read_text())
    assert jsonld[0]["@type"] == "ClaimReview"


def test_claims_are_judged_on_their_evidence(run):
    """Issue 10's bars: few testable claims left insufficient, each with its reason; every
    evidence item carries direction, directness and certainty."""
    workdir, _ = run
    claims = json.loads((workdir / "results/claims.json").read_text())
    testable = [c for c in claims if c["verdict"] != "not testable"]
    insufficient = [c for c in testable if c["verdict"] == "insufficient evidence"]
    assert len(insufficient) <= 0.10 * len(testable)
    assert all(c["summary"] for c in insufficient)
    for claim in testable:
        for item in claim["evidence"]:
            assert item["direction"] in ("supports", "partly", "against", "neither")
            assert item["certainty"] in ("high", "moderate", "low", "very low")
            assert item["directness"] in ("direct", "indirect")


def test_published_syntheses_are_reproduced_or_their_miss_explained(run):
    workdir, _ = run
    reproductions = sorted((workdir / "results/analyses").glob("*/reproduction.json"))
    assert len(reproductions) >= 4
    results = {p.parent.name: json.loads(p.read_text()) for p in reproductions}
    # Wilt 2012 (AHRQ CER 86), alpha-2-delta ligands vs placebo: WMD -4.26 (-5.75 to -2.77)
    ahrq = results["reproduce_wilt2012"]
    assert ahrq["published"]["estimate"] == -4.26 and ahrq["reproduced_within_tolerance"]
    assert ahrq["reproduced"]["estimate"] == pytest.approx(-4.26, rel=0.10)
    # Wilt 2012 Table 3, CGI-I responders, gabapentin enacarbil vs placebo: RR 1.80 (1.51 to
    # 2.14), k = 2, n = 431 (counts derived from the trials' printed percentages)
    cgi = results["reproduce_wilt2012_cgi"]
    assert cgi["published"]["estimate"] == 1.8 and cgi["reproduced_within_tolerance"]
    assert sum(r["reproduced_within_tolerance"] for r in results.values()) >= 3
    for result in results.values():
        # published, reproduced, and where we have an analysis of the outcome, two more steps
        assert len(result["path"]) == (4 if result["analysis"] != "reproduce_wilt2012_cgi" else 2)
        if not result["reproduced_within_tolerance"]:
            assert result["explanation"], result["analysis"]
    html = (workdir / "results/report/index.html").read_text()
    assert 'id="reproduction-reproduce_trotti2019"' in html


def test_no_headline_interval_spans_a_ratio_above_1000(run):
    import math

    from rlsevidence.headline import headline

    workdir, _ = run
    for path in sorted((workdir / "results/analyses").glob("*/pooled.json")):
        pooled = json.loads(path.read_text())
        head = headline(pooled)
        if head.informative and pooled["measure"] in ("OR", "RR", "PLO"):
            assert head.ci_upper - head.ci_lower <= math.log(1000), path


def test_snakemake_report_is_built(run):
    workdir, _ = run
    proc = snakemake(workdir, "--report", "smk-report.html")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (workdir / "smk-report.html").stat().st_size > 100_000


def test_raw_data_unchanged_and_nothing_left_to_do(run):
    workdir, raw_before = run
    assert digest(workdir / "data" / "raw") == raw_before
    dry = snakemake(workdir, "-n")
    assert dry.returncode == 0
    assert "Nothing to be done" in dry.stdout + dry.stderr


def test_two_runs_give_identical_results(run):
    workdir, _ = run
    targets = [
        "results/analyses/iron_irls/pooled.json",
        "results/analyses/iron_irls/forest.svg",
        "results/analyses/iron_irls/grade.json",
        "results/claims.json",
        "results/report/index.html",
    ]
    before = {t: (workdir / t).read_bytes() for t in targets}
    for target in targets:
        (workdir / target).unlink()
    snakemake(workdir, check=True)
    for target in targets:
        assert (workdir / target).read_bytes() == before[target], target


def test_touching_a_sheet_without_changing_it_reruns_nothing(run):
    # Snakemake 9 compares checksums of small inputs whose mtime changed.
    workdir, _ = run
    os.utime(workdir / "data/raw/sheets/sibo_rls.csv")
    dry = snakemake(workdir, "-n")
    assert "Nothing to be done" in dry.stdout + dry.stderr


def dry_run_jobs(workdir) -> dict:
    dry = snakemake(workdir, "-n", "--quiet", "rules")
    text = dry.stdout + dry.stderr
    if "Nothing to be done" in text:
        return {}
    jobs = dict(re.findall(r"^(\w+)\s+(\d+)$", text, flags=re.M))
    assert "total" in jobs, text[-2000:]
    jobs.pop("total")
    return jobs


def test_editing_the_report_template_reruns_only_the_report(run):
    workdir, _ = run
    template = workdir / "src/rlsevidence/templates/report.html.j2"
    original = template.read_text()
    template.write_text(original.replace('<h2 id="methods">', '<h2 id="methods" class="x">'))
    try:
        assert dry_run_jobs(workdir) == {"report": "1", "all": "1"}
    finally:
        template.write_text(original)
    assert dry_run_jobs(workdir) == {}


def test_editing_the_verdict_rule_reruns_only_claims_and_report(run):
    workdir, _ = run
    rule = workdir / "src/rlsevidence/assess/rule.py"
    original = rule.read_text()
    rule.write_text(original + "\n# edited\n")
    try:
        assert dry_run_jobs(workdir) == {
            "validate_registry": "1",
            "claims": "1",
            "report": "1",
            "all": "1",
        }
    finally:
        rule.write_text(original)


def test_editing_one_sheet_reruns_only_its_jobs(run):
    workdir, _ = run
    sheet = workdir / "data/raw/sheets/sibo_rls.csv"
    sheet.write_text(sheet.read_text().replace("Weinstock 2011,", "Weinstock 2011 (Sleep Med),", 1))
    subprocess.run(
        [sys.executable, "-m", "rlsevidence.cli", "datapackage", "data/raw"],
        cwd=workdir,
        check=True,
        capture_output=True,
    )
    dry = snakemake(workdir, "-n", "--quiet", "rules")
    text = dry.stdout + dry.stderr
    jobs = dict(re.findall(r"^(\w+)\s+(\d+)$", text, flags=re.M))
    assert "total" in jobs, text[-2000:]
    jobs.pop("total")
    assert jobs == {
        "validate_registry": "1",
        "validate_sheet": "1",
        "effects": "1",
        "pool": "1",
        "plots": "1",
        "grade": "1",
        "claims": "1",
        "report": "1",
        "all": "1",
    }
