"""Job: forest and funnel plots of one analysis."""

from __future__ import annotations

import numpy as np

from .io import has_effect, read_json, read_rows, to_number


def make_plots(
    *, effects: str, pooled: str, title: str, measure: str, forest: str, funnel: str
) -> dict:
    """Forest and funnel plots. Reads the effects table with the csv module: this job's run
    time is mostly imports, and pandas is not needed here."""
    from ..headline import plotted_model
    from ..measures import MEASURE, SCALE
    from ..plots import forest_plot, funnel_plot

    rows = [r for r in read_rows(effects) if has_effect(r)]
    labels = [r["study"] for r in rows]
    yi = np.array([float(r["yi"]) for r in rows])
    vi = np.array([float(r["vi"]) for r in rows])
    ni = np.array([to_number(r["ni"]) for r in rows])
    result = plotted_model(read_json(pooled))
    label = MEASURE[measure].natural_label
    alt_forest = forest_plot(
        forest, labels, yi, vi, result, measure=measure, title=title, scale_label=label, ni=ni
    )
    alt_funnel = funnel_plot(
        funnel, yi, vi, result, measure=measure, title=title, scale_label=SCALE[measure]
    )
    return {"forest": alt_forest, "funnel": alt_funnel}
