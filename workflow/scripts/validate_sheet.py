"""Check one data sheet: hash, provenance, quotes, numbers (rule validate_sheet)."""

from rlsevidence.jobs.io import snakemake_step
from rlsevidence.jobs.validate import validate_sheet

with snakemake_step(snakemake.log[0]):
    validate_sheet(
        sheet=snakemake.input.sheet,
        sources=snakemake.input.sources,
        excerpts=snakemake.input.excerpts,
        package=snakemake.params.package,
        measure=snakemake.params.measure,
        subgroup=snakemake.params.subgroup,
        multiarm=snakemake.params.multiarm,
        output=snakemake.output[0],
    )
