# rls-evidence: from vendored published data to a claim-by-claim evidence report.
# Run with: snakemake --cores 2   (see README.md)
from snakemake.utils import min_version

min_version("9.0")


configfile: "config/config.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/validate.smk"
include: "workflow/rules/effects.smk"
include: "workflow/rules/pool.smk"
include: "workflow/rules/plots.smk"
include: "workflow/rules/grade.smk"
include: "workflow/rules/reproduce.smk"
include: "workflow/rules/claims.smk"
include: "workflow/rules/report.smk"


rule all:
    input:
        "results/report/index.html",
        "results/claims.json",
        "results/claims.jsonld",
    default_target: True
