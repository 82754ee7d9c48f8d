"""Certainty of a body of evidence, GRADE-style, computed with a one-line reason per step.

Guyatt et al. (2011), GRADE guidelines, J Clin Epidemiol 64:383-394 and the series that
follows (risk of bias 64:407; inconsistency 64:1294; imprecision 64:1283; indirectness
64:1303; publication bias 64:1277; rating up 64:1311). Thresholds come from the config
(``grade:``), each with the source it was taken from; nothing here hard-codes them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from .measures import MEASURE

LEVELS = {4: "high", 3: "moderate", 2: "low", 1: "very low"}
#: Starting certainty by the design that answers the question. Intervention effects from
#: randomised trials start high, from observational studies low (Guyatt et al. 2011, J Clin
#: Epidemiol 64:383). Prevalence, prognosis and association questions answered by
#: population-based (representative) observational studies start high (Iorio A et al. Using
#: GRADE to rate the quality of evidence for prognosis. BMJ 2015;350:h870).
STARTS = {
    "randomised": (4, "high (randomised trials)"),
    "population_based": (
        4,
        "high (population-based observational studies of a prevalence or association "
        "question; Iorio et al. 2015)",
    ),
    "observational": (2, "low (observational studies)"),
}


@dataclass
class Step:
    domain: str
    change: int
    reason: str


@dataclass
class Certainty:
    analysis: str
    start: str
    level: str
    score: int
    steps: list[Step] = field(default_factory=list)
    published_rating: str | None = None
    published_source: str | None = None
    agreement: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class GradeInputs:
    """What grading needs of one analysis."""

    analysis: str
    design_kind: str  # "randomised", "population_based" or "observational" (see STARTS)
    measure: str
    pooled: dict
    bias: dict | None
    rob: list[str]  # per study: low / some_concerns / high / "" (unknown)
    weights: list[float]
    total_n: float | None
    total_events: float | None
    indirectness: str = "none"  # none / serious / very_serious
    indirectness_reason: str = ""
    mid: float | None = None  # minimal important difference on the analysis scale
    mid_source: str = ""


def _crosses(lower, upper, value) -> bool:
    return lower is not None and upper is not None and lower < value < upper


def assess(inputs: GradeInputs, thresholds: dict) -> Certainty:
    """Rate certainty. ``thresholds`` is the config's ``grade:`` mapping."""
    randomised = inputs.design_kind == "randomised"
    score, start = STARTS[inputs.design_kind]
    steps: list[Step] = []
    pooled = inputs.pooled
    k = pooled.get("k") or 0
    if pooled.get("estimate") is None:
        steps.append(Step("imprecision", -2, "no pooled estimate could be computed"))
        score -= 2
        return Certainty(inputs.analysis, start, LEVELS[max(1, score)], max(1, score), steps)

    # Risk of bias: share of weight from high-risk studies.
    w = np.asarray(inputs.weights, float)
    w = w / w.sum() if w.sum() > 0 else np.full(len(inputs.rob), 1 / max(len(inputs.rob), 1))
    high = float(sum(wi for wi, r in zip(w, inputs.rob, strict=False) if r == "high"))
    unknown = float(sum(wi for wi, r in zip(w, inputs.rob, strict=False) if r in ("", None)))
    t_serious = thresholds["rob_serious_share"]
    t_very = thresholds["rob_very_serious_share"]
    if high >= t_very:
        change, what = -2, "very serious"
    elif high >= t_serious:
        change, what = -1, "serious"
    else:
        change, what = 0, "not serious"
    reason = f"{what}: {high:.0%} of the weight comes from studies at high risk of bias"
    if unknown > 0:
        reason += f" ({unknown:.0%} of weight not assessed)"
    steps.append(Step("risk of bias", change, reason))
    score += change

    # Inconsistency.
    if k < 2:
        steps.append(Step("inconsistency", 0, "not assessable: a single study"))
    else:
        i2 = pooled.get("i2") or 0.0
        # A single-group proportion has no "no effect": judge it by I² alone.
        comparative = MEASURE[inputs.measure].comparative
        null = 0.0
        pi_crosses = comparative and _crosses(pooled.get("pi_lower"), pooled.get("pi_upper"), null)
        ci_crosses = comparative and _crosses(pooled.get("ci_lower"), pooled.get("ci_upper"), null)
        if (
            i2 >= thresholds["i2_very_serious"]
            and (pi_crosses or not comparative)
            and not ci_crosses
        ):
            change, what = -2, "very serious"
        elif i2 >= thresholds["i2_serious"] or (pi_crosses and not ci_crosses):
            change, what = -1, "serious"
        else:
            change, what = 0, "not serious"
        reason = f"{what}: I² = {i2:.0f}%" + (
            ", and the prediction interval includes no effect" if pi_crosses else ""
        )
        steps.append(Step("inconsistency", change, reason))
        score += change

    # Indirectness (declared per analysis).
    change = {"none": 0, "serious": -1, "very_serious": -2}[inputs.indirectness]
    reason = (
        "not serious: population, intervention and outcome match the claim"
        if change == 0
        else f"{inputs.indirectness.replace('_', ' ')}: {inputs.indirectness_reason}"
    )
    steps.append(Step("indirectness", change, reason))
    score += change

    # Imprecision.
    lower, upper = pooled.get("ci_lower"), pooled.get("ci_upper")
    proportion = MEASURE[inputs.measure].is_proportion
    change, parts = 0, []
    if proportion:
        bt = pooled.get("backtransformed") or {}
        width = (bt.get("ci_upper") or 0) - (bt.get("ci_lower") or 0)
        if width > thresholds["proportion_ci_width_very_serious"]:
            change = -2
        elif width > thresholds["proportion_ci_width_serious"]:
            change = -1
        parts.append(f"95% CI of the proportion spans {width:.0%}")
    else:
        if _crosses(lower, upper, 0.0):
            change = -1
            parts.append("the 95% CI includes no effect")
            if inputs.mid is not None and lower < -inputs.mid and upper > inputs.mid:
                change = -2
                parts.append(
                    f"and spans appreciable benefit and harm (minimal important difference "
                    f"{inputs.mid:g}, {inputs.mid_source})"
                )
        else:
            parts.append("the 95% CI excludes no effect")
        ois_n = thresholds["ois_participants"]
        ois_e = thresholds["ois_events"]
        small = (inputs.total_events is not None and inputs.total_events < ois_e) or (
            inputs.total_events is None and inputs.total_n is not None and inputs.total_n < ois_n
        )
        if small:
            if change == 0:
                change = -1
            size = (
                f"{inputs.total_events:.0f} events < {ois_e}"
                if inputs.total_events is not None
                else f"{inputs.total_n:.0f} participants < {ois_n}"
            )
            parts.append(f"total size below the optimal information size ({size})")
    what = {0: "not serious", -1: "serious", -2: "very serious"}[change]
    steps.append(Step("imprecision", change, f"{what}: " + "; ".join(parts)))
    score += change

    # Publication bias / small-study effects.
    egger = (inputs.bias or {}).get("egger") or {}
    if k < thresholds["min_k_small_study_tests"]:
        steps.append(
            Step(
                "publication bias",
                0,
                f"not assessable: k = {k} < {thresholds['min_k_small_study_tests']} "
                "(tests for small-study effects lack power)",
            )
        )
    elif egger.get("pvalue") is not None and egger["pvalue"] < thresholds["egger_alpha"]:
        steps.append(
            Step("publication bias", -1, f"suspected: Egger's test p = {egger['pvalue']:.3f}")
        )
        score -= 1
    else:
        steps.append(Step("publication bias", 0, "not detected by Egger's test"))

    # Rating up for a large effect (observational evidence, no serious concern above).
    no_concern = all(s.change == 0 for s in steps[:2])
    if not randomised and MEASURE[inputs.measure].is_ratio and no_concern:
        bt = pooled.get("backtransformed") or {}
        est, lo_, hi_ = bt.get("estimate"), bt.get("ci_lower"), bt.get("ci_upper")
        if est is not None and lo_ is not None and hi_ is not None and (lo_ > 1 or hi_ < 1):
            ratio = est if est >= 1 else 1 / est
            if ratio >= thresholds["very_large_effect_ratio"]:
                steps.append(Step("large effect", 2, f"very large effect (ratio {est:.2f})"))
                score += 2
            elif ratio >= thresholds["large_effect_ratio"]:
                steps.append(Step("large effect", 1, f"large effect (ratio {est:.2f})"))
                score += 1
    score = int(min(4, max(1, score)))
    return Certainty(inputs.analysis, start, LEVELS[score], score, steps)


def compare_with_published(certainty: Certainty, rating: str | None, source: str | None) -> None:
    """Record a published rating of the same body of evidence, and whether it agrees."""
    if not rating:
        return
    certainty.published_rating = rating
    certainty.published_source = source
    ours = certainty.level
    if rating.strip().lower() == ours:
        certainty.agreement = "agrees"
    else:
        downgrades = [s for s in certainty.steps if s.change < 0]
        why = "; ".join(f"{s.domain}: {s.reason}" for s in downgrades) or "no downgrades here"
        certainty.agreement = (
            f"differs ({rating} published vs {ours} here). Our steps: {why}. Published reviews "
            "also weigh evidence not in this sheet (e.g. full-text risk-of-bias tables)."
        )
