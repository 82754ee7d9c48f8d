"""Check sources, excerpts, claims, propositions, evidence and published estimates.

Rule validate_registry.
"""

from rlsevidence.jobs.io import snakemake_step
from rlsevidence.jobs.registry import validate_registry

with snakemake_step(snakemake.log[0]):
    validate_registry(
        sources=snakemake.input.sources,
        excerpts=snakemake.input.excerpts,
        claims=snakemake.input.claims,
        propositions=snakemake.input.propositions,
        claim_evidence=snakemake.input.claim_evidence,
        published=snakemake.input.published,
        not_found=snakemake.input.not_found,
        article=snakemake.input.article,
        package=snakemake.input.package,
        analysis_ids=snakemake.params.analyses,
        sheets=list(snakemake.input.sheets),
        output=snakemake.output[0],
    )
