"""Agreement with R metafor 3.8.1 on its own example data sets.

Every reference number was produced by ``tests/metafor/make_reference.R`` (committed) into
``tests/metafor/reference.json`` (committed, byte-stable). The R calls are, per case:
``escalc(measure, ...)``, ``rma(yi, vi, method=M, test="z"|"knha", control=CTRL)``,
``confint(res, control=CI_CTRL)$random["tau^2", ]``, ``predict(res, transf=...)``,
``rma.mh(...)``, ``rma.peto(...)``, ``regtest(res, model="lm", predictor="sei")``,
``ranktest(res)``, ``trimfill(res)``, ``leave1out(res)``, ``cumul(res, order=year)`` and,
for subgroups, ``rma(yi=group estimates, sei=group SEs, method="FE")$QE``.
CTRL tightens metafor's convergence (threshold and uniroot tol 1e-14): with its defaults
(threshold 1e-5, tol ~1.2e-4) PM's tau^2 and the Q-profile bounds are only good to ~1e-4.

Tolerance: 1e-6 relative for every quantity, as the issue requires. Both sides solve the
same equations to ~1e-12 (closed forms agree to ~1e-15; iterative estimators and the
Q-profile roots are converged to 1e-12-1e-14; the t and chi-square quantiles of R and of
scipy's Cephes differ by ~1e-13), so 1e-6 is a test of the method, not of rounding.
An absolute floor of 1e-10 covers quantities that are exactly zero on one side and
~1e-17 on the other (tau^2 = 0, I^2 = 0) and p-values below 1e-10.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from rlsevidence.analysis import pool_frame
from rlsevidence.bias import begg_test, egger_test, trim_and_fill
from rlsevidence.effects import escalc
from rlsevidence.sensitivity import cumulative, leave_one_out, subgroups

REL = 1e-6
ABS = 1e-10
POOL_KEYS = (
    "k",
    "estimate",
    "se",
    "ci_lower",
    "ci_upper",
    "pvalue",
    "tau2",
    "tau2_ci_lower",
    "tau2_ci_upper",
    "i2",
    "h2",
    "q",
    "q_df",
    "q_pvalue",
    "pi_lower",
    "pi_upper",
)


def close(ours, theirs) -> bool:
    if theirs is None:
        return ours is None or (isinstance(ours, float) and math.isnan(ours))
    if ours is None:
        return False
    return math.isclose(float(ours), float(theirs), rel_tol=REL, abs_tol=ABS)


def mismatches(ours: dict, theirs: dict, keys) -> list[str]:
    return [
        f"{key}: ours {ours.get(key)!r} metafor {theirs.get(key)!r}"
        for key in keys
        if key in theirs and not close(ours.get(key), theirs.get(key))
    ]


def _cases(section):
    import json

    from conftest import REFERENCE

    return json.loads(REFERENCE.read_text())[section]


POOL_CASES = _cases("pool")


ESCALC_CASES = [c for c in POOL_CASES if c["measure"] != "GEN" and "escalc" in c]


@pytest.mark.parametrize("case", ESCALC_CASES, ids=[c["id"] for c in ESCALC_CASES])
def test_escalc_matches_metafor(case):
    """yi and vi as ``escalc(measure, ..., add=1/2, to="only0")``."""
    effects = escalc(case["measure"], pd.DataFrame(case["data"]))
    for name in ("yi", "vi"):
        expected = np.array([np.nan if x is None else x for x in case["escalc"][name]], float)
        np.testing.assert_allclose(getattr(effects, name), expected, rtol=REL, atol=ABS)


@pytest.mark.parametrize("case", POOL_CASES, ids=[c["id"] for c in POOL_CASES])
def test_pool_matches_metafor(case):
    """Every key of ``rlsevidence pool`` against the corresponding metafor quantity."""
    frame = pd.DataFrame(case["data"])
    result, _ = pool_frame(frame, case["measure"], case["method"], hk=case.get("hk", False))
    ours = result.to_dict()
    theirs = case["result"]
    problems = mismatches(ours, theirs, POOL_KEYS)
    if theirs.get("backtransformed"):
        problems += [
            "backtransformed " + p
            for p in mismatches(
                ours["backtransformed"], theirs["backtransformed"], theirs["backtransformed"]
            )
        ]
    assert not problems, "\n".join(problems)


def test_pool_cases_cover_every_measure_and_method():
    measures = {c["measure"] for c in POOL_CASES}
    methods = {c["method"] for c in POOL_CASES}
    assert measures == {"MD", "SMD", "RR", "OR", "RD", "PR", "PLO", "PFT", "GEN"}
    assert methods == {"FE", "DL", "REML", "PM", "ML", "HE", "SJ", "MH", "PETO"}
    assert {c["measure"] for c in POOL_CASES if c["method"] == "MH"} == {"RR", "OR", "RD"}
    assert any(c.get("hk") for c in POOL_CASES)


BIAS_CASES = _cases("bias")


@pytest.mark.parametrize("case", BIAS_CASES, ids=[c["id"] for c in BIAS_CASES])
def test_small_study_tests_match_metafor(case):
    """regtest(model="lm", predictor="sei"), ranktest(), trimfill() of metafor."""
    if case["measure"] == "GEN":
        yi, vi = np.array(case["data"]["yi"]), np.array(case["data"]["vi"])
    else:
        effects = escalc(case["measure"], pd.DataFrame(case["data"]))
        yi, vi = effects.yi, effects.vi
    egger = egger_test(yi, vi).__dict__
    assert not mismatches(
        egger, case["egger"], ("t", "df", "pvalue", "intercept", "limit_estimate")
    )
    begg = begg_test(yi, vi).__dict__
    assert not mismatches(begg, case["begg"], ("tau", "pvalue"))
    fill = trim_and_fill(yi, vi, case["method"])
    assert fill.k0 == case["trimfill"]["k0"]
    assert fill.side == case["trimfill"]["side"]
    assert not mismatches(
        fill.__dict__, case["trimfill"], ("estimate", "se", "ci_lower", "ci_upper")
    )


L1O_CASES = _cases("leave1out")


@pytest.mark.parametrize("case", L1O_CASES, ids=[c["id"] for c in L1O_CASES])
def test_leave_one_out_matches_metafor(case):
    effects = escalc(case["measure"], pd.DataFrame(case["data"]))
    table = leave_one_out(effects.yi, effects.vi, range(len(effects.yi)), case["method"])
    for ours, theirs in zip(table.to_dict("records"), case["rows"], strict=True):
        assert not mismatches(
            ours, theirs, ("estimate", "se", "ci_lower", "ci_upper", "pvalue", "tau2", "i2", "q")
        )


CUM_CASES = _cases("cumulative")


@pytest.mark.parametrize("case", CUM_CASES, ids=[c["id"] for c in CUM_CASES])
def test_cumulative_matches_metafor(case):
    effects = escalc(case["measure"], pd.DataFrame(case["data"]))
    table = cumulative(effects.yi, effects.vi, range(len(effects.yi)), case["year"], case["method"])
    assert list(table["added"]) == case["order_index"]
    for ours, theirs in zip(table.to_dict("records"), case["rows"], strict=True):
        assert not mismatches(
            ours, theirs, ("estimate", "se", "ci_lower", "ci_upper", "pvalue", "tau2", "i2", "q")
        )


SUB_CASES = _cases("subgroup")


@pytest.mark.parametrize("case", SUB_CASES, ids=[c["id"] for c in SUB_CASES])
def test_subgroups_match_metafor(case):
    effects = escalc(case["measure"], pd.DataFrame(case["data"]))
    result = subgroups(
        effects.yi, effects.vi, case["group"], case["measure"], case["method"]
    ).to_dict()
    for name, group in case["groups"].items():
        assert not mismatches(result["groups"][name], group["result"], POOL_KEYS), name
    assert close(result["between_q"], case["between"]["q"])
    assert result["between_df"] == case["between"]["df"]
    assert close(result["between_pvalue"], case["between"]["pvalue"])
    assert close(result["mixed_qm"], case["between_mixed"]["qm"])
    assert close(result["mixed_pvalue"], case["between_mixed"]["pvalue"])


HIGGINS_CASES = [c for c in POOL_CASES if "pi_t_k2" in c["result"]]


@pytest.mark.parametrize("case", HIGGINS_CASES, ids=[c["id"] for c in HIGGINS_CASES])
def test_higgins_prediction_interval(case):
    """``pi_type="higgins"``: estimate +- qt(.975, k-2) sqrt(tau2 + se^2), computed in R from the
    metafor fit (Higgins, Thompson & Spiegelhalter 2009); null when k < 3."""
    frame = pd.DataFrame(case["data"])
    result, _ = pool_frame(
        frame, case["measure"], case["method"], hk=case.get("hk", False), pi_type="higgins"
    )
    expected = case["result"]["pi_t_k2"]
    if expected is None:
        assert result.pi_lower is None and result.pi_upper is None
    else:
        assert close(result.pi_lower, expected["lower"]) and close(
            result.pi_upper, expected["upper"]
        )
