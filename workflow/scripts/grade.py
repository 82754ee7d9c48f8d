"""GRADE certainty of one body of evidence (rule grade)."""

from rlsevidence.jobs.grade import grade_analysis
from rlsevidence.jobs.io import snakemake_step

settings = snakemake.params.settings
with snakemake_step(snakemake.log[0]):
    grade_analysis(
        sheet=snakemake.input.sheet,
        effects=snakemake.input.effects,
        pooled=snakemake.input.pooled,
        bias=snakemake.input.bias,
        published=snakemake.input.published,
        analysis=snakemake.wildcards.analysis,
        measure=settings["measure"],
        design_kind=settings["design_kind"],
        indirectness=settings["indirectness"],
        indirectness_reason=settings["indirectness_reason"],
        mid=settings["mid"],
        mid_source=settings["mid_source"],
        thresholds=snakemake.params.thresholds,
        output=snakemake.output[0],
    )
