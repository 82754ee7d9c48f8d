"""Published vs reproduced result of a published meta-analysis (rule reproduce)."""

from rlsevidence.jobs.io import snakemake_step
from rlsevidence.jobs.reproduce import reproduce_analysis

with snakemake_step(snakemake.log[0]):
    reproduce_analysis(
        analysis=snakemake.wildcards.analysis,
        reproduces=snakemake.params.reproduces,
        pooled=snakemake.input.pooled,
        leave1out=snakemake.input.leave1out,
        sheet=snakemake.input.sheet,
        published=snakemake.input.published,
        ours_pooled=snakemake.input.ours_pooled,
        ours_effects=snakemake.input.ours_effects,
        ours_sheet=snakemake.input.ours_sheet,
        output=snakemake.output[0],
    )
