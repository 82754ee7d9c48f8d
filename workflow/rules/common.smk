# Helpers shared by the rules: config validation (before any job runs), defaults, paths.

from pathlib import Path

import rlsevidence.jobs.rule_jobs as job
from rlsevidence.config import load_analyses, validate_analyses
from rlsevidence.errors import InputError
from rlsevidence.fingerprint import code_fingerprint
from snakemake.exceptions import WorkflowError
from snakemake.utils import validate


validate(config, schema="../schemas/config.schema.yaml")
ANALYSES_PATH = config["analyses"]

# The analyses are a sample sheet (config/analyses.tsv): one row each, typed by the loader,
# each row checked against its schema before any job runs.
try:
    config["analyses"] = load_analyses(ANALYSES_PATH)
    validate_analyses(
        config["analyses"],
        Path(workflow.current_basedir) / "../schemas/analysis.schema.yaml",
        file=ANALYSES_PATH,
    )
except InputError as error:
    raise WorkflowError(f"Error in the analysis sheet: {error}") from None

ANALYSIS_PATTERN = "[a-z][a-z0-9_]*"
ANALYSES = list(config["analyses"])


wildcard_constraints:
    analysis=ANALYSIS_PATTERN,


# Each rule carries the fingerprint of the code its job uses (rlsevidence.fingerprint), so a
# change of the statistics reruns the jobs it affects, and editing the report template reruns
# only the report.
JOB_MODULES = {
    "validate_registry": "jobs/registry.py",
    "validate_sheet": "jobs/validate.py",
    "effects": "jobs/effects.py",
    "pool": "jobs/pool.py",
    "plots": "jobs/plots.py",
    "grade": "jobs/grade.py",
    "reproduce": "jobs/reproduce.py",
    "claims": "jobs/claims.py",
    "report": "report.py",
}
ENGINE = {step: code_fingerprint(module) for step, module in JOB_MODULES.items()}


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


def multiarm_of(wildcards):
    entry = config["analyses"][wildcards.analysis]
    return entry.get("multiarm", config["defaults"]["multiarm"])


REPRODUCTIONS = [a for a in ANALYSES if "reproduces" in config["analyses"][a]]


def reproduces_of(wildcards):
    return config["analyses"][wildcards.analysis]["reproduces"]


def updated_by(wildcards, pattern):
    """A file of our analysis that updates the reproduced review ([] when there is none)."""
    ours = reproduces_of(wildcards).get("updated_by")
    return [pattern.format(analysis=ours)] if ours else []


def updated_pooled(wildcards):
    return updated_by(wildcards, "results/analyses/{analysis}/pooled.json")


def updated_effects(wildcards):
    return updated_by(wildcards, "results/effects/{analysis}.csv")


def updated_sheet(wildcards):
    return updated_by(wildcards, "results/validated/{analysis}.csv")


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
    "propositions": config["propositions"],
    "claim_evidence": config["claim_evidence"],
    "published": config["published"],
    "not_found": config["not_found"],
    "article": config["article"],
    "package": config["datapackage"],
}
