"""Forest and funnel plots with matplotlib in seaborn's colour-blind style, byte-stable SVG.

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

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from .measures import RATIO_MEASURES, null_value  # noqa: E402
from .transforms import backtransform  # noqa: E402

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
matplotlib.rcParams.update(RC)


def _use_style() -> None:
    """seaborn's whitegrid and colour-blind styles, then the project's byte-stable SVG settings."""
    plt.style.use(STYLE)
    matplotlib.rcParams.update(RC)


def _natural(measure, values, ni=None):
    out = backtransform(measure, np.asarray(values, float), ni)
    return np.asarray(values, float) if out is None else np.asarray(out, float)


def _save(fig, path: str | Path, title: str, description: str) -> None:
    fig.savefig(
        path,
        format="svg",
        bbox_inches="tight",
        metadata={"Title": title, "Description": description, "Date": None, "Creator": None},
    )
    plt.close(fig)


def forest_plot(
    path: str | Path,
    labels,
    yi,
    vi,
    pooled: dict,
    *,
    measure: str,
    title: str,
    scale_label: str,
    ni=None,
) -> str:
    """Draw a forest plot; return its alt text."""
    _use_style()
    y = np.asarray(yi, float)
    se = np.sqrt(np.asarray(vi, float))
    z = 1.959963984540054
    lo, hi = _natural(measure, y - z * se, ni), _natural(measure, y + z * se, ni)
    point = _natural(measure, y, ni)
    k = len(y)
    fig, ax = plt.subplots(figsize=(7.5, 1.2 + 0.38 * (k + 3)))
    rows = np.arange(k)[::-1] + 3
    weights = np.asarray(pooled.get("weights") or np.ones(k), float)
    sizes = 30 + 170 * weights / max(weights.max(), 1e-9)
    ax.hlines(rows, lo, hi, color=PALETTE[0], linewidth=1.4)
    ax.scatter(point, rows, s=sizes, marker="s", color=PALETTE[0], zorder=3, label="study")
    est = pooled.get("estimate")
    if est is not None:
        bt = pooled.get("backtransformed") or {}
        e = bt.get("estimate", est) if bt else est
        cl = bt.get("ci_lower", pooled["ci_lower"]) if bt else pooled["ci_lower"]
        cu = bt.get("ci_upper", pooled["ci_upper"]) if bt else pooled["ci_upper"]
        pl = bt.get("pi_lower", pooled.get("pi_lower")) if bt else pooled.get("pi_lower")
        pu = bt.get("pi_upper", pooled.get("pi_upper")) if bt else pooled.get("pi_upper")
        if cl is not None and cu is not None:
            diamond_x = [cl, e, cu, e]
            diamond_y = [1, 1.35, 1, 0.65]
            ax.fill(diamond_x, diamond_y, color=PALETTE[3], zorder=3, label="pooled estimate (CI)")
        if pl is not None and pu is not None and pooled.get("k", 0) > 1:
            ax.hlines(0.3, pl, pu, color=PALETTE[2], linewidth=2.5, label="prediction interval")
    null = null_value(measure)
    if null is not None:
        ax.axvline(null, color="0.35", linestyle="--", linewidth=0.9)
    ax.set_yticks(list(rows) + [1])
    ax.set_yticklabels(list(labels) + [f"Pooled ({pooled.get('method')}, k={pooled.get('k')})"])
    if measure in RATIO_MEASURES:
        ax.set_xscale("log")
    ax.set_xlabel(scale_label)
    ax.set_title(title, loc="left", fontsize=10)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=3, frameon=False, fontsize=8)
    ax.set_ylim(-0.3, k + 3.8)
    alt = f"Forest plot of {k} {'study' if k == 1 else 'studies'} for {title}: " + "; ".join(
        f"{lab} {p:.3g} (95% CI {a:.3g} to {b:.3g})"
        for lab, p, a, b in zip(labels, point, lo, hi, strict=True)
    )
    if est is not None and pooled.get("ci_lower") is not None:
        bt = pooled.get("backtransformed") or {}
        e = bt.get("estimate", est) if bt else est
        alt += f". Pooled {e:.3g} (95% CI {cl:.3g} to {cu:.3g})."
    _save(fig, path, title, alt)
    return alt


def funnel_plot(path, yi, vi, pooled: dict, *, measure: str, title: str, scale_label: str) -> str:
    """Funnel plot of effect against standard error with pseudo 95% limits; return alt text."""
    _use_style()
    y = np.asarray(yi, float)
    se = np.sqrt(np.asarray(vi, float))
    fig, ax = plt.subplots(figsize=(5.5, 4.2))
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
    _save(fig, path, title, alt)
    return alt


def evidence_map(claims: list[dict], verdicts: tuple[str, ...]) -> str:
    """Heat map (seaborn) of claims per speaker and verdict; returns inline SVG text."""
    import io

    import pandas as pd
    import seaborn as sns

    _use_style()
    table = pd.crosstab(
        pd.Series([c["speaker"] for c in claims], name="speaker"),
        pd.Categorical([c["verdict"] for c in claims], categories=list(verdicts), ordered=True),
        dropna=False,
    )
    table.columns.name = "verdict"
    fig, ax = plt.subplots(figsize=(8.5, 0.32 * len(table) + 1.8))
    sns.heatmap(table, annot=True, fmt="d", cmap="Blues", cbar=False, linewidths=0.5, ax=ax)
    ax.set_xlabel("verdict")
    ax.set_ylabel("")
    ax.set_title("Claims per speaker and verdict", loc="left", fontsize=10)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return buffer.getvalue()
