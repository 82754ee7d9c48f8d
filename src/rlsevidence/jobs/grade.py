"""Job: GRADE certainty of one analysis."""

from __future__ import annotations

import numpy as np

from .io import has_effect, read_json, read_rows, to_number, write_json


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
    from ..grade import GradeInputs, assess, compare_with_published

    rows = read_rows(sheet)
    effect_rows = read_rows(effects)
    keep = [has_effect(e) for e in effect_rows]
    rob = [(r.get("rob") or "").strip() for r, k in zip(rows, keep, strict=True) if k]
    columns = set(rows[0]) if rows else set()

    def total(*names):
        if not set(names) <= columns:
            return None
        value = float(np.nansum([to_number(r[n]) for r in rows for n in names]))
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
        r for r in read_rows(published) if r["analysis_id"] == analysis and r["certainty"].strip()
    ]
    if rated:
        compare_with_published(certainty, rated[0]["certainty"], rated[0]["source_id"])
    out = certainty.to_dict()
    write_json(output, out)
    return out
