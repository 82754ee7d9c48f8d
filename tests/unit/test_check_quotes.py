"""Second reading (rlsevidence check-quotes): every number of every sheet found again."""

import csv
import io
import shutil

import pytest

from rlsevidence.checkquotes import (
    check_directory,
    check_row,
    derived_values,
    evaluate,
    numbers_in,
    numbers_in_words,
)
from rlsevidence.cli import main
from rlsevidence.errors import InputError


def test_numbers_in_digits_and_words():
    assert numbers_in("n = 1,022 women (24%) and 15 391 men") == [1022.0, 24.0, 15391.0]
    assert numbers_in_words("One hundred twenty-four patients and eighty eight controls") == [
        124,
        88,
    ]
    assert numbers_in_words("Thirty of 39 patients") == [30]


def test_derivation_formulas_are_evaluated():
    # the SE of a log odds ratio from its 95% CI: (ln 2.01 - ln 1.41) / (2 * 1.959964)
    assert evaluate("(ln(2.01)-ln(1.41))/(2*1.959964) = 0.0904") == pytest.approx(
        0.0904468, abs=1e-6
    )
    assert evaluate("round(0.69*32) = 22 (22/32 = 68.8%)") == 22
    values = derived_values("z = Phi^-1(1-0.0015/2) = 3.1747, sei = 3.5/z = 1.10247")
    assert values["z"][0] == pytest.approx(3.1747, abs=1e-4)
    assert values["sei"][0] == pytest.approx(1.10247, abs=1e-5)
    # Student t quantile: qt(0.985, 59) = 2.2238 in R
    assert evaluate("4.02 / t(0.985, df=59)") == pytest.approx(4.02 / 2.2238, abs=1e-3)


def test_row_numbers_found_verbatim_in_words_or_recomputed():
    row = {
        "quote": "Thirty of 39 patients and 7 of 27 controls",
        "derivation": "events2 = 7; n2 = 30 - 3 = 27",
        "events1": "30",
        "n1": "39",
        "events2": "7",
        "n2": "27",
    }
    how = {f.column: f.how for f in check_row(row, file="s.csv", number=1)}
    assert how == {"events1": "in words", "n1": "verbatim", "events2": "verbatim", "n2": "verbatim"}
    row["n2"] = "28"
    assert {f.column: f.how for f in check_row(row, file="s.csv", number=1)}["n2"] == "missing"


def test_every_number_of_the_real_data_is_found_again():
    summary = check_directory("data/raw")
    assert summary["sheets"] >= 40 and sum(summary["numbers"].values()) > 300


def rewrite(path, row, column, value):
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[row - 1][column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


@pytest.mark.parametrize(
    ("sheet", "row", "column", "value"),
    [
        ("sibo_rls.csv", 1, "n1", "33"),  # printed in the quote ("32 RLS subjects")
        ("sibo_rls.csv", 1, "events1", "21"),  # derived: round(0.69*32) = 22
        ("sibo_rls.csv", 2, "events1", "31"),  # in words: "Thirty of 39"
    ],
)
def test_one_changed_number_fails_naming_row_and_column(tmp_path, sheet, row, column, value):
    root = tmp_path / "raw"
    shutil.copytree("data/raw", root)
    rewrite(root / "sheets" / sheet, row, column, value)
    with pytest.raises(InputError) as error:
        check_directory(root)
    assert f"sheets/{sheet}: row {row}, column '{column}'" in str(error.value)
    assert main(["check-quotes", str(root)]) == 2
