"""Published vs reproduced result of a published meta-analysis (rule reproduce)."""

from rlsevidence.steps import reproduce_analysis, snakemake_step

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
