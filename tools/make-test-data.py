"""Build .test/: a small configuration and data package for fast workflow runs.

It takes from data/raw/ and config/ one analysis of each kind of measure (binary: sibo_rls
with its shared-cohort rows; continuous mixed with yi/sei rows: iron_irls; one proportion:
prevalence_children; generic yi/se: rls_depression), one reproduction (reproduce_trotti2019),
the claims whose evidence rests only on these analyses (and two without any analysis), and
exactly the sources, excerpts and published estimates they need. Run it after changing any of
those inputs: `python tools/make-test-data.py`; a test checks that .test/ is up to date.

    snakemake -s Snakefile --directory .test --cores 2     # the small run
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ANALYSES = (
    "sibo_rls",
    "iron_irls",
    "prevalence_children",
    "rls_depression",
    "reproduce_trotti2019",
)
EXTRA_CLAIMS = ("c010", "c030")  # one decided by history sources only, one anecdote


def read(path: Path, delimiter: str = ",") -> tuple[list[str], list[dict]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle, delimiter=delimiter)
        return list(reader.fieldnames or []), list(reader)


def write(path: Path, columns: list[str], rows: list[dict], delimiter: str = ",") -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(out.getvalue(), encoding="utf-8")


def build(target: Path) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from rlsevidence.datapackage import write_datapackage

    raw, out = ROOT / "data/raw", target / "data/raw"
    if target.exists():
        shutil.rmtree(target)
    (target / "config").mkdir(parents=True)
    shutil.copy(ROOT / "config/config.yaml", target / "config/config.yaml")
    columns, analyses = read(ROOT / "config/analyses.tsv", "\t")
    chosen = [a for a in analyses if a["id"] in ANALYSES]
    write(target / "config/analyses.tsv", columns, chosen, "\t")
    sources: set[str] = set()
    for analysis in chosen:
        sheet = ROOT / analysis["data"]
        sheet_columns, rows = read(sheet)
        write(target / analysis["data"], sheet_columns, rows)
        sources |= {r["source_id"] for r in rows}
    ev_columns, evidence = read(raw / "claim_evidence.csv")
    by_claim: dict[str, list[dict]] = {}
    for item in evidence:
        by_claim.setdefault(item["claim_id"], []).append(item)
    keep = {
        cid
        for cid, items in by_claim.items()
        if any(i["item_type"] == "analysis" for i in items)
        and all(i["analysis_id"] in ANALYSES for i in items if i["item_type"] == "analysis")
    } | set(EXTRA_CLAIMS)
    claim_columns, claims = read(raw / "claims.csv")
    write(out / "claims.csv", claim_columns, [c for c in claims if c["id"] in keep])
    prop_columns, props = read(raw / "propositions.csv")
    write(out / "propositions.csv", prop_columns, [p for p in props if p["claim_id"] in keep])
    items = [i for i in evidence if i["claim_id"] in keep]
    write(out / "claim_evidence.csv", ev_columns, items)
    sources |= {i["source_id"] for i in items if i["source_id"]}
    pub_columns, published = read(raw / "published_pooled.csv")
    pub = [p for p in published if p["analysis_id"] in ANALYSES]
    write(out / "published_pooled.csv", pub_columns, pub)
    sources |= {p["source_id"] for p in pub}
    nf_columns, not_found = read(raw / "not_found.csv")
    write(out / "not_found.csv", nf_columns, not_found)
    src_columns, all_sources = read(raw / "sources.csv")
    write(out / "sources.csv", src_columns, [s for s in all_sources if s["source_id"] in sources])
    lines = [
        line
        for line in (raw / "excerpts.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip() and json.loads(line)["source_id"] in sources
    ]
    (out / "excerpts.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.copy(raw / "article-and-comments.txt", out / "article-and-comments.txt")
    write_datapackage(out)


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / ".test")
