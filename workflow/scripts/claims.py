"""Verdict per claim and ClaimReview JSON-LD (rule claims)."""

from rlsevidence.jobs.claims import judge_claims
from rlsevidence.jobs.io import snakemake_step

meta = snakemake.params.meta
with snakemake_step(snakemake.log[0]):
    judge_claims(
        claims=snakemake.input.claims,
        propositions=snakemake.input.propositions,
        claim_evidence=snakemake.input.claim_evidence,
        sources=snakemake.input.sources,
        excerpts=snakemake.input.excerpts,
        analyses={
            analysis: {
                "pooled": pooled,
                "grade": grade,
                "meta": meta[analysis],
            }
            for analysis, pooled, grade in zip(
                snakemake.params.analyses,
                snakemake.input.pooled,
                snakemake.input.grade,
                strict=True,
            )
        },
        report_url=snakemake.params.report_url,
        article=snakemake.params.article,
        snapshot_date=snakemake.params.snapshot,
        output=snakemake.output.claims,
        output_jsonld=snakemake.output.jsonld,
    )
