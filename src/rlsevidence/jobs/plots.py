"""Job: forest and funnel plots of one analysis."""

from __future__ import annotations

import numpy as np

from .io import has_effect, read_json, read_rows, to_number


def make_plots(
    *, sheet: str, effects: str, pooled: str, meta: dict, forest: str, funnel: str
) -> dict:
    """Forest plot (RevMan layout, arm data from the prepared sheet) and funnel plot. Reads the
    tables with the csv module: pandas is not needed here."""
    from ..forest import ForestRow, arm_cells, forest_plot
    from ..headline import plotted_model
    from ..measures import SCALE
    from ..plots import funnel_plot

    measure = meta["measure"]
    title = meta.get("title") or ""
    sheet_rows = read_rows(sheet)
    effect_rows = read_rows(effects)
    if len(sheet_rows) != len(effect_rows):
        raise ValueError(f"{sheet} and {effects} differ in their number of rows")
    fitted = read_json(pooled)
    weights = iter(fitted.get("weights") or [])
    rows, variances = [], []
    for source, effect in zip(sheet_rows, effect_rows, strict=True):
        if not has_effect(effect):
            continue
        precomputed = effect.get("source") == "precomputed"
        variances.append(float(effect["vi"]))
        rows.append(
            ForestRow(
                label=effect["study"],
                yi=float(effect["yi"]),
                sei=float(effect["sei"]),
                cells=[] if precomputed else arm_cells(measure, source),
                weight=next(weights, None),
                ni=to_number(effect["ni"]),
            )
        )
    result = plotted_model(fitted)
    alt_forest = forest_plot(forest, rows, result, measure=measure, meta=meta, title=title)
    yi = np.array([r.yi for r in rows])
    vi = np.array(variances)
    alt_funnel = funnel_plot(
        funnel, yi, vi, result, measure=measure, title=title, scale_label=SCALE[measure]
    )
    return {"forest": alt_forest, "funnel": alt_funnel}
