"""Verdict per claim, from a documented rule, and schema.org ClaimReview records.

The rule (also printed in the report's methods section):

1. A claim marked not testable (personal anecdote, opinion) -> **not testable**.
2. A testable claim with no linked analysis that has a pooled estimate -> **insufficient
   evidence**.
3. Otherwise the claim's primary link (first in ``claim_links.csv``) decides, with its
   expectation on the analysis's own comparison:

   - ``greater`` / ``less``: the claim says group 1 exceeds / falls below group 2 (or the
     effect favours group 1). If the 95% CI lies wholly on the claimed side of no effect:
     **supported** when certainty is moderate or high, **partly supported** when low or very
     low. If it lies wholly on the other side: **contradicted** (certainty low or better),
     else **not supported**. If it includes no effect: **not supported** when certainty is
     moderate or high (a precise null), else **insufficient evidence**.
   - ``value``: the claim states a number (``value``, on the natural scale, e.g. 0.10 for
     "one in 10"). Inside the 95% CI: **supported** (moderate/high certainty) or **partly
     supported**; outside the CI but inside the prediction interval: **partly supported**;
     outside both: **contradicted** (low or better) or **not supported** (very low).
   - ``none``: the claim says there is no effect: the mirror of ``greater``/``less``.
4. When several analyses are linked, the others are listed as supporting context.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

VERDICTS = (
    "supported",
    "partly supported",
    "not supported",
    "contradicted",
    "insufficient evidence",
    "not testable",
)
CERTAINTY_ORDER = {"very low": 1, "low": 2, "moderate": 3, "high": 4}
RATINGS = {
    "supported": 5,
    "partly supported": 4,
    "insufficient evidence": 3,
    "not supported": 2,
    "contradicted": 1,
}


@dataclass
class Link:
    claim_id: str
    analysis_id: str
    expected: str  # greater / less / value / none
    value: float | None = None
    note: str = ""


@dataclass
class ClaimVerdict:
    id: str
    speaker: str
    quote: str
    verdict: str
    certainty: str | None
    analyses: list[str]
    summary: str
    type: str = ""
    number_text: str | None = None
    key_number: str | None = None
    primary_analysis: str | None = None
    reasons: list[str] = field(default_factory=list)
    testable: str = ""
    evidence_needed: str = ""
    notes: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def _null(measure: str) -> float | None:
    return None if measure in ("PR", "PLO", "PFT") else 0.0


def _natural(pooled: dict, key: str):
    bt = pooled.get("backtransformed") or {}
    return bt.get(key) if bt and bt.get(key) is not None else pooled.get(key)


def format_estimate(pooled: dict, scale_label: str = "") -> str:
    est = _natural(pooled, "estimate")
    lo, hi = _natural(pooled, "ci_lower"), _natural(pooled, "ci_upper")
    if est is None or lo is None or hi is None:
        return (
            "no pooled estimate"
            if est is None
            else f"{est:.3g} (no interval; k = {pooled.get('k')})"
        )
    text = f"{est:.3g} (95% CI {lo:.3g} to {hi:.3g}; k = {pooled.get('k')})"
    return f"{scale_label} {text}".strip()


def judge(link: Link, pooled: dict, certainty: str) -> tuple[str, str]:
    """Verdict and a one-line reason for one claim-analysis link."""
    level = CERTAINTY_ORDER.get(certainty, 1)
    measure = pooled.get("measure", "GEN")
    lo, hi = pooled.get("ci_lower"), pooled.get("ci_upper")
    if pooled.get("estimate") is None or lo is None or hi is None:
        return "insufficient evidence", "no pooled estimate"
    if link.expected == "value":
        if link.value is None:
            return "insufficient evidence", "the claim's number was not recorded"
        nlo, nhi = _natural(pooled, "ci_lower"), _natural(pooled, "ci_upper")
        plo, phi = _natural(pooled, "pi_lower"), _natural(pooled, "pi_upper")
        if nlo <= link.value <= nhi:
            verdict = "supported" if level >= 3 else "partly supported"
            return (
                verdict,
                f"the claimed {link.value:g} lies inside the 95% CI ({nlo:.3g} to {nhi:.3g})",
            )
        if (
            plo is not None
            and phi is not None
            and plo <= link.value <= phi
            and pooled.get("k", 0) > 1
        ):
            return (
                "partly supported",
                f"the claimed {link.value:g} lies outside the 95% CI ({nlo:.3g} to {nhi:.3g}) "
                f"but inside the prediction interval ({plo:.3g} to {phi:.3g})",
            )
        verdict = "contradicted" if level >= 2 else "not supported"
        return (
            verdict,
            f"the claimed {link.value:g} lies outside the 95% CI ({nlo:.3g} to {nhi:.3g})",
        )
    null = _null(measure)
    if null is None:
        return "insufficient evidence", "a direction claim needs a comparative analysis"
    above, below = lo > null, hi < null
    if link.expected in ("greater", "less"):
        agrees = above if link.expected == "greater" else below
        opposes = below if link.expected == "greater" else above
        if agrees:
            verdict = "supported" if level >= 3 else "partly supported"
            return (
                verdict,
                f"the 95% CI lies wholly on the claimed side of no effect ({certainty} certainty)",
            )
        if opposes:
            verdict = "contradicted" if level >= 2 else "not supported"
            return verdict, "the 95% CI lies wholly on the opposite side of no effect"
        verdict = "not supported" if level >= 3 else "insufficient evidence"
        return verdict, f"the 95% CI includes no effect ({certainty} certainty)"
    if link.expected == "none":
        if above or below:
            verdict = "contradicted" if level >= 2 else "not supported"
            return verdict, "the 95% CI excludes no effect"
        verdict = "supported" if level >= 3 else "partly supported"
        return verdict, f"the 95% CI includes no effect ({certainty} certainty)"
    raise ValueError(f"unknown expectation {link.expected!r}")


def claim_review_jsonld(verdict: ClaimVerdict, report_url: str, date: str) -> dict:
    """A schema.org ClaimReview record (https://schema.org/ClaimReview)."""
    rating = RATINGS.get(verdict.verdict)
    record = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{report_url}#claim-{verdict.id}",
        "datePublished": date,
        "claimReviewed": verdict.quote,
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": verdict.speaker},
            "appearance": {
                "@type": "CreativeWork",
                "headline": "Restless Legs Syndrome Causes and Treatments (article and comments)",
                "datePublished": "2015-03-14",
            },
        },
        "author": {"@type": "Organization", "name": "rls-evidence"},
        "reviewRating": {
            "@type": "Rating",
            "alternateName": verdict.verdict,
            "ratingExplanation": verdict.summary,
        },
    }
    if rating is not None:
        record["reviewRating"].update({"ratingValue": rating, "bestRating": 5, "worstRating": 1})
    return record


def dumps(records) -> str:
    return json.dumps(records, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
