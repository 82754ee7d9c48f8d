"""Job: a published meta-analysis reproduced from its own studies, and the path to ours."""

from __future__ import annotations

import numpy as np

from ..errors import InputError
from .io import has_effect, read_json, read_rows, to_number, write_json


def reproduce_analysis(
    *,
    analysis: str,
    reproduces: dict,
    pooled: str,
    leave1out: str,
    sheet: str,
    published: str,
    ours_pooled: str | None,
    ours_effects: str | None,
    ours_sheet: str | None,
    output: str,
) -> dict:
    """Published vs reproduced, and the path from the published number to ours
    (``rlsevidence.reproduce``). Without an analysis of ours on the same outcome
    (``ours_* = None``) the path stops at the reproduction."""
    import math

    from ..headline import natural
    from ..reproduce import Estimate, Reproduction, compare, explain, path_step

    rows = [
        r
        for r in read_rows(published)
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
        to_number(row[c]) * scale for c in ("estimate", "ci_lower", "ci_upper")
    )
    if not all(math.isfinite(x) for x in (pub_est, pub_lo, pub_hi)):
        raise InputError("a reproduced result needs an estimate and CI", file=published)
    repro = read_json(pooled)
    measure = repro["measure"]

    repro_rows = read_rows(sheet)
    repro_studies = [r["source_id"] for r in repro_rows]
    published_step = Estimate(
        "published", pub_est, pub_lo, pub_hi, int(to_number(row["k"])) if row["k"] else None,
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
        else explain(
            published_step,
            read_rows(leave1out),
            approximations,
            lambda value: natural(measure, value),
        )
    )
    path = [published_step, reproduced]
    if ours_pooled:
        path += _path_to_ours(repro, repro_studies, ours_pooled, ours_effects, ours_sheet)
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


def _path_to_ours(repro: dict, repro_studies: list, ours_pooled, ours_effects, ours_sheet):
    """Two steps from the reproduction to our analysis: our studies with the review's model,
    then our model."""
    from ..pooling import rma
    from ..reproduce import path_step, study_change

    our_studies = [r["source_id"] for r in read_rows(ours_sheet)]
    effects = [e for e in read_rows(ours_effects) if has_effect(e)]
    yi = np.array([to_number(e["yi"]) for e in effects])
    vi = np.array([to_number(e["vi"]) for e in effects])
    same_model = rma(
        yi=yi, vi=vi, measure=repro["measure"], method=repro["method"], hk=bool(repro["hk"])
    ).to_dict()
    ours = read_json(ours_pooled)
    return [
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
