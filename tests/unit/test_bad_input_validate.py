"""Bad input caught by `rlsevidence validate` (the checks of the validate rules): one line
naming the file, the row and the column, exit status 2, no traceback."""

import shutil
from pathlib import Path

import pytest

from rlsevidence.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def copy(tmp_path, monkeypatch):
    for name in ("config", "data"):
        shutil.copytree(ROOT / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def validate(capsys) -> tuple[int, str]:
    assert main(["datapackage", "data/raw"]) == 0  # the user's documented rehash
    capsys.readouterr()
    code = main(["validate"])
    return code, capsys.readouterr().err.strip()


def test_a_study_row_entered_twice(copy, capsys):
    sheet = copy / "data/raw/sheets/sibo_rls.csv"
    lines = sheet.read_text().splitlines()
    sheet.write_text("\n".join([*lines, lines[1]]) + "\n")
    code, err = validate(capsys)
    assert code == 2
    assert err == (
        "error: data/raw/sheets/sibo_rls.csv: row 3, column 'study': the same row is given "
        "twice (a study entered twice would be pooled twice)"
    )


def test_a_published_interval_that_does_not_hold_its_estimate(copy, capsys):
    edit(copy / "data/raw/published_pooled.csv", "-3.78,-6.25,-1.31", "-3.78,-1.31,-6.25")
    code, err = validate(capsys)
    assert code == 2 and "published_pooled.csv: row 1, column 'ci_lower'" in err


def test_invalid_utf8_in_the_excerpts(copy, capsys):
    excerpts = copy / "data/raw/excerpts.jsonl"
    excerpts.write_bytes(excerpts.read_bytes() + b"\xff\xfe\n")
    code, err = validate(capsys)
    lines = excerpts.read_bytes().count(b"\n")
    assert code == 2 and f"excerpts.jsonl: row {lines}: not UTF-8 text" in err


def test_infinite_count_in_a_sheet(copy, capsys):
    edit(copy / "data/raw/sheets/sibo_rls.csv", ",22,32,", ",inf,32,")
    code, err = validate(capsys)
    assert code == 2 and "sibo_rls.csv: row 1, column 'events1'" in err


def test_a_path_outside_the_data_package(copy, capsys):
    shutil.copy(copy / "data/raw/claims.csv", copy / "claims.csv")
    edit(copy / "config/config.yaml", "claims: data/raw/claims.csv", "claims: claims.csv")
    code, err = validate(capsys)
    assert code == 2 and err.startswith("error: claims.csv: outside the data package")
    assert "Traceback" not in err


def test_an_analysis_row_against_its_schema_names_the_row_and_key():
    # rlsevidence validate and the workflow check every row of config/analyses.tsv against
    # workflow/schemas/analysis.schema.yaml before anything runs.
    from pathlib import Path

    from rlsevidence.config import load_analyses, validate_analyses
    from rlsevidence.errors import InputError

    root = Path(__file__).resolve().parents[2]
    analyses = load_analyses(root / "config/analyses.tsv")
    validate_analyses(analyses, root / "workflow/schemas/analysis.schema.yaml", file="a.tsv")
    second = list(analyses)[1]
    analyses[second]["method"] = "XYZ"
    with pytest.raises(InputError) as caught:
        validate_analyses(analyses, root / "workflow/schemas/analysis.schema.yaml", file="a.tsv")
    assert "a.tsv: row 2, column 'method'" in str(caught.value)
