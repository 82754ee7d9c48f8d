"""GRADE rules and claim verdicts on constructed cases, one per domain and threshold."""

from __future__ import annotations

import pytest
import yaml
from conftest import ROOT

from rlsevidence.grade import GradeInputs, assess

THRESHOLDS = yaml.safe_load((ROOT / "config/config.yaml").read_text())["grade"]


def pooled(**overrides):
    base = {
        "k": 5,
        "measure": "MD",
        "estimate": -3.0,
        "ci_lower": -4.0,
        "ci_upper": -2.0,
        "pi_lower": -5.0,
        "pi_upper": -1.0,
        "i2": 10.0,
        "backtransformed": None,
    }
    base.update(overrides)
    return base


def inputs(**overrides):
    base = dict(
        analysis="x",
        design_kind="randomised",
        measure="MD",
        pooled=pooled(),
        bias={"egger": {"pvalue": 0.5}},
        rob=["low"] * 5,
        weights=[20.0] * 5,
        total_n=1000.0,
        total_events=None,
    )
    base.update(overrides)
    return GradeInputs(**base)


def step(certainty, domain):
    return next(s for s in certainty.steps if s.domain == domain)


def test_clean_randomised_evidence_is_high():
    c = assess(inputs(), THRESHOLDS)
    assert c.level == "high" and all(s.change == 0 for s in c.steps)
    assert all(s.reason for s in c.steps)


def test_observational_evidence_starts_low():
    assert assess(inputs(design_kind="observational"), THRESHOLDS).level == "low"


def test_population_based_prevalence_evidence_starts_high():
    # Iorio et al. 2015 (BMJ 350:h870): representative cohorts / surveys start at high.
    c = assess(inputs(design_kind="population_based"), THRESHOLDS)
    assert c.level == "high" and c.start.startswith("high (population-based")


@pytest.mark.parametrize(
    ("rob", "change"),
    [
        (["high", "low", "low", "low", "low"], 0),  # 20% < 25%
        (["high", "high", "low", "low", "low"], -1),  # 40% >= 25%
        (["high", "high", "high", "high", "low"], -2),  # 80% >= 75%
    ],
)
def test_risk_of_bias_by_share_of_weight(rob, change):
    assert step(assess(inputs(rob=rob), THRESHOLDS), "risk of bias").change == change


@pytest.mark.parametrize(
    ("i2", "pi", "change"),
    [
        (40.0, (-5.0, -1.0), 0),
        (55.0, (-5.0, -1.0), -1),  # I2 >= 50
        (30.0, (-5.0, 1.0), -1),  # PI includes no effect while CI does not
        (80.0, (-6.0, 2.0), -2),  # I2 >= 75 and PI crosses no effect
    ],
)
def test_inconsistency(i2, pi, change):
    p = pooled(i2=i2, pi_lower=pi[0], pi_upper=pi[1])
    assert step(assess(inputs(pooled=p), THRESHOLDS), "inconsistency").change == change


def test_single_study_inconsistency_not_assessable():
    c = assess(inputs(pooled=pooled(k=1), rob=["low"], weights=[100.0]), THRESHOLDS)
    assert step(c, "inconsistency").change == 0
    assert "single study" in step(c, "inconsistency").reason


@pytest.mark.parametrize(
    ("declared", "change"), [("none", 0), ("serious", -1), ("very_serious", -2)]
)
def test_indirectness_as_declared(declared, change):
    c = assess(inputs(indirectness=declared, indirectness_reason="other population"), THRESHOLDS)
    assert step(c, "indirectness").change == change


def test_imprecision_ci_crossing_null():
    c = assess(inputs(pooled=pooled(ci_lower=-2.0, ci_upper=0.5)), THRESHOLDS)
    assert step(c, "imprecision").change == -1


def test_imprecision_ci_spanning_benefit_and_harm_with_mid():
    c = assess(
        inputs(pooled=pooled(ci_lower=-4.0, ci_upper=4.0), mid=3.0, mid_source="test"), THRESHOLDS
    )
    assert step(c, "imprecision").change == -2


def test_imprecision_below_optimal_information_size():
    c = assess(inputs(total_n=120.0), THRESHOLDS)
    imprecision = step(c, "imprecision")
    assert imprecision.change == -1 and "optimal information size" in imprecision.reason


def test_imprecision_events_for_binary_outcomes():
    p = pooled(measure="RR", estimate=-0.5, ci_lower=-0.8, ci_upper=-0.2)
    c = assess(inputs(measure="RR", pooled=p, total_events=120.0), THRESHOLDS)
    assert "120 events < 300" in step(c, "imprecision").reason


def test_imprecision_of_a_proportion_by_interval_width():
    wide = pooled(
        measure="PLO", backtransformed={"estimate": 0.2, "ci_lower": 0.05, "ci_upper": 0.45}
    )
    narrow = pooled(
        measure="PLO", backtransformed={"estimate": 0.1, "ci_lower": 0.08, "ci_upper": 0.12}
    )
    assert step(assess(inputs(measure="PLO", pooled=wide), THRESHOLDS), "imprecision").change == -2
    assert step(assess(inputs(measure="PLO", pooled=narrow), THRESHOLDS), "imprecision").change == 0


def test_publication_bias_only_with_ten_studies():
    few = assess(inputs(bias={"egger": {"pvalue": 0.01}}), THRESHOLDS)
    assert (
        step(few, "publication bias").change == 0
        and "k = 5 < 10" in step(few, "publication bias").reason
    )
    many = assess(
        inputs(
            pooled=pooled(k=12),
            rob=["low"] * 12,
            weights=[1.0] * 12,
            bias={"egger": {"pvalue": 0.05}},
        ),
        THRESHOLDS,
    )
    assert step(many, "publication bias").change == -1


@pytest.mark.parametrize(("ratio", "change"), [(1.5, 0), (2.5, 1), (6.0, 2)])
def test_large_effect_rates_up_observational_evidence(ratio, change):
    import math

    log = math.log(ratio)
    p = pooled(
        measure="OR",
        estimate=log,
        ci_lower=log - 0.2,
        ci_upper=log + 0.2,
        pi_lower=log - 0.3,
        pi_upper=log + 0.3,
        backtransformed={"estimate": ratio, "ci_lower": ratio * 0.82, "ci_upper": ratio * 1.22},
    )
    c = assess(
        inputs(design_kind="observational", measure="OR", pooled=p, total_events=5000.0), THRESHOLDS
    )
    up = [s for s in c.steps if s.domain == "large effect"]
    assert (up[0].change if up else 0) == change


@pytest.mark.parametrize(("i2", "change"), [(40.0, 0), (60.0, -1), (90.0, -2)])
def test_inconsistency_of_single_proportions_by_i2_alone(i2, change):
    p = pooled(measure="PLO", i2=i2, estimate=-2.0, ci_lower=-2.5, ci_upper=-1.5, pi_lower=-4.0, pi_upper=0.5,
               backtransformed={"estimate": 0.12, "ci_lower": 0.08, "ci_upper": 0.18})  # fmt: skip
    assert (
        step(assess(inputs(measure="PLO", pooled=p), THRESHOLDS), "inconsistency").change == change
    )
