"""Reproduction tolerance (rlsevidence.reproduce): estimate within 10%, limits within 20% of
the published interval's width."""

import pytest

from rlsevidence.reproduce import Estimate, compare, explain, study_change


def est(e, lo, hi):
    return Estimate("x", e, lo, hi, 3)


def test_ahrq_alpha2delta_reproduction_is_within_tolerance():
    # Wilt 2012 (AHRQ): WMD -4.26 (-5.75 to -2.77); a reproduction of -4.23 (-5.67 to -2.78)
    est_ok, lim_ok, diff = compare(est(-4.26, -5.75, -2.77), est(-4.23, -5.67, -2.78))
    assert est_ok and lim_ok
    assert diff["estimate"] == pytest.approx(0.03)
    assert diff["ci_lower_share_of_width"] == pytest.approx(0.08 / 2.98)


@pytest.mark.parametrize(
    ("reproduced", "estimate_ok", "limits_ok"),
    [
        ((-3.78 * 1.09, -6.25, -1.31), True, True),
        ((-3.78 * 1.11, -6.25, -1.31), False, True),
        ((-3.78, -6.25 - 0.21 * 4.94, -1.31), True, False),
        ((-3.78, -6.25, -1.31 + 0.19 * 4.94), True, True),
    ],
)
def test_tolerance_boundaries(reproduced, estimate_ok, limits_ok):
    # Trotti 2019 (Cochrane): MD -3.78 (-6.25 to -1.31), width 4.94
    ok = compare(est(-3.78, -6.25, -1.31), est(*reproduced))
    assert ok[:2] == (estimate_ok, limits_ok)


def test_a_miss_is_explained_by_the_study_that_matters_most():
    leave1out = [
        {"omitted": "Deng 2016", "estimate": -4.34},
        {"omitted": "Allen 2011", "estimate": -5.5},
    ]
    reasons = explain(est(-3.78, -6.25, -1.31), leave1out, ["Allen 2011: day 28"], lambda v: v)
    assert reasons[0].startswith("without Deng 2016 the reproduction gives -4.34")
    assert reasons[1] == "Allen 2011: day 28"


def test_study_changes_between_steps():
    assert study_change(["a", "b"], ["b", "c"]) == "added: c; dropped: a"
    assert study_change(["a"], ["a"]) == "same studies"
