"""Job: every claim judged on all its evidence; ClaimReview records."""

from __future__ import annotations

from pathlib import Path

from .io import log, read_json
from .registry import load_assessment_inputs
from .validate import load_registry


def judge_claims(
    *,
    claims: str,
    propositions: str,
    claim_evidence: str,
    sources: str,
    excerpts: str,
    analyses: dict,
    report_url: str,
    article: dict | None = None,
    snapshot_date: str,
    output: str,
    output_jsonld: str,
) -> list[dict]:
    """Verdict per claim over all its evidence items (rule: ``rlsevidence.assess.rule``).

    ``analyses`` maps analysis id -> {"pooled": path, "grade": path, "meta": dict} (meta: the
    analysis's settings, with its title, groups and unit).
    """
    from ..assess import assess_claim
    from ..assess.claimreview import claim_review_jsonld, dumps
    from ..data import read_csv

    registry = load_registry(sources, excerpts)
    table = read_csv(claims).fillna("")
    props, items = load_assessment_inputs(
        claims_frame=table,
        propositions=propositions,
        claim_evidence=claim_evidence,
        registry=registry,
        analysis_ids=list(analyses),
    )
    results = {
        a: (read_json(p["pooled"]), read_json(p["grade"]), {"title": a} | dict(p.get("meta") or {}))
        for a, p in analyses.items()
    }
    verdicts = []
    for claim in table.to_dict("records"):
        cid = claim["id"]
        verdicts.append(
            assess_claim(
                {k: str(v) for k, v in claim.items()},
                [p for p in props if p.claim_id == cid],
                [i for i in items if i.claim_id == cid],
                results,
            ).to_dict()
        )
    Path(output).write_text(dumps(verdicts), encoding="utf-8")
    jsonld = [claim_review_jsonld(v, report_url, snapshot_date, article) for v in verdicts]
    Path(output_jsonld).write_text(dumps(jsonld), encoding="utf-8")
    log.info("judged %d claims", len(verdicts))
    return verdicts
