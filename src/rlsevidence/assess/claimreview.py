"""schema.org ClaimReview records (https://schema.org/ClaimReview), one per claim.

Written to ``results/claims.jsonld`` and embedded in the report as
``<script type="application/ld+json">``, where search engines and fact-check aggregators read
them. URLs are absolute, built from the configured ``report_url``; the reviewed claim names
where it appeared (the article's address) and its author, typed ``Organization`` for an
organisation quoted in the article (WebMD, Healthline) and ``Person`` otherwise.

The rating uses ClaimReview's numeric scale, explained in ``ratingExplanation`` and by
``bestRating``/``worstRating``: 5 supported, 4 partly supported, 3 insufficient evidence,
2 not supported, 1 contradicted; an untestable claim gets no number, only its verdict in
``alternateName``.
"""

from __future__ import annotations

import json
import re

RATINGS = {
    "supported": 5,
    "partly supported": 4,
    "insufficient evidence": 3,
    "not supported": 2,
    "contradicted": 1,
}
SCALE_TEXT = (
    "Scale 1-5: 5 supported, 4 partly supported, 3 insufficient evidence, 2 not supported, "
    "1 contradicted (rls-evidence verdict rule)."
)
#: Speakers that are organisations (their web pages were quoted in the article).
ORGANISATIONS = ("WebMD", "Healthline")


def author_of(speaker: str) -> dict:
    """``Person`` or ``Organization``, with the role in brackets dropped from the name."""
    name = re.sub(r"\s*\([^)]*\)\s*$", "", speaker).strip() or speaker
    kind = "Organization" if name in ORGANISATIONS else "Person"
    return {"@type": kind, "name": name}


def claim_review_jsonld(
    verdict: dict, report_url: str, date: str, article: dict | None = None
) -> dict:
    """A schema.org ClaimReview record for one claim of ``results/claims.json``.

    ``article``: ``{"url", "headline", "datePublished"}`` of the page the claim appeared on.
    """
    article = article or {}
    rating = RATINGS.get(verdict["verdict"])
    appearance = {"@type": "CreativeWork"}
    appearance.update({k: v for k, v in article.items() if v})
    record = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{report_url}#claim-{verdict['id']}",
        "datePublished": date,
        "claimReviewed": verdict["quote"],
        "itemReviewed": {
            "@type": "Claim",
            "author": author_of(verdict["speaker"]),
            "appearance": appearance,
            "firstAppearance": appearance,
        },
        "author": {"@type": "Organization", "name": "rls-evidence", "url": report_url},
        "reviewRating": {
            "@type": "Rating",
            "alternateName": verdict["verdict"],
            "ratingExplanation": f"{verdict['summary']} {SCALE_TEXT}".strip(),
        },
    }
    if rating is not None:
        record["reviewRating"].update({"ratingValue": rating, "bestRating": 5, "worstRating": 1})
    return record


def dumps(records) -> str:
    return json.dumps(records, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
