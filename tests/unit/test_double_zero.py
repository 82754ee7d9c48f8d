"""A binary study without events in either arm is not estimable for OR and RR (RevMan;
Cochrane Handbook 10.4.4.2), rather than an effect made only of continuity corrections."""

import csv

import numpy as np

from rlsevidence.jobs.effects import compute_effects
from rlsevidence.pooling import rma

ROWS = [
    {"study": "A", "events1": "3", "n1": "20", "events2": "1", "n2": "20"},
    {"study": "B", "events1": "0", "n1": "15", "events2": "0", "n2": "15"},
    {"study": "C", "events1": "5", "n1": "30", "events2": "2", "n2": "31"},
]


def _effects(tmp_path, drop00):
    sheet = tmp_path / "sheet.csv"
    with sheet.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(ROWS[0]))
        writer.writeheader()
        writer.writerows(ROWS)
    table = compute_effects(
        sheet=str(sheet),
        measure="OR",
        add=0.5,
        to="only0",
        drop00=drop00,
        output=str(tmp_path / "effects.csv"),
    )
    return table["yi"].to_numpy(), table["vi"].to_numpy()


def test_double_zero_study_is_not_estimable_with_drop00(tmp_path):
    yi, vi = _effects(tmp_path, drop00=True)
    assert np.isnan(yi[1]) and np.isnan(vi[1])
    # metafor: escalc("OR", ai=c(3,0,5), n1i=c(20,15,30), ci=c(1,0,2), n2i=c(20,15,31),
    # drop00=TRUE) gives NA for study 2, and rma() pools the other two (k = 2).
    assert rma(yi=yi, vi=vi, measure="OR", method="DL").k == 2


def test_without_drop00_it_enters_as_continuity_corrections(tmp_path):
    yi, vi = _effects(tmp_path, drop00=False)
    # 0.5 added to every cell: log((0.5 * 15.5) / (15.5 * 0.5)) = 0, variance 1/a + 1/b + 1/c + 1/d
    assert yi[1] == 0.0
    assert vi[1] == 1 / 0.5 + 1 / 15.5 + 1 / 0.5 + 1 / 15.5
