"""Forest plots in the layout of RevMan 5 and R ``meta::forest`` (Schwarzer et al. 2015, Meta-
Analysis with R, ch. 2; Cochrane Handbook 6.x, section 10.3).

One row per study: its name, the arm data it entered with (events and total, or mean, SD and
total per group; nothing for a study that entered as an effect with its standard error), its
weight in the pooled model, its effect with the confidence interval as text, and the square
and whiskers. Below the studies: the pooled row (diamond; no diamond for a single study), the
prediction interval, the heterogeneity line (τ² with its confidence interval, I², Q with its
degrees of freedom and p) and the test of the overall effect. The axis is on the natural scale
(log axis with plain ticks for ratios), labelled with the measure and unit, with "favours"
labels on each side of no effect. Drawn with matplotlib's object interface (no pyplot), so
that it is safe in a thread and costs no GUI import.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from statistics import NormalDist

import numpy as np

from .measures import MEASURE
from .plots import PALETTE, new_figure, save_svg
from .transforms import backtransform

LOG_TICKS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)
LOG_TICKS = LOG_TICKS + (200, 500, 1000)
FINE_LOG_TICKS = (0.25, 0.33, 0.5, 0.67, 0.8, 1.25, 1.5, 2, 3, 4)
ROW_HEIGHT = 0.26  # inches per row


@dataclass
class ForestRow:
    """One study as the plot shows it: ``cells`` are the arm-data texts (one per arm column);
    ``yi`` and ``sei`` on the analysis scale; ``weight`` in percent (None when not pooled)."""

    label: str
    yi: float
    sei: float
    cells: list[str] = field(default_factory=list)
    weight: float | None = None
    ni: float | None = None


def arm_columns(measure: str, group1: str, group2: str) -> list[tuple[str, str]]:
    """(group, column) heads of the arm data for a measure, RevMan's order."""
    spec = MEASURE[measure]
    one = (group1 or "Group 1")[:1].upper() + (group1 or "Group 1")[1:]
    two = (group2 or "Group 2")[:1].upper() + (group2 or "Group 2")[1:]
    if spec.columns[:1] == ("n1",) and "mean1" in spec.columns:
        return [
            (one, "Mean"),
            (one, "SD"),
            (one, "Total"),
            (two, "Mean"),
            (two, "SD"),
            (two, "Total"),
        ]
    if "events1" in spec.columns:
        return [(one, "Events"), (one, "Total"), (two, "Events"), (two, "Total")]
    if "events" in spec.columns:
        return [(one, "Events"), (one, "Total")]
    return []


def arm_cells(measure: str, row: dict) -> list[str]:
    """The arm-data texts of one sheet row ("" where the row entered as an effect and SE)."""
    spec = MEASURE[measure]
    names = {
        "MD": ("mean1", "sd1", "n1", "mean2", "sd2", "n2"),
        "SMD": ("mean1", "sd1", "n1", "mean2", "sd2", "n2"),
        "RR": ("events1", "n1", "events2", "n2"),
        "OR": ("events1", "n1", "events2", "n2"),
        "RD": ("events1", "n1", "events2", "n2"),
        "PR": ("events", "n"),
        "PLO": ("events", "n"),
        "PFT": ("events", "n"),
    }.get(spec.code, ())
    return [_cell(row.get(name)) for name in names]


def _cell(value) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return ""
    if not math.isfinite(number):
        return ""
    if number == int(number) and abs(number) >= 1:
        return f"{int(number):,}".replace("-", "−")
    return f"{number:.3g}".replace("-", "−")


def _effect_text(measure: str, est: float, lo: float, hi: float) -> str:
    if MEASURE[measure].is_proportion:
        est, lo, hi = 100 * est, 100 * lo, 100 * hi
    digits = 2 if max(abs(est), abs(lo), abs(hi)) < 100 else 0
    return f"{est:.{digits}f} [{lo:.{digits}f}, {hi:.{digits}f}]".replace("-", "−")


def _natural(measure: str, values, ni=None) -> np.ndarray:
    values = np.asarray(values, float)
    out = backtransform(measure, values, ni)
    out = values if out is None else np.asarray(out, float)
    return 100 * out if MEASURE[measure].is_proportion else out


def _model_label(pooled: dict) -> str:
    if pooled.get("method") == "Bayesian RE":
        return "Bayesian random effects (half-normal τ prior)"
    method = pooled.get("method")
    if method in ("FE", "MH", "PETO"):
        return f"Fixed effect ({method})"
    return f"Random effects ({method}{', Hartung-Knapp' if pooled.get('hk') else ''})"


def _p(value) -> str:
    if value is None or not math.isfinite(value):
        return "p not estimable"
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}"


def heterogeneity_text(pooled: dict) -> list[str]:
    """RevMan's two lines under the total: heterogeneity, and the test for the overall effect."""
    k = pooled.get("k") or 0
    if k < 2:
        return []
    lines = [f"Model: {_model_label(pooled)}"]
    tau2 = pooled.get("tau2")
    if tau2 is not None:
        tau = "τ² = 0" if pooled.get("tau2_is_zero") or tau2 == 0 else f"τ² = {tau2:.3g}"
        lo, hi = pooled.get("tau2_ci_lower"), pooled.get("tau2_ci_upper")
        if lo is not None and hi is not None:
            tau += f" (95% CI {lo:.3g} to {hi:.3g})"
        i2 = pooled.get("i2")
        i2_text = f"; I² = {i2:.0f}%" if i2 is not None else ""
        lines.append(
            f"Heterogeneity: {tau}{i2_text}; Q = {pooled.get('q', float('nan')):.2f}, "
            f"df = {pooled.get('q_df')} ({_p(pooled.get('q_pvalue'))})"
        )
    stat = pooled.get("statistic")
    single_group = MEASURE.get(pooled.get("measure"), MEASURE["GEN"]).is_proportion
    if single_group:
        pass  # a test against a proportion of 50% (logit 0) answers no question
    elif stat is not None and pooled.get("method") != "Bayesian RE":
        name = f"t (df = {pooled.get('df')})" if pooled.get("hk") else "Z"
        statistic = f"{stat:.2f}".replace("-", "−")
        lines.append(f"Test for overall effect: {name} = {statistic} ({_p(pooled.get('pvalue'))})")
    elif pooled.get("method") == "Bayesian RE":
        lines.append("Pooled: posterior median and credible interval; predictive interval below")
    return lines


def _xlimits(measure: str, values: np.ndarray, null: float | None) -> tuple[float, float]:
    finite = values[np.isfinite(values)]
    ratio = MEASURE[measure].is_ratio
    if ratio:
        finite = finite[finite > 0]
    if finite.size == 0:
        return (0.1, 10.0) if ratio else (-1.0, 1.0)
    lo, hi = float(finite.min()), float(finite.max())
    if null is not None:
        lo, hi = min(lo, null), max(hi, null)
    if ratio:
        lo, hi = max(lo / 1.3, 1e-3), min(hi * 1.3, 1e3)
        return lo, hi
    pad = 0.06 * (hi - lo or 1.0)
    return lo - pad, hi + pad


def _log_ticks(lo: float, hi: float) -> list[float]:
    ticks = [t for t in LOG_TICKS if lo <= t <= hi]
    if len(ticks) < 3:
        ticks = sorted(set(ticks) | {t for t in FINE_LOG_TICKS if lo <= t <= hi})
    if len(ticks) > 7:  # powers of ten only, then every other one until at most seven
        ticks = [t for t in ticks if math.log10(t) % 1 == 0]
    while len(ticks) > 7:
        ticks = ticks[::2]
    return ticks or [1.0]


def forest_plot(
    path: str | Path,
    rows: list[ForestRow],
    pooled: dict,
    *,
    measure: str,
    meta: dict,
    title: str,
) -> str:
    """Draw the forest plot of one analysis; return its text alternative."""
    spec = MEASURE[measure]
    level = float(pooled.get("level") or 95)
    z = NormalDist().inv_cdf(0.5 + level / 200)
    k = len(rows)
    ni = np.array([r.ni if r.ni is not None else np.nan for r in rows], float)
    y = np.array([r.yi for r in rows], float)
    se = np.array([r.sei for r in rows], float)
    point, lo, hi = (_natural(measure, v, ni) for v in (y, y - z * se, y + z * se))
    pooled_k = pooled.get("k") or 0
    bt = pooled.get("backtransformed") or {}

    def nat(key):
        value = bt.get(key) if bt else pooled.get(key)
        if value is None:
            return None
        return 100 * value if spec.is_proportion else value

    show_pooled = pooled_k > 1 and pooled.get("estimate") is not None
    est, cl, cu = nat("estimate"), nat("ci_lower"), nat("ci_upper")
    pl, pu = nat("pi_lower"), nat("pi_upper")
    heads = arm_columns(measure, meta.get("group1", ""), meta.get("group2", ""))
    # column x positions in inches from the left edge
    study_w, arm_w, weight_w, effect_w, plot_w = 2.3, 0.55, 0.6, 1.55, 2.8
    x_arm = [study_w + arm_w * (i + 0.5) for i in range(len(heads))]
    x_weight = study_w + arm_w * len(heads) + weight_w / 2
    x_effect = study_w + arm_w * len(heads) + weight_w + 0.1
    x_plot = x_effect + effect_w + 0.1
    width = x_plot + plot_w + 0.45
    extra = 2 if show_pooled else 1
    n_rows = k + extra
    height = ROW_HEIGHT * (n_rows + 3) + 1.4
    fig = new_figure(width, height)
    bottom = 0.95 + ROW_HEIGHT * 1.0
    ax = fig.add_axes(
        (x_plot / width, bottom / height, plot_w / width, ROW_HEIGHT * n_rows / height)
    )
    ax.set_ylim(-extra + 0.5, k + 0.5)
    rows_y = np.arange(k, 0, -1, dtype=float)
    weights = [r.weight for r in rows]
    wmax = max([w for w in weights if w is not None] or [1.0])

    def text(x_in, y, s, ha="left", weight="normal"):
        """Table text: x in inches from the figure's left edge, y in the plot's row units."""
        ax.annotate(
            s,
            xy=(x_in / width, y),
            xycoords=("figure fraction", "data"),
            ha=ha,
            va="center",
            fontsize=8,
            fontweight=weight,
            annotation_clip=False,
        )

    top = k + 0.5
    text(0.1, top + 0.55, "Study", weight="bold")
    groups_seen: list[str] = []
    for x, (group, column) in zip(x_arm, heads, strict=True):
        text(x, top + 0.55, column, ha="center", weight="bold")
        if group not in groups_seen:
            groups_seen.append(group)
            xs = [xx for xx, (g, _) in zip(x_arm, heads, strict=True) if g == group]
            text(sum(xs) / len(xs), top + 1.2, group, ha="center", weight="bold")
    if show_pooled:
        text(x_weight, top + 0.55, "Weight", ha="center", weight="bold")
    name = (
        "Proportion (%)"
        if spec.is_proportion
        else (
            meta.get("effect_label") if measure == "GEN" and meta.get("effect_label") else measure
        )
    )
    text(x_effect, top + 1.2, f"{name}", weight="bold")
    text(x_effect, top + 0.55, f"[{level:g}% CI]", weight="bold")
    for row, yy, p, a, b in zip(rows, rows_y, point, lo, hi, strict=True):
        text(0.1, yy, row.label[:36] + ("…" if len(row.label) > 36 else ""))
        for x, cell in zip(x_arm, row.cells, strict=False):
            text(x, yy, cell, ha="center")
        if show_pooled and row.weight is not None:
            text(x_weight, yy, f"{row.weight:.1f}%", ha="center")
        text(
            x_effect,
            yy,
            _effect_text(measure, *(v / 100 if spec.is_proportion else v for v in (p, a, b))),
        )
    pooled_values = [v for v in (cl, cu, pl, pu) if v is not None] if show_pooled else []
    xmin, xmax = _xlimits(measure, np.concatenate([lo, hi, pooled_values]), spec.null)
    clipped_lo, clipped_hi = np.maximum(lo, xmin), np.minimum(hi, xmax)
    ax.hlines(rows_y, clipped_lo, clipped_hi, color=PALETTE[0], linewidth=1.2)
    for yy, a, b in zip(rows_y, lo, hi, strict=True):
        if a < xmin:
            ax.annotate(
                "",
                xy=(xmin, yy),
                xytext=(xmin * (1.25 if spec.is_ratio else 1), yy),
                arrowprops={"arrowstyle": "->", "color": PALETTE[0], "lw": 1.0},
            )
        if b > xmax:
            ax.annotate(
                "",
                xy=(xmax, yy),
                xytext=(xmax / (1.25 if spec.is_ratio else 1), yy),
                arrowprops={"arrowstyle": "->", "color": PALETTE[0], "lw": 1.0},
            )
    sizes = [20 + 110 * ((w if w is not None else wmax * 0.3) / wmax) for w in weights]
    ax.scatter(point, rows_y, s=sizes, marker="s", color=PALETTE[0], zorder=3)
    totals = []
    if show_pooled and est is not None and cl is not None and cu is not None:
        yy = 0.0
        ax.fill([cl, est, cu, est], [yy, yy + 0.32, yy, yy - 0.32], color=PALETTE[3], zorder=3)
        interval = "CrI" if pooled.get("method") == "Bayesian RE" else "CI"
        text(0.1, yy, f"Total ({level:g}% {interval})", weight="bold")
        totals = _totals(measure, rows)
        for x, cell in zip(x_arm, totals, strict=False):
            text(x, yy, cell, ha="center", weight="bold")
        text(x_weight, yy, "100.0%", ha="center", weight="bold")
        text(
            x_effect,
            yy,
            _effect_text(measure, *(v / 100 if spec.is_proportion else v for v in (est, cl, cu))),
            weight="bold",
        )
        if pl is not None and pu is not None and math.isfinite(pl) and math.isfinite(pu):
            yy = -1.0
            ax.hlines(yy, max(pl, xmin), min(pu, xmax), color=PALETTE[2], linewidth=3)
            text(0.1, yy, "Prediction interval")
            text(
                x_effect,
                yy,
                _effect_text(
                    measure, *(v / 100 if spec.is_proportion else v for v in (est, pl, pu))
                ).split(" ", 1)[1],
            )
    elif not show_pooled:
        text(0.1, 0.0, "Not pooled: a single study", weight="bold")
    if spec.null is not None:
        ax.axvline(spec.null, color="0.35", linewidth=0.8)
    if spec.is_ratio:
        ax.set_xscale("log")
        ticks = _log_ticks(xmin, xmax)
        ax.set_xticks(ticks)
        ax.set_xticklabels([f"{t:g}" for t in ticks])
        ax.minorticks_off()
    ax.set_xlim(xmin, xmax)
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.grid(False)
    unit = (meta.get("unit") or "").strip()
    label = name if spec.is_proportion else f"{spec.natural_label if measure != 'GEN' else name}"
    if unit and not spec.is_ratio and not spec.is_proportion:
        label += f" ({unit})"
    elif spec.is_proportion and unit:
        label = unit if unit.startswith("%") else f"{unit} (%)"
    ax.set_xlabel(textwrap.fill(label, 52), fontsize=8, labelpad=22)  # below the favours labels
    if spec.null is not None:
        # RevMan's "favours" labels: under each end of the axis, so they never leave the figure
        for words, x, ha in (
            (meta.get("lower_means"), 0.0, "left"),
            (meta.get("higher_means"), 1.0, "right"),
        ):
            if words:
                ax.text(
                    x,
                    -0.27 / (ROW_HEIGHT * n_rows),
                    ("← " + words) if ha == "left" else (words + " →"),
                    transform=ax.transAxes,
                    ha=ha,
                    va="top",
                    fontsize=7.5,
                    color="0.25",
                )
    for i, line in enumerate(heterogeneity_text(pooled)):
        fig.text(0.1 / width, (0.62 - 0.2 * i) / height, line, fontsize=7.5, va="center")
    fig.text(
        0.1 / width, (height - 0.22) / height, title, fontsize=9.5, fontweight="bold", va="center"
    )
    alt = _alt_text(rows, point, lo, hi, measure, title, level, show_pooled, est, cl, cu, pooled)
    save_svg(fig, path, title, alt, tight=False)  # the layout above leaves room for every text
    return alt


def _totals(measure: str, rows: list[ForestRow]) -> list[str]:
    """RevMan's total row: summed totals (and events) per group, blank for means and SDs."""
    heads = arm_columns(measure, "a", "b")
    out = []
    for i, (_, column) in enumerate(heads):
        if column in ("Total", "Events"):
            values = []
            for row in rows:
                cell = row.cells[i] if i < len(row.cells) else ""
                if not cell:
                    values = None
                    break
                values.append(float(cell.replace(",", "")))
            out.append(f"{int(sum(values)):,}" if values else "")
        else:
            out.append("")
    return out


def _alt_text(rows, point, lo, hi, measure, title, level, show_pooled, est, cl, cu, pooled):
    k = len(rows)
    unit = "%" if MEASURE[measure].is_proportion else ""
    alt = f"Forest plot of {k} {'study' if k == 1 else 'studies'} for {title}: " + "; ".join(
        f"{r.label} {p:.3g}{unit} ({level:g}% CI {a:.3g} to {b:.3g})"
        for r, p, a, b in zip(rows, point, lo, hi, strict=True)
    )
    if show_pooled and est is not None and cl is not None:
        alt += f". Pooled ({_model_label(pooled)}) {est:.3g}{unit} ({cl:.3g} to {cu:.3g})."
    else:
        alt += ". Not pooled."
    return alt
