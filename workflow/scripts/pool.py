"""Pooled model, small-study tests, leave-one-out, cumulative, subgroups (rule pool)."""

from rlsevidence.jobs.io import snakemake_step
from rlsevidence.jobs.pool import pool_analysis

settings = snakemake.params.settings
with snakemake_step(snakemake.log[0]):
    pool_analysis(
        sheet=snakemake.input.sheet,
        effects=snakemake.input.effects,
        analysis=snakemake.wildcards.analysis,
        measure=settings["measure"],
        method=settings["method"],
        hk=settings["hk"],
        level=settings["level"],
        pi_type=settings["pi_type"],
        add=settings["add"],
        to=settings["to"],
        subgroup=settings.get("subgroup"),
        outputs=dict(snakemake.output.items()),
        tau_prior_scale=settings["tau_prior_scale"],
        bayes_max_k=settings["bayes_max_k"],
    )
