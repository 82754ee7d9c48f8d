"""Plot style, funnel plots and the report's evidence map: matplotlib in seaborn's colour-blind
style, byte-stable SVG. Forest plots are in :mod:`rlsevidence.forest`.

The per-analysis plots use the seaborn styles that matplotlib ships
(``seaborn-v0_8-whitegrid`` and seaborn's ``colorblind`` palette, Wong 2011, Nat Methods
8:441) rather than importing seaborn: every workflow job is a fresh Python process and
seaborn's import (it pulls in scipy.stats) would double each plot job's run time. seaborn
itself draws the one cross-analysis figure of the report (:func:`evidence_map`), made once
per run.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
from matplotlib import style as mpl_style
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

STYLE = ["seaborn-v0_8-whitegrid", "seaborn-v0_8-colorblind"]
#: seaborn's "colorblind" palette (the same values as seaborn.color_palette("colorblind")).
PALETTE = [
    "#0173b2",
    "#de8f05",
    "#029e73",
    "#d55e00",
    "#cc78bc",
    "#ca9161",
    "#fbafe4",
    "#949494",
    "#ece133",
    "#56b4e9",
]

RC = {
    "svg.hashsalt": "rls-evidence",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
}
# The style is set once, when the module is imported: figures are then made with the object
# interface (no pyplot state), so plot jobs may run side by side in threads.
mpl_style.use(STYLE)
matplotlib.rcParams.update(RC)


def new_figure(width: float, height: float) -> Figure:
    """A figure (inches) with an SVG canvas, outside pyplot's global state."""
    fig = Figure(figsize=(width, height))
    FigureCanvasSVG(fig)
    return fig


def save_svg(
    fig: Figure, path: str | Path, title: str, description: str, *, tight: bool = True
) -> None:
    """Byte-stable SVG (fixed hash salt, no date) with its title and text alternative.
    ``tight=False`` keeps the figure's own size (one drawing pass instead of two)."""
    fig.savefig(
        path,
        format="svg",
        bbox_inches="tight" if tight else None,
        metadata={"Title": title, "Description": description, "Date": None, "Creator": None},
    )


#: Fewest studies for a funnel plot (Sterne et al. 2011, BMJ 343:d4002; Cochrane Handbook
#: 13.3.5.4): with fewer, its asymmetry cannot be told from chance.
FUNNEL_MIN_K = 10

NO_FUNNEL_SVG = """<?xml version="1.0" encoding="utf-8" standalone="no"?>
<svg xmlns="http://www.w3.org/2000/svg" width="360pt" height="24pt" viewBox="0 0 360 24">
 <title>{title}</title>
 <desc>{alt}</desc>
 <text x="4" y="16" font-family="DejaVu Sans" font-size="9">{alt}</text>
</svg>
"""


def funnel_plot(path, yi, vi, pooled: dict, *, measure: str, title: str, scale_label: str) -> str:
    """Funnel plot of effect against standard error with pseudo 95% limits; return alt text.
    With fewer than :data:`FUNNEL_MIN_K` studies the file says why none is drawn."""
    from xml.sax.saxutils import escape

    y = np.asarray(yi, float)
    if len(y) < FUNNEL_MIN_K:
        alt = f"No funnel plot: {len(y)} studies, fewer than {FUNNEL_MIN_K} (Sterne et al. 2011)."
        Path(path).write_text(NO_FUNNEL_SVG.format(title=escape(title), alt=alt), encoding="utf-8")
        return alt
    se = np.sqrt(np.asarray(vi, float))
    fig = new_figure(5.5, 4.2)
    ax = fig.add_subplot()
    ax.scatter(y, se, color=PALETTE[0], zorder=3)
    est = pooled.get("estimate")
    if est is not None:
        top = max(se.max() * 1.1, 1e-6)
        s = np.linspace(0, top, 50)
        ax.plot(est - 1.96 * s, s, color="0.4", linestyle=":")
        ax.plot(est + 1.96 * s, s, color="0.4", linestyle=":")
        ax.axvline(est, color=PALETTE[3])
    ax.invert_yaxis()
    ax.set_xlabel(scale_label + " (analysis scale)")
    ax.set_ylabel("standard error")
    ax.set_title(title, loc="left", fontsize=10)
    alt = (
        f"Funnel plot of {len(y)} studies for {title}: effect estimates against their standard "
        "errors, with pseudo 95% confidence limits around the pooled estimate."
    )
    save_svg(fig, path, title, alt)
    return alt


def evidence_map(claims: list[dict], verdicts: tuple[str, ...]) -> str:
    """Heat map (seaborn) of claims per speaker and verdict; returns inline SVG text."""
    import io

    import pandas as pd
    import seaborn as sns

    table = pd.crosstab(
        pd.Series([c["speaker"] for c in claims], name="speaker"),
        pd.Categorical([c["verdict"] for c in claims], categories=list(verdicts), ordered=True),
        dropna=False,
    )
    table.columns.name = "verdict"
    fig = new_figure(8.5, 0.32 * len(table) + 1.8)
    ax = fig.add_subplot()
    sns.heatmap(table, annot=True, fmt="d", cmap="Blues", cbar=False, linewidths=0.5, ax=ax)
    ax.set_xlabel("verdict")
    ax.set_ylabel("")
    ax.set_title("Claims per speaker and verdict", loc="left", fontsize=10)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()
