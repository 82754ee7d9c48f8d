"""Verdict per claim and ClaimReview JSON-LD (rule claims)."""

from rlsevidence.steps import judge_claims, snakemake_step

meta = snakemake.params.meta
with snakemake_step(snakemake.log[0]):
    judge_claims(
        claims=snakemake.input.claims,
        claim_links=snakemake.input.claim_links,
        analyses={
            analysis: {
                "pooled": f"results/analyses/{analysis}/pooled.json",
                "grade": f"results/analyses/{analysis}/grade.json",
                "title": meta[analysis].get("title", analysis),
            }
            for analysis in snakemake.params.analyses
        },
        report_url=snakemake.params.report_url,
        snapshot_date=snakemake.params.snapshot,
        output=snakemake.output.claims,
        output_jsonld=snakemake.output.jsonld,
    )
