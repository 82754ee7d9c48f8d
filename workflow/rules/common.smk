# Helpers shared by the rules: config validation (before any job runs), defaults, paths.
import hashlib
import re
from pathlib import Path

import rlsevidence
from snakemake.utils import validate


validate(config, schema="../schemas/config.schema.yaml")

ANALYSIS_PATTERN = "[a-z][a-z0-9_]*"
ANALYSES = list(config["analyses"])
for _analysis_id in ANALYSES:
    if not re.fullmatch(ANALYSIS_PATTERN, _analysis_id):
        raise ValueError(f"config: analyses: invalid id {_analysis_id!r}")


wildcard_constraints:
    analysis=ANALYSIS_PATTERN,


def engine_fingerprint():
    """sha256 of the rlsevidence package's code: a param of every rule, so that a change of
    the statistics (not only of a rule's script) reruns the jobs it affects."""
    digest = hashlib.sha256()
    root = Path(rlsevidence.__file__).parent
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".j2") and path.is_file():
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


ENGINE = engine_fingerprint()


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


def updated_pooled(wildcards):
    ours = reproduces_of(wildcards)["updated_by"]
    return f"results/analyses/{ours}/pooled.json"


def updated_effects(wildcards):
    return f"results/effects/{reproduces_of(wildcards)['updated_by']}.csv"


def updated_sheet(wildcards):
    return f"results/validated/{reproduces_of(wildcards)['updated_by']}.csv"


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
    "propositions": config["propositions"],
    "claim_evidence": config["claim_evidence"],
    "published": config["published"],
    "not_found": config["not_found"],
    "article": config["article"],
    "package": config["datapackage"],
}
