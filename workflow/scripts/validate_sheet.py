"""Check one data sheet: hash, provenance, quotes, numbers (rule validate_sheet)."""

from rlsevidence.steps import snakemake_step, validate_sheet

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
