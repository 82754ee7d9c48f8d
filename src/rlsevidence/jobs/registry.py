"""Job: check sources, excerpts, claims, propositions, evidence items and published estimates
against each other (rule validate_registry); ``validate_all`` runs every check of the
validate rules without writing anything (``rlsevidence validate``)."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from .io import log, read_rows, write_json
from .validate import load_registry, validate_sheet


def load_assessment_inputs(
    *,
    claims_frame,
    propositions: str,
    claim_evidence: str,
    registry,
    analysis_ids,
    not_found: str | None = None,
):
    """Propositions and evidence items, checked (quotes against the stored excerpts; with
    ``not_found``, every testable part has an item or a documented empty search)."""
    from ..assess.evidence import check_coverage, load_evidence, load_propositions
    from ..data import quote_problem

    claim_ids = set(claims_frame["id"])
    props = load_propositions(propositions, read_rows(propositions), claim_ids)
    items = load_evidence(
        claim_evidence,
        read_rows(claim_evidence),
        props,
        set(analysis_ids),
        lambda sid, quote: quote_problem(registry, sid, quote),
    )
    if not_found:
        check_coverage(props, items, not_found, read_rows(not_found))
    return props, items


def validate_registry(
    *,
    sources: str,
    excerpts: str,
    claims: str,
    propositions: str,
    claim_evidence: str,
    published: str,
    not_found: str,
    article: str,
    package: str,
    analysis_ids: list[str],
    sheets: list[str],
    output: str | None,
) -> dict:
    """Check sources, excerpts, claims, propositions, evidence and published estimates."""
    import pandas as pd

    from ..data import check_id, read_csv
    from ..datapackage import check_hash

    for path in (
        sources,
        excerpts,
        claims,
        propositions,
        claim_evidence,
        published,
        not_found,
        article,
    ):
        check_hash(path, package)
    for path in sheets:
        check_hash(path, package)
    for analysis in analysis_ids:
        check_id(analysis, "analysis id")
    registry = load_registry(sources, excerpts, claims, article)
    props, items = load_assessment_inputs(
        claims_frame=registry.claims,
        propositions=propositions,
        claim_evidence=claim_evidence,
        registry=registry,
        analysis_ids=analysis_ids,
        not_found=not_found,
    )
    pub = read_csv(published)
    for column in ("analysis_id", "source_id", "quote"):
        if column not in pub.columns:
            raise InputError("missing column", file=published, column=column)
    for i, row in pub.iterrows():
        if row["source_id"] not in registry.source_ids:
            raise InputError(
                f"unknown source id {row['source_id']!r}",
                file=published,
                row=i + 1,
                column="source_id",
            )
        if pd.isna(row.get("quote")):
            raise InputError("empty provenance", file=published, row=i + 1, column="quote")
        bounds = pd.to_numeric(
            pd.Series([row.get("ci_lower"), row.get("estimate"), row.get("ci_upper")]),
            errors="coerce",
        )
        if bounds.notna().all() and not bounds[0] <= bounds[1] <= bounds[2]:
            raise InputError(
                "the CI must hold its estimate (ci_lower <= estimate <= ci_upper)",
                file=published,
                row=i + 1,
                column="ci_lower",
            )
    summary = {
        "sources": len(registry.sources),
        "claims": len(registry.claims),
        "propositions": len(props),
        "evidence_items": len(items),
        "published_estimates": len(pub),
        "not_found": len(read_csv(not_found)),
        "analyses": sorted(analysis_ids),
    }
    if output:
        write_json(output, summary)
    log.info("registry valid: %s", summary)
    return summary


def validate_all(config_path: str = "config/config.yaml") -> dict:
    """Every check of the validate rules, without writing anything (``rlsevidence validate``)."""
    import yaml

    from ..config import load_config, validate_analyses

    config = load_config(config_path)
    analyses = config["analyses"]
    # each analysis row against its schema, as the workflow does before any job runs
    schema = Path(config_path).resolve().parent.parent / "workflow/schemas/analysis.schema.yaml"
    if schema.is_file():
        sheet = yaml.safe_load(Path(config_path).read_text(encoding="utf-8"))["analyses"]
        validate_analyses(analyses, schema, file=sheet)
    summary = validate_registry(
        sources=config["sources"],
        excerpts=config["excerpts"],
        claims=config["claims"],
        propositions=config["propositions"],
        claim_evidence=config["claim_evidence"],
        published=config["published"],
        not_found=config["not_found"],
        article=config["article"],
        package=config["datapackage"],
        analysis_ids=list(analyses),
        sheets=[entry["data"] for entry in analyses.values()],
        output=None,
    )
    warnings = []
    for entry in analyses.values():
        warnings += validate_sheet(
            sheet=entry["data"],
            sources=config["sources"],
            excerpts=config["excerpts"],
            package=config["datapackage"],
            measure=entry["measure"],
            subgroup=entry.get("subgroup"),
            output=None,
            multiarm=entry.get("multiarm", config["defaults"]["multiarm"]),
        )
    summary["warnings"] = warnings
    return summary
