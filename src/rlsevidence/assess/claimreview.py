"""schema.org ClaimReview records (https://schema.org/ClaimReview), one per claim."""

from __future__ import annotations

import json

#: Rating on ClaimReview's 1-5 scale (5 = the claim holds); untestable claims get none.
RATINGS = {
    "supported": 5,
    "partly supported": 4,
    "insufficient evidence": 3,
    "not supported": 2,
    "contradicted": 1,
}


def claim_review_jsonld(verdict: dict, report_url: str, date: str) -> dict:
    """A schema.org ClaimReview record (https://schema.org/ClaimReview)."""
    rating = RATINGS.get(verdict["verdict"])
    record = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{report_url}#claim-{verdict['id']}",
        "datePublished": date,
        "claimReviewed": verdict["quote"],
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": verdict["speaker"]},
            "appearance": {
                "@type": "CreativeWork",
                "headline": "Restless Legs Syndrome Causes and Treatments (article and comments)",
                "datePublished": "2015-03-14",
            },
        },
        "author": {"@type": "Organization", "name": "rls-evidence"},
        "reviewRating": {
            "@type": "Rating",
            "alternateName": verdict["verdict"],
            "ratingExplanation": verdict["summary"],
        },
    }
    if rating is not None:
        record["reviewRating"].update({"ratingValue": rating, "bestRating": 5, "worstRating": 1})
    return record


def dumps(records) -> str:
    return json.dumps(records, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
