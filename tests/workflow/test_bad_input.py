"""Bad input stops the workflow at validation: one line naming file, row and column, a
non-zero exit, no downstream output, and data/raw left as it was."""

from __future__ import annotations

import csv
import hashlib
import io
import subprocess
import sys
from pathlib import Path

import pytest
from workflow_helpers import copy_repo, snakemake

pytestmark = pytest.mark.slow

SHEET = "data/raw/sheets/sibo_rls.csv"


def edit_csv(path: Path, row: int, column: str, value: str | None) -> None:
    """Set (or with value None, drop) a cell; row counts data rows from 1."""
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    fields = list(rows[0].keys())
    if value is None:
        fields.remove(column)
        for r in rows:
            r.pop(column)
    else:
        rows[row - 1][column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue())


def refresh_package(workdir: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "rlsevidence.cli", "datapackage", "data/raw"],
        cwd=workdir,
        check=True,
        capture_output=True,
    )


def raw_digest(workdir: Path) -> dict:
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((workdir / "data/raw").rglob("*"))
        if p.is_file()
    }


CASES = {
    "missing column": (SHEET, 1, "n2", None, "column 'n2'"),
    "negative count": (SHEET, 2, "events2", "-3", "row 2, column 'events2'"),
    "events larger than n": (SHEET, 1, "events1", "40", "row 1, column 'events1'"),
    "non-numeric value": (SHEET, 2, "n1", "thirty-nine", "row 2, column 'n1'"),
    "row without a quote": (SHEET, 1, "quote", "", "row 1, column 'quote'"),
    "unknown source id": (SHEET, 2, "source_id", "nobody2099", "row 2, column 'source_id'"),
    "quote not in the stored excerpt": (
        SHEET,
        1,
        "quote",
        "SIBO was diagnosed in 96% of RLS subjects",
        "row 1, column 'quote'",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_sheet_fails_validation(tmp_path, case):
    path, row, column, value, where = CASES[case]
    workdir = copy_repo(tmp_path / "repo")
    edit_csv(workdir / path, row, column, value)
    refresh_package(workdir)
    before = raw_digest(workdir)
    proc = snakemake(workdir, "results/analyses/sibo_rls/pooled.json")
    assert proc.returncode != 0
    lines = [
        line for line in (proc.stdout + proc.stderr).splitlines() if line.startswith("error: ")
    ]
    assert len(set(lines)) == 1, proc.stderr[-2000:]
    assert path in lines[0] and where in lines[0], lines[0]
    assert not (workdir / "results/validated/sibo_rls.csv").exists()
    assert not (workdir / "results/effects/sibo_rls.csv").exists()
    assert not (workdir / "results/analyses/sibo_rls").exists()
    assert raw_digest(workdir) == before


def test_sheet_whose_hash_does_not_match_fails(tmp_path):
    workdir = copy_repo(tmp_path / "repo")
    sheet = workdir / SHEET
    sheet.write_text(sheet.read_text().replace(",22,32,", ",23,32,"))  # no datapackage refresh
    proc = snakemake(workdir, "results/validated/registry.json")
    assert proc.returncode != 0
    line = next(
        line for line in (proc.stdout + proc.stderr).splitlines() if line.startswith("error: ")
    )
    assert SHEET in line and "sha256" in line
    assert not (workdir / "results/validated/registry.json").exists()


def first_analysis_row(path: Path) -> int:
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    return next(i for i, r in enumerate(rows, 1) if r["item_type"] == "analysis")


def test_evidence_pointing_to_a_missing_analysis_fails(tmp_path):
    workdir = copy_repo(tmp_path / "repo")
    evidence = workdir / "data/raw/claim_evidence.csv"
    row = first_analysis_row(evidence)
    edit_csv(evidence, row, "analysis_id", "no_such_analysis")
    refresh_package(workdir)
    proc = snakemake(workdir, "results/validated/registry.json")
    assert proc.returncode != 0
    line = next(
        line for line in (proc.stdout + proc.stderr).splitlines() if line.startswith("error: ")
    )
    assert f"data/raw/claim_evidence.csv: row {row}, column 'analysis_id'" in line


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("direction", "maybe", "direction must be one of"),
        ("quote", "a quote that no stored excerpt holds", "quote not found verbatim"),
        ("certainty", "certain", "certainty must be"),
    ],
)
def test_bad_evidence_item_fails_naming_row_and_column(tmp_path, column, value, message):
    workdir = copy_repo(tmp_path / "repo")
    evidence = workdir / "data/raw/claim_evidence.csv"
    edit_csv(evidence, 1, column, value)  # row 1 is a published/study item with a quote
    refresh_package(workdir)
    proc = snakemake(workdir, "results/validated/registry.json")
    assert proc.returncode != 0
    line = next(
        line for line in (proc.stdout + proc.stderr).splitlines() if line.startswith("error: ")
    )
    assert f"data/raw/claim_evidence.csv: row 1, column '{column}'" in line and message in line
    assert not (workdir / "results/validated/registry.json").exists()


def test_testable_part_without_evidence_or_documented_search_fails(tmp_path):
    workdir = copy_repo(tmp_path / "repo")
    props = workdir / "data/raw/propositions.csv"
    with props.open("a", encoding="utf-8") as handle:
        handle.write("c001,z,association,An extra part nobody searched for,greater,,,,\n")
    refresh_package(workdir)
    proc = snakemake(workdir, "results/validated/registry.json")
    assert proc.returncode != 0
    assert "c001 part z has no evidence item and no documented empty search" in (
        proc.stdout + proc.stderr
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("\tOR\tREML\ttrue\t", "\tXX\tREML\ttrue\t", "'XX' is not one of"),
        ("\tOR\tREML\ttrue\t", "\tOR\tREML\tyes please\t", "column 'hk': must be true or false"),
        (
            "id\ttitle\tdata\tmeasure\tmethod\t",
            "id\ttitle\tdata\tmeasure\tmethd\t",
            "column 'method'",
        ),
        ("sibo_rls\t", "Sibo rls\t", "invalid id 'Sibo rls'"),
    ],
)
def test_bad_analysis_sheet_stops_before_any_job(tmp_path, old, new, message):
    workdir = copy_repo(tmp_path / "repo")
    sheet = workdir / "config/analyses.tsv"
    assert old in sheet.read_text()
    sheet.write_text(sheet.read_text().replace(old, new, 1))
    proc = snakemake(workdir, "-n")
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert "config/analyses.tsv" in out and message in out, out[-1500:]
    assert not (workdir / "results").exists()
