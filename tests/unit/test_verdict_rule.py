"""The verdict rule (rlsevidence.assess.rule), one test per branch, and analysis items.

The expected verdicts follow from the rule as documented in the module docstring (which is
printed in the report's methods); each test names the branch it covers.
"""

import math

import pytest

from rlsevidence.assess.evidence import EvidenceItem, Proposition, analysis_item
from rlsevidence.assess.rule import Item, PartVerdict, combine, judge_part
from rlsevidence.headline import headline


def item(direction, directness="direct", certainty="moderate", design="observational"):
    return Item(f"{direction}-{certainty}", direction, directness, certainty, design)


# ----------------------------------------------------------------- not-testable, no-evidence


@pytest.mark.parametrize("kind", ["anecdote", "opinion"])
def test_untestable_kinds_are_not_testable(kind):
    v = judge_part("a", kind, [item("supports")])
    assert (v.verdict, v.step) == ("not testable", "not-testable")


def test_no_items_is_insufficient_with_the_reason():
    v = judge_part("a", "association", [])
    assert (v.verdict, v.step) == ("insufficient evidence", "no-evidence")
    assert "not_found.csv" in v.reasons[0]


# ------------------------------------------------------------------------ uninformative


def test_precise_direct_null_is_not_supported():
    v = judge_part("a", "causal", [item("neither", certainty="high", design="sr_rct")])
    assert (v.verdict, v.step, v.certainty) == ("not supported", "uninformative", "high")


def test_imprecise_or_indirect_null_is_insufficient():
    v = judge_part(
        "a", "causal", [item("neither", certainty="low"), item("neither", "indirect", "high")]
    )
    assert (v.verdict, v.step) == ("insufficient evidence", "uninformative")


# ------------------------------------------------------------------------ best-evidence


@pytest.mark.parametrize(
    ("direction", "certainty", "verdict"),
    [
        ("supports", "high", "supported"),
        ("supports", "moderate", "supported"),
        ("supports", "low", "partly supported"),
        ("supports", "very low", "insufficient evidence"),
        ("against", "high", "contradicted"),
        ("against", "moderate", "contradicted"),
        ("against", "low", "not supported"),
        ("against", "very low", "insufficient evidence"),
        ("partly", "moderate", "partly supported"),
        ("partly", "very low", "insufficient evidence"),
    ],
)
def test_direct_evidence_by_certainty(direction, certainty, verdict):
    v = judge_part("a", "association", [item(direction, certainty=certainty)])
    assert (v.verdict, v.step) == (verdict, "best-evidence")


@pytest.mark.parametrize(
    ("direction", "verdict"), [("supports", "partly supported"), ("against", "not supported")]
)
def test_indirect_evidence_is_capped(direction, verdict):
    v = judge_part("a", "association", [item(direction, "indirect", "high")])
    assert v.verdict == verdict


def test_direct_outranks_indirect_and_the_conflict_is_stated():
    v = judge_part(
        "a",
        "association",
        [item("supports", "direct", "moderate"), item("against", "indirect", "high")],
    )
    assert v.verdict == "supported"
    assert len(v.conflicts) == 1 and "against" in v.conflicts[0]


def test_higher_certainty_outranks_lower():
    v = judge_part(
        "a", "association", [item("against", certainty="low"), item("supports", certainty="high")]
    )
    assert v.verdict == "supported" and v.certainty == "high" and v.conflicts


def test_conflict_at_the_top_rank_is_partly_supported():
    v = judge_part("a", "association", [item("supports"), item("against")])
    assert v.verdict == "partly supported"
    assert any("conflict" in r for r in v.reasons)


def test_conflicting_low_certainty_evidence_settles_nothing():
    v = judge_part(
        "a", "association", [item("supports", certainty="low"), item("against", certainty="low")]
    )
    assert v.verdict == "insufficient evidence" and "conflict" in v.reasons[-1]


@pytest.mark.parametrize(
    ("main", "verdict"), [("supports", "supported"), ("against", "contradicted")]
)
def test_qualified_items_beside_a_clear_one_do_not_split_the_verdict(main, verdict):
    v = judge_part(
        "a", "association", [item(main, certainty="high"), item("partly", certainty="high")]
    )
    assert v.verdict == verdict and any("qualification" in r for r in v.reasons)


def test_causal_claim_backed_only_by_associations_is_at_most_partly_supported():
    observational = judge_part("a", "causal", [item("supports", certainty="high")])
    randomised = judge_part("a", "causal", [item("supports", certainty="high", design="sr_rct")])
    assert observational.verdict == "partly supported"
    assert randomised.verdict == "supported"


def test_neither_items_do_not_decide_when_informative_items_exist():
    v = judge_part("a", "association", [item("neither", certainty="high"), item("supports")])
    assert v.verdict == "supported"


# ----------------------------------------------------------------------------- combine


def part(verdict, certainty="moderate", step="best-evidence"):
    return PartVerdict("a", verdict, certainty, step)


@pytest.mark.parametrize(
    ("verdicts", "combined"),
    [
        (["supported", "supported"], "supported"),
        (["supported", "contradicted"], "partly supported"),
        (["supported", "insufficient evidence"], "partly supported"),
        (["partly supported", "not supported"], "partly supported"),
        (["contradicted", "contradicted"], "contradicted"),
        (["contradicted", "insufficient evidence"], "not supported"),
        (["not supported", "insufficient evidence"], "not supported"),
        (["insufficient evidence"], "insufficient evidence"),
        (["not testable"], "not testable"),
        (["not testable", "supported"], "supported"),
    ],
)
def test_combining_parts(verdicts, combined):
    assert combine([part(v) for v in verdicts])[0] == combined


def test_claim_certainty_is_the_lowest_decided_part():
    assert combine([part("supported", "high"), part("supported", "low")]) == ("supported", "low")
    assert combine([part("insufficient evidence", None, "no-evidence")])[1] is None


# ---------------------------------------------------------------------- analysis items


def grade(level="moderate", score=3, indirect_change=0):
    return {
        "level": level,
        "score": score,
        "steps": [{"domain": "indirectness", "change": indirect_change, "reason": ""}],
    }


def evidence(expected, directness="direct"):
    return EvidenceItem(
        "c1",
        "a",
        "analysis",
        "x",
        expected,
        "",
        "",
        "",
        "computed",
        directness,
        "" if directness == "direct" else "population",
        "observational",
        "computed",
        "",
        "",
    )


def prop(expected="greater", value=None, band=(None, None)):
    return Proposition("c1", "a", "association", "p", expected, value, band[0], band[1], "why")


def test_small_k_headline_is_the_bayesian_interval():
    pooled = {
        "k": 2,
        "measure": "OR",
        "method": "REML",
        "hk": True,
        "estimate": 2.0,
        "ci_lower": -5.0,
        "ci_upper": 9.0,
        "bayes": {"estimate": 2.0, "ci_lower": 1.0, "ci_upper": 3.0, "prior": "p", "level": 95},
    }
    head = headline(pooled)
    assert (head.ci_lower, head.ci_upper) == (1.0, 3.0) and head.informative
    it = analysis_item(evidence("greater"), prop(), pooled, grade())
    assert it.direction == "supports"


def test_interval_wider_than_a_ratio_of_1000_is_not_used():
    pooled = {
        "k": 2,
        "measure": "OR",
        "method": "REML",
        "hk": True,
        "estimate": 1.0,
        "ci_lower": -8.0,
        "ci_upper": 9.0,
        "bayes": None,
    }
    assert not headline(pooled).informative
    assert analysis_item(evidence("greater"), prop(), pooled, grade()).direction == "neither"
    assert math.log(1000) < 17


@pytest.mark.parametrize(
    ("ci", "expected", "direction"),
    [
        ((0.1, 0.5), "greater", "supports"),
        ((-0.5, -0.1), "greater", "against"),
        ((-0.1, 0.5), "greater", "neither"),
        ((-0.5, -0.1), "less", "supports"),
        ((-0.1, 0.5), "none", "supports"),
        ((0.1, 0.5), "none", "against"),
    ],
)
def test_direction_from_the_interval(ci, expected, direction):
    pooled = {
        "k": 6,
        "measure": "MD",
        "method": "REML",
        "hk": True,
        "estimate": sum(ci) / 2,
        "ci_lower": ci[0],
        "ci_upper": ci[1],
    }
    assert analysis_item(evidence(expected), prop(expected), pooled, grade()).direction == direction


@pytest.mark.parametrize(
    ("ci", "direction"),
    [((-2.3, -2.1), "supports"), ((-1.2, -0.8), "against"), ((-1.9, -1.0), "partly")],
)
def test_a_number_is_judged_against_its_band(ci, direction):
    # logit(0.075) = -2.51, logit(0.135) = -1.86: the band 7.5% to 13.5% of "one in 10".
    pooled = {
        "k": 9,
        "measure": "PLO",
        "method": "REML",
        "hk": True,
        "estimate": sum(ci) / 2,
        "ci_lower": ci[0],
        "ci_upper": ci[1],
    }
    p = prop("value", 0.10, (0.075, 0.135))
    assert analysis_item(evidence("value"), p, pooled, grade()).direction == direction


def test_indirectness_is_judged_per_claim_evidence_pair():
    pooled = {
        "k": 6,
        "measure": "MD",
        "method": "REML",
        "hk": True,
        "estimate": 1.0,
        "ci_lower": 0.5,
        "ci_upper": 1.5,
    }
    # the analysis was downgraded for indirectness (to low); for a direct pair that is undone
    g = grade("low", 2, indirect_change=-1)
    assert analysis_item(evidence("greater"), prop(), pooled, g).certainty == "moderate"
    assert analysis_item(evidence("greater", "indirect"), prop(), pooled, g).certainty == "low"
