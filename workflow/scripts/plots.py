"""Forest and funnel plots as SVG (rule plots)."""

from rlsevidence.jobs.io import snakemake_step
from rlsevidence.jobs.plots import make_plots

with snakemake_step(snakemake.log[0]):
    make_plots(
        sheet=snakemake.input.sheet,
        effects=snakemake.input.effects,
        pooled=snakemake.input.pooled,
        meta=snakemake.params.settings,
        forest=snakemake.output.forest,
        funnel=snakemake.output.funnel,
    )
