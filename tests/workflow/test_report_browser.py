"""The report in a real browser: headless Chromium (Debian's) driven by Playwright.

Loads results/report/index.html from disk, reads the rendered DOM (every claim present, the
filters work), checks there are no console errors and saves a screenshot to tests/output/.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from rlsevidence.report import build_report

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (run-tests.sh installs it where it can)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


def open_page(browser, path: Path):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "request",
        lambda r: errors.append(f"network request: {r.url}")
        if not r.url.startswith(("file:", "data:"))
        else None,
    )
    page.goto(path.as_uri())
    return page, errors


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The report of a full workflow run (made by test_workflow's copy, or built here)."""
    from workflow_helpers import copy_repo, snakemake

    workdir = copy_repo(tmp_path_factory.mktemp("browser") / "repo")
    snakemake(workdir, check=True)
    return workdir


def test_every_claim_is_rendered_and_filters_work(browser, report):
    claims = json.loads((report / "results/claims.json").read_text())
    page, errors = open_page(browser, report / "results/report/index.html")
    rows = page.locator("tr.claim-row")
    assert rows.count() == len(claims)
    for claim in claims:
        assert page.locator(f"#claim-{claim['id']}").count() == 1
    speaker = "Fatriff"
    page.select_option("#filter-speaker", speaker)
    visible = page.locator("tr.claim-row:visible")
    expected = sum(1 for c in claims if c["speaker"] == speaker)
    assert visible.count() == expected
    assert page.locator("#filter-count").inner_text() == f"{expected} claims shown"
    page.select_option("#filter-speaker", "")
    page.select_option("#filter-verdict", "not testable")
    assert page.locator("tr.claim-row:visible").count() == sum(
        1 for c in claims if c["verdict"] == "not testable"
    )
    page.select_option("#filter-verdict", "")
    out = ROOT / "tests/output"
    out.mkdir(exist_ok=True)
    page.screenshot(path=str(out / "report.png"), full_page=False)
    page.locator("#analysis-sibo_rls").screenshot(path=str(out / "analysis-sibo_rls.png"))
    assert page.locator("#analysis-sibo_rls svg").count() >= 1
    assert errors == []


def test_text_from_data_is_escaped(browser, tmp_path):
    """A quote holding <script> renders as text and runs nothing."""
    pooled = {
        "k": 1, "measure": "MD", "method": "REML", "hk": False, "estimate": 1.0, "se": 0.5,
        "ci_lower": 0.0, "ci_upper": 2.0, "pvalue": 0.05, "tau2": 0.0, "tau2_ci_lower": None,
        "tau2_ci_upper": None, "i2": 0.0, "h2": 1.0, "q": 0.0, "q_df": 0, "q_pvalue": 1.0,
        "pi_lower": 0.0, "pi_upper": 2.0, "backtransformed": None, "notes": [], "weights": [100.0],
    }  # fmt: skip
    evil = '<script>document.title="pwned"</script><img src=x onerror="document.title=\'pwned\'">'
    (tmp_path / "pooled.json").write_text(json.dumps(pooled))
    (tmp_path / "grade.json").write_text(
        json.dumps({"level": "low", "start": "low", "steps": [], "published_rating": None})
    )
    (tmp_path / "bias.json").write_text(
        json.dumps({"notes": [], "egger": {}, "begg": {}, "trimfill": {}})
    )
    (tmp_path / "plot.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'
    )
    (tmp_path / "sheet.csv").write_text(
        f'study,source_id,locator,quote,n1,mean1,sd1,n2,mean2,sd2\n"{evil.replace(chr(34), chr(34) * 2)}",s1,abstract,"{evil.replace(chr(34), chr(34) * 2)}",10,1,1,10,0,1\n'
    )
    (tmp_path / "effects.csv").write_text("yi,vi,sei\n1.0,0.25,0.5\n")
    (tmp_path / "sources.csv").write_text(
        "source_id,citation,year,url,design\ns1,A <b>citation</b>,2020,https://example.org/x,rct\n"
    )
    (tmp_path / "published.csv").write_text(
        "analysis_id,source_id,outcome,measure,estimate,ci_lower,ci_upper,k,participants,certainty,locator,quote\n"
    )
    (tmp_path / "not_found.csv").write_text(
        f'topic,searched,note\n"{evil.replace(chr(34), chr(34) * 2)}",x,y\n'
    )
    part = {"part": "a", "kind": "association", "proposition": evil, "expected": "greater", "value": None,
            "band_lower": None, "band_upper": None, "band_reason": "", "verdict": "supported", "certainty": "low",
            "step": "best-evidence", "reasons": [evil], "conflicts": [evil], "would_change": evil}  # fmt: skip
    item = {"claim_id": "c001", "part": "a", "item_type": "study", "analysis_id": "", "expected": "", "source_id": "s1",
            "locator": evil, "quote": evil, "direction": "supports", "directness": "indirect", "indirect_reason": evil,
            "design": "observational", "certainty": "low", "certainty_basis": evil, "note": evil, "shows": ""}  # fmt: skip
    claims = [{"id": "c001", "speaker": evil, "quote": evil, "kind": "association", "proposition": evil, "verdict": "supported",
               "certainty": "low", "step": "best-evidence", "summary": evil, "analyses": ["a1"], "parts": [part],
               "evidence": [item], "would_change": evil, "number_text": None, "key_number": None, "notes": evil}]  # fmt: skip
    (tmp_path / "claims.json").write_text(json.dumps(claims))
    config = {"data_snapshot": "2026-01-01", "defaults": {"add": 0.5, "method": "REML", "hk": True, "pi_type": "metafor"},
              "grade": {"min_k_small_study_tests": 10, "sources": {}}}  # fmt: skip
    paths = {k: str(tmp_path / f"{k}.json") for k in ("pooled", "grade", "bias")}
    paths.update(forest=str(tmp_path / "plot.svg"), funnel=str(tmp_path / "plot.svg"), sheet=str(tmp_path / "sheet.csv"),
                 effects=str(tmp_path / "effects.csv"), meta={"title": evil, "data": "x.csv", "design_kind": "randomised"})  # fmt: skip
    out = tmp_path / "index.html"
    build_report(
        claims_json=str(tmp_path / "claims.json"),
        analyses={"a1": paths},
        sources=str(tmp_path / "sources.csv"),
        published=str(tmp_path / "published.csv"),
        not_found=str(tmp_path / "not_found.csv"),
        config=config,
        output=str(out),
    )
    html = out.read_text()
    assert "<script>document.title" not in html
    assert "&lt;script&gt;" in html
    page, errors = open_page(browser, out)
    assert page.title() != "pwned"
    assert "<script>document.title" in page.locator("#claim-c001 .quote").first.inner_text()
    assert not [e for e in errors if "pwned" in e]


def test_no_serious_accessibility_violations(browser, report):
    # axe-core (axe-playwright-python) in real Chromium: no serious or critical violation.
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    page, _ = open_page(browser, report / "results/report/index.html")
    violations = axe_module.Axe().run(page).response["violations"]
    serious = [
        (v["id"], len(v["nodes"])) for v in violations if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    ids = page.evaluate("Array.from(document.querySelectorAll('[id]')).map(e => e.id)")
    assert len(ids) == len(set(ids)), "duplicate ids"


def test_no_horizontal_overflow_on_a_390_px_screen(browser, report):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto((report / "results/report/index.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    out = ROOT / "tests/output"
    out.mkdir(exist_ok=True)
    page.screenshot(path=str(out / "report-390px.png"), full_page=False)


def test_article_view_marks_every_claim_in_place(browser, report):
    claims = json.loads((report / "results/claims.json").read_text())
    page, errors = open_page(browser, report / "results/report/index.html")
    marks = page.locator(".article a.mark")
    assert marks.count() == len(claims)
    first = marks.first
    assert first.get_attribute("href") == "#claim-c001"
    assert "m-" + claims[0]["verdict"].replace(" ", "-") in first.get_attribute("class")
    assert errors == []


def test_embedded_claimreview_json_ld_holds_every_claim_with_absolute_urls(report):
    from html.parser import HTMLParser

    class Scripts(HTMLParser):
        blocks: list[str] = []
        inside = False

        def handle_starttag(self, tag, attrs):
            self.inside = tag == "script" and ("type", "application/ld+json") in attrs

        def handle_data(self, data):
            if self.inside:
                self.blocks.append(data)

        def handle_endtag(self, tag):
            self.inside = False

    parser = Scripts()
    parser.feed((report / "results/report/index.html").read_text())
    records = json.loads("".join(parser.blocks))
    claims = json.loads((report / "results/claims.json").read_text())
    assert [r["url"].rsplit("#claim-", 1)[1] for r in records] == [c["id"] for c in claims]
    for record in records:
        assert record["@type"] == "ClaimReview"
        assert record["url"].startswith("https://")
        appearance = record["itemReviewed"]["appearance"]
        assert appearance["url"].startswith("https://drsircus.com/")
    authors = {
        r["itemReviewed"]["author"]["name"]: r["itemReviewed"]["author"]["@type"] for r in records
    }
    assert authors["WebMD"] == "Organization" and authors["Healthline"] == "Organization"
    assert authors["Mark Sircus"] == "Person"
