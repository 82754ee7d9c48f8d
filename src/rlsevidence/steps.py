"""The workflow's steps as plain functions of paths and settings.

Each Snakemake script in ``workflow/scripts/`` is a thin wrapper that calls one of these;
the CLI and the tests call them directly. Outputs are written only after every check has
passed, so a failing step leaves no partial output behind.
"""

from __future__ import annotations

import json
import logging
import sys
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from .errors import InputError

log = logging.getLogger("rlsevidence")


def write_json(path: str | Path, obj) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(
        json.dumps(obj, indent=2, ensure_ascii=False, allow_nan=False) + "\n", encoding="utf-8"
    )


def read_json(path: str | Path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


@contextmanager
def snakemake_step(log_path: str | Path):
    """Send logging and stderr to the rule's log; report bad input as one line and exit 1."""
    original_stderr = sys.stderr
    Path(log_path).parent.mkdir(parents=True, exist_ok=True)
    handle = open(log_path, "w", encoding="utf-8")  # noqa: SIM115
    sys.stderr = handle
    logging.basicConfig(
        stream=handle, level=logging.INFO, format="%(levelname)s %(message)s", force=True
    )
    try:
        yield
    except InputError as error:
        line = f"error: {error}"
        print(line, file=handle)
        print(line, file=original_stderr)
        handle.close()
        sys.stderr = original_stderr
        sys.exit(1)
    finally:
        if not handle.closed:
            handle.close()
        sys.stderr = original_stderr


# ---------------------------------------------------------------------------- validate


def load_registry(
    sources: str, excerpts: str, claims: str | None = None, article: str | None = None
):
    from .data import Registry, load_claims, load_excerpts, load_sources

    registry = Registry(load_sources(sources), load_excerpts(excerpts))
    for sid in registry.sources["source_id"]:
        if sid not in registry.excerpts:
            row = int(np.flatnonzero(registry.sources["source_id"].to_numpy() == sid)[0]) + 1
            raise InputError(
                f"source {sid!r} has no stored excerpt in excerpts.jsonl",
                file=sources,
                row=row,
                column="source_id",
            )
    if claims:
        text = Path(article).read_text(encoding="utf-8") if article else None
        registry.claims = load_claims(claims, text)
    return registry


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
    from .assess.evidence import check_coverage, load_evidence, load_propositions
    from .data import quote_problem

    claim_ids = set(claims_frame["id"])
    props = load_propositions(propositions, _read_rows(propositions), claim_ids)
    items = load_evidence(
        claim_evidence,
        _read_rows(claim_evidence),
        props,
        set(analysis_ids),
        lambda sid, quote: quote_problem(registry, sid, quote),
    )
    if not_found:
        check_coverage(props, items, not_found, _read_rows(not_found))
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

    from .data import check_hash, check_id, read_csv

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


def validate_sheet(
    *,
    sheet: str,
    sources: str,
    excerpts: str,
    package: str,
    measure: str,
    subgroup: str | None,
    output: str,
    multiarm: str = "combine",
) -> list[str]:
    """Check one sheet and write it as it will be pooled (rows sharing a cohort entered
    once, multi-arm trials combined or split; see ``data.prepare_for_pooling``)."""
    from .data import check_hash, prepare_for_pooling
    from .data import validate_sheet as check_sheet
    from .effects import escalc

    check_hash(sheet, package)
    registry = load_registry(sources, excerpts)
    frame, warnings = check_sheet(sheet, measure, registry, subgroup=subgroup)
    frame, notes = prepare_for_pooling(frame, multiarm, file=sheet)
    for note in notes:
        log.info("%s", note)
    try:
        escalc(measure, frame)
    except InputError as error:
        raise error.located(file=sheet) from None
    for warning in warnings:
        log.warning(warning)
    if output:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        frame.to_csv(output, index=False)
    return warnings


def validate_all(config_path: str = "config/config.yaml") -> dict:
    """Every check of the validate rules, without writing anything (``rlsevidence validate``)."""
    import yaml

    config = yaml.safe_load(Path(config_path).read_text(encoding="utf-8"))
    analyses = config["analyses"]
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


# ----------------------------------------------------------------------------- effects


def compute_effects(*, sheet: str, measure: str, add: float, to: str, output: str):
    from .data import read_csv
    from .effects import escalc

    frame = read_csv(sheet)
    effects = escalc(measure, frame, add=add, to=to)
    table = effects.to_frame()
    table.insert(0, "study", frame["study"].to_numpy())
    for column in ("year", "source_id", "subgroup"):
        if column in frame.columns:
            table[column] = frame[column].to_numpy()
    table["derived"] = frame["derivation"].notna().to_numpy() if "derivation" in frame else False
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(output, index=False, float_format="%.17g")
    return table


# -------------------------------------------------------------------------------- pool


def pool_analysis(
    *,
    sheet: str,
    effects: str,
    analysis: str,
    measure: str,
    method: str,
    hk: bool,
    level: float,
    pi_type: str,
    add: float,
    to: str,
    subgroup: str | None,
    outputs: dict,
    tau_prior_scale: float | None = None,
    bayes_max_k: int = 4,
) -> dict:
    import pandas as pd

    from .analysis import pool_frame
    from .bayes import DEFAULT_TAU_SCALE, bayes_meta
    from .bias import small_study_tests
    from .data import read_csv
    from .sensitivity import cumulative, leave_one_out, subgroups

    frame = read_csv(sheet)
    left_out = []
    if "preparation" in frame.columns and frame["preparation"].notna().any():
        left_out = [n for n in str(frame["preparation"].dropna().iloc[0]).split(" | ") if n]
    result, eff = pool_frame(
        frame, measure, method, hk=hk, level=level, pi_type=pi_type, add=add, to=to
    )
    pooled = result.to_dict()
    pooled["analysis"] = analysis
    pooled["notes"].extend(left_out)
    pooled["without_approximations"] = _without_approximations(
        frame, measure, method, hk=hk, level=level, pi_type=pi_type, add=add, to=to
    )
    keep = np.isfinite(eff.yi) & np.isfinite(eff.vi)
    labels = frame["study"].to_numpy()[keep]
    yi, vi = eff.yi[keep], eff.vi[keep]
    model = method if method not in ("MH", "PETO") else "FE"
    scale = tau_prior_scale or DEFAULT_TAU_SCALE.get(measure)
    if 2 <= len(yi) <= bayes_max_k and scale:
        pooled["bayes"] = bayes_meta(yi, vi, tau_prior_scale=scale, level=level).to_dict()
        pooled["notes"].append(
            f"sparse evidence (k = {len(yi)}): a Bayesian random-effects model "
            f"({pooled['bayes']['prior']}) is shown beside the "
            f"{'Hartung-Knapp' if pooled['hk'] else 'Wald'} interval."
        )
    else:
        pooled["bayes"] = None
    bias = small_study_tests(yi, vi, measure, model).to_dict()
    if len(yi) >= 2:
        l1o = leave_one_out(yi, vi, labels, model, hk=hk and model != "FE", level=level)
        years = (
            pd.to_numeric(frame["year"], errors="coerce").to_numpy()[keep]
            if "year" in frame
            else np.arange(len(yi))
        )
        years = np.where(np.isnan(years), np.inf, years)
        cum = cumulative(yi, vi, labels, years, model, hk=hk and model != "FE", level=level)
    else:
        l1o = pd.DataFrame(columns=["omitted", "k", "estimate"])
        cum = pd.DataFrame(columns=["added", "k", "estimate"])
    if subgroup and subgroup in frame:
        groups = frame[subgroup].to_numpy()[keep]
        sub = subgroups(
            yi, vi, groups, measure, model, hk=hk and model != "FE", level=level
        ).to_dict()
    else:
        sub = {"groups": {}, "notes": ["no subgroup column declared for this analysis"]}
    write_json(outputs["pooled"], pooled)
    write_json(outputs["bias"], bias)
    write_json(outputs["subgroups"], sub)
    l1o.to_csv(outputs["leave1out"], index=False, float_format="%.17g")
    cum.to_csv(outputs["cumulative"], index=False, float_format="%.17g")
    log.info("pooled %s: k=%s estimate=%s", analysis, pooled["k"], pooled["estimate"])
    return pooled


def _without_approximations(frame, measure: str, method: str, **options) -> dict | None:
    """Sensitivity analysis run automatically when rows are marked as approximations (column
    ``approximation``: LS-means among raw means, a wider age band, an SE from a rounded p,
    enrolled instead of analysed n ...): the same model without those rows."""
    from .analysis import pool_frame

    if "approximation" not in frame.columns:
        return None
    marked = frame["approximation"].fillna("").astype(str).str.strip() != ""
    if not marked.any():
        return None
    out = {
        "excluded": [
            f"{s}: {a}"
            for s, a in zip(frame["study"][marked], frame["approximation"][marked], strict=True)
        ],
        "k": int((~marked).sum()),
    }
    if out["k"] == 0:
        out["note"] = "every row is an approximation: no sensitivity analysis possible"
        return out
    result, _ = pool_frame(frame[~marked].reset_index(drop=True), measure, method, **options)
    view = result.to_dict()
    for key in ("estimate", "ci_lower", "ci_upper", "tau2", "i2", "backtransformed"):
        out[key] = view.get(key)
    return out


# ------------------------------------------------------------------------------- plots


def plotted_model(pooled: dict) -> dict:
    """The pooled model a forest plot draws: for sparse evidence the Bayesian random-effects
    model that is the headline (its interval and predictive interval), else the model as
    fitted; see ``rlsevidence.assess.evidence.headline``."""
    from .transforms import backtransform

    bayes = pooled.get("bayes")
    if not bayes:
        return pooled
    keys = ("estimate", "ci_lower", "ci_upper", "pi_lower", "pi_upper")
    view = dict(pooled, method="Bayesian RE", **{key: bayes[key] for key in keys})
    if pooled.get("backtransformed") and pooled.get("measure") != "PFT":
        values = backtransform(pooled["measure"], [bayes[key] for key in keys])
        view["backtransformed"] = {key: float(v) for key, v in zip(keys, values, strict=True)}
    return view


def make_plots(
    *, effects: str, pooled: str, title: str, measure: str, forest: str, funnel: str
) -> dict:
    """Forest and funnel plots. Reads the effects table with the csv module: this job's run
    time is mostly imports, and pandas is not needed here."""
    import csv

    from .plots import forest_plot, funnel_plot
    from .transforms import SCALE

    with open(effects, newline="", encoding="utf-8") as handle:
        rows = [
            r
            for r in csv.DictReader(handle)
            if np.isfinite(float(r["yi"] or "nan")) and np.isfinite(float(r["vi"] or "nan"))
        ]
    labels = [r["study"] for r in rows]
    yi = np.array([float(r["yi"]) for r in rows])
    vi = np.array([float(r["vi"]) for r in rows])
    ni = np.array([float(r["ni"] or "nan") for r in rows])
    result = plotted_model(read_json(pooled))
    natural = {"RR": "risk ratio", "OR": "odds ratio", "PLO": "proportion", "PFT": "proportion"}
    label = natural.get(measure, SCALE[measure])
    alt_forest = forest_plot(
        forest, labels, yi, vi, result, measure=measure, title=title, scale_label=label, ni=ni
    )
    alt_funnel = funnel_plot(
        funnel, yi, vi, result, measure=measure, title=title, scale_label=SCALE[measure]
    )
    return {"forest": alt_forest, "funnel": alt_funnel}


# ------------------------------------------------------------------------------- grade


def _read_rows(path: str) -> list[dict]:
    """A CSV as a list of dicts (the csv module: the light jobs do not import pandas)."""
    import csv

    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _number(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def grade_analysis(
    *,
    sheet: str,
    effects: str,
    pooled: str,
    bias: str,
    published: str,
    analysis: str,
    measure: str,
    design_kind: str,
    indirectness: str,
    indirectness_reason: str,
    mid: float | None,
    mid_source: str,
    thresholds: dict,
    output: str,
) -> dict:
    from .grade import GradeInputs, assess, compare_with_published

    rows = _read_rows(sheet)
    effect_rows = _read_rows(effects)
    keep = [np.isfinite(_number(e["yi"])) and np.isfinite(_number(e["vi"])) for e in effect_rows]
    rob = [(r.get("rob") or "").strip() for r, k in zip(rows, keep, strict=True) if k]
    columns = set(rows[0]) if rows else set()

    def total(*names):
        if not set(names) <= columns:
            return None
        value = float(np.nansum([_number(r[n]) for r in rows for n in names]))
        return value or None

    total_n = total("n1", "n2") if {"n1", "n2"} <= columns else total("n")
    total_events = total("events1", "events2") if measure in ("RR", "OR", "RD") else None
    result = read_json(pooled)
    inputs = GradeInputs(
        analysis=analysis,
        design_kind=design_kind,
        measure=measure,
        pooled=result,
        bias=read_json(bias),
        rob=rob,
        weights=result.get("weights") or [],
        total_n=total_n,
        total_events=total_events,
        indirectness=indirectness,
        indirectness_reason=indirectness_reason,
        mid=mid,
        mid_source=mid_source,
    )
    certainty = assess(inputs, thresholds)
    rated = [
        r for r in _read_rows(published) if r["analysis_id"] == analysis and r["certainty"].strip()
    ]
    if rated:
        compare_with_published(certainty, rated[0]["certainty"], rated[0]["source_id"])
    out = certainty.to_dict()
    write_json(output, out)
    return out


# ------------------------------------------------------------------------------ claims


def judge_claims(
    *,
    claims: str,
    propositions: str,
    claim_evidence: str,
    sources: str,
    excerpts: str,
    analyses: dict,
    report_url: str,
    snapshot_date: str,
    output: str,
    output_jsonld: str,
) -> list[dict]:
    """Verdict per claim over all its evidence items (rule: ``rlsevidence.assess.rule``).

    ``analyses`` maps analysis id -> {"pooled": path, "grade": path, "title": str}.
    """
    from .assess import assess_claim
    from .assess.claimreview import claim_review_jsonld, dumps
    from .data import read_csv

    registry = load_registry(sources, excerpts)
    table = read_csv(claims).fillna("")
    props, items = load_assessment_inputs(
        claims_frame=table,
        propositions=propositions,
        claim_evidence=claim_evidence,
        registry=registry,
        analysis_ids=list(analyses),
    )
    results = {
        a: (read_json(p["pooled"]), read_json(p["grade"]), p.get("title", a))
        for a, p in analyses.items()
    }
    verdicts = []
    for claim in table.to_dict("records"):
        cid = claim["id"]
        verdicts.append(
            assess_claim(
                {k: str(v) for k, v in claim.items()},
                [p for p in props if p.claim_id == cid],
                [i for i in items if i.claim_id == cid],
                results,
            ).to_dict()
        )
    Path(output).write_text(dumps(verdicts), encoding="utf-8")
    jsonld = [claim_review_jsonld(v, report_url, snapshot_date) for v in verdicts]
    Path(output_jsonld).write_text(dumps(jsonld), encoding="utf-8")
    log.info("judged %d claims", len(verdicts))
    return verdicts


# --------------------------------------------------------------------------- reproduce


def reproduce_analysis(
    *,
    analysis: str,
    reproduces: dict,
    pooled: str,
    leave1out: str,
    sheet: str,
    published: str,
    ours_pooled: str,
    ours_effects: str,
    ours_sheet: str,
    output: str,
) -> dict:
    """Published vs reproduced, and the path from the published number to ours
    (``rlsevidence.reproduce``)."""
    import math

    from .pooling import rma
    from .reproduce import (
        Estimate,
        Reproduction,
        compare,
        explain,
        path_step,
        study_change,
    )
    from .transforms import backtransform

    rows = [
        r
        for r in _read_rows(published)
        if r["source_id"] == reproduces["source_id"] and r["outcome"] == reproduces["outcome"]
    ]
    if not rows:
        raise InputError(
            f"no published row with source_id {reproduces['source_id']!r} and outcome "
            f"{reproduces['outcome']!r}",
            file=published,
            column="outcome",
        )
    row = rows[0]
    scale = 0.01 if "%" in row["measure"] else 1.0
    pub_est, pub_lo, pub_hi = (
        _number(row[c]) * scale for c in ("estimate", "ci_lower", "ci_upper")
    )
    if not all(math.isfinite(x) for x in (pub_est, pub_lo, pub_hi)):
        raise InputError("a reproduced result needs an estimate and CI", file=published)
    repro = read_json(pooled)
    measure = repro["measure"]

    def natural(value):
        if value is None or not math.isfinite(value):
            return None
        back = backtransform(measure, value)
        return value if back is None else float(back)

    repro_rows = _read_rows(sheet)
    repro_studies = [r["source_id"] for r in repro_rows]
    our_rows = _read_rows(ours_sheet)
    our_studies = [r["source_id"] for r in our_rows]
    published_step = Estimate(
        "published", pub_est, pub_lo, pub_hi, int(_number(row["k"])) if row["k"] else None,
        None, "as published", [], f"{row['locator']}: {row['quote']}",
    )  # fmt: skip
    reproduced = path_step(
        "reproduced: the review's studies, our reading, the review's model",
        repro,
        repro_studies,
        "each study's numbers read from its own page",
    )
    est_ok, lim_ok, differences = compare(published_step, reproduced)
    approximations = [
        f"{r['study']}: {r['approximation']}" for r in repro_rows if (r.get("approximation") or "")
    ]
    explanation = (
        []
        if est_ok and lim_ok
        else explain(published_step, _read_rows(leave1out), approximations, natural)
    )
    effects = [
        e
        for e in _read_rows(ours_effects)
        if math.isfinite(_number(e["yi"])) and math.isfinite(_number(e["vi"]))
    ]
    yi = np.array([_number(e["yi"]) for e in effects])
    vi = np.array([_number(e["vi"]) for e in effects])
    same_model = rma(
        yi=yi, vi=vi, measure=measure, method=repro["method"], hk=bool(repro["hk"])
    ).to_dict()
    ours = read_json(ours_pooled)
    path = [
        published_step,
        reproduced,
        path_step(
            "our studies, the review's model",
            same_model,
            our_studies,
            study_change(repro_studies, our_studies),
        ),
        path_step(
            "our analysis: our studies, our model",
            ours,
            our_studies,
            f"model {repro['method']}{' + HK' if repro['hk'] else ''} -> "
            f"{ours['method']}{' + HK' if ours['hk'] else ''}",
        ),
    ]
    result = Reproduction(
        analysis=analysis,
        source_id=reproduces["source_id"],
        outcome=reproduces["outcome"],
        measure=measure,
        published=published_step,
        reproduced=reproduced,
        estimate_within=est_ok,
        limits_within=lim_ok,
        reproduced_within_tolerance=est_ok and lim_ok,
        differences=differences,
        explanation=explanation,
        path=path,
        missing=reproduces.get("missing", ""),
    ).to_dict()
    write_json(output, result)
    return result
