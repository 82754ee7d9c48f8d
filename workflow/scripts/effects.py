"""Per-study effect sizes yi, vi (rule effects)."""

from rlsevidence.jobs.effects import compute_effects
from rlsevidence.jobs.io import snakemake_step

settings = snakemake.params.settings
with snakemake_step(snakemake.log[0]):
    compute_effects(
        sheet=snakemake.input[0],
        measure=settings["measure"],
        add=settings["add"],
        to=settings["to"],
        output=snakemake.output[0],
    )
