"""Published vs reproduced result of a published meta-analysis (rule reproduce)."""

from rlsevidence.jobs.io import snakemake_step
from rlsevidence.jobs.reproduce import reproduce_analysis


def first_or_none(files):
    """Our analysis's file, or None when the review's outcome has none (an empty input)."""
    return files[0] if files else None


with snakemake_step(snakemake.log[0]):
    reproduce_analysis(
        analysis=snakemake.wildcards.analysis,
        reproduces=snakemake.params.reproduces,
        pooled=snakemake.input.pooled,
        leave1out=snakemake.input.leave1out,
        sheet=snakemake.input.sheet,
        published=snakemake.input.published,
        ours_pooled=first_or_none(snakemake.input.ours_pooled),
        ours_effects=first_or_none(snakemake.input.ours_effects),
        ours_sheet=first_or_none(snakemake.input.ours_sheet),
        output=snakemake.output[0],
    )
