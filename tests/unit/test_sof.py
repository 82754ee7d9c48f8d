"""Summary of Findings absolute effects (rlsevidence.sof), checked by hand as GRADEpro does."""

import pytest

from rlsevidence.sof import absolute_effect, corresponding_risk, summary_row


def test_corresponding_risk_from_a_risk_ratio_and_an_odds_ratio():
    # RR 2 on an assumed risk of 100 per 1,000 -> 200 per 1,000
    assert corresponding_risk(0.1, "RR", 2.0) == pytest.approx(0.2)
    # OR 2: odds 0.1/0.9 * 2 = 0.2222 -> risk 0.2222/1.2222 = 0.181818
    assert corresponding_risk(0.1, "OR", 2.0) == pytest.approx(2 / 11)


def test_absolute_effect_per_1000_with_the_median_comparison_risk():
    effect = absolute_effect("RR", 1.5, (1.2, 2.0), [0.08, 0.10, 0.30])
    assert effect.assumed_per_1000 == pytest.approx(100)
    assert effect.corresponding_per_1000 == pytest.approx(150)
    assert effect.difference_ci == pytest.approx((20, 100))
    assert absolute_effect("MD", -3.0, (-5.0, -1.0), [0.1]) is None


def test_footnotes_name_each_downgrade():
    grade = {
        "level": "low",
        "steps": [
            {"domain": "risk of bias", "change": -1, "reason": "serious: 40% high risk"},
            {"domain": "imprecision", "change": 0, "reason": "not serious"},
            {"domain": "inconsistency", "change": -1, "reason": "serious: I² = 60%"},
        ],
    }
    head = {"informative": True, "estimate": 2.0, "ci_lower": 1.5, "ci_upper": 3.0}
    row = summary_row("o", 300, grade, {"measure": "OR", "k": 3}, [0.1], head)
    assert row.symbols == "⊕⊕◯◯" and row.participants == 300 and row.studies == 3
    assert row.footnotes == [
        "Downgraded 1 for risk of bias: serious: 40% high risk",
        "Downgraded 1 for inconsistency: serious: I² = 60%",
    ]
