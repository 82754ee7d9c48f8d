# Helpers shared by the rules: config validation (before any job runs), defaults, paths.
import re

from snakemake.utils import validate


validate(config, schema="../schemas/config.schema.yaml")

ANALYSIS_PATTERN = "[a-z][a-z0-9_]*"
ANALYSES = list(config["analyses"])
for _analysis_id in ANALYSES:
    if not re.fullmatch(ANALYSIS_PATTERN, _analysis_id):
        raise ValueError(f"config: analyses: invalid id {_analysis_id!r}")


wildcard_constraints:
    analysis=ANALYSIS_PATTERN,


def analysis_settings(wildcards):
    """The analysis's config entry with every default filled in."""
    settings = dict(config["defaults"])
    settings.update(config["analyses"][wildcards.analysis])
    return settings


def sheet_path(wildcards):
    return config["analyses"][wildcards.analysis]["data"]


def measure_of(wildcards):
    return config["analyses"][wildcards.analysis]["measure"]


def subgroup_of(wildcards):
    return config["analyses"][wildcards.analysis].get("subgroup")


def title_of(wildcards):
    return config["analyses"][wildcards.analysis].get("title", wildcards.analysis)


def analysis_outputs(name):
    return expand("results/analyses/{analysis}/{name}", analysis=ANALYSES, name=name)


def analysis_meta(analysis):
    """What the claims and report steps need to know of every analysis."""
    settings = dict(config["defaults"])
    settings.update(config["analyses"][analysis])
    return settings


def all_analysis_meta():
    return {analysis: analysis_meta(analysis) for analysis in ANALYSES}


REGISTRY_FILES = {
    "sources": config["sources"],
    "excerpts": config["excerpts"],
    "claims": config["claims"],
    "claim_links": config["claim_links"],
    "published": config["published"],
    "not_found": config["not_found"],
    "article": config["article"],
    "package": config["datapackage"],
}
