"""Study-level effect sizes from summary statistics, as metafor's ``escalc()`` computes them.

Every formula follows metafor 3.8 (Viechtbauer 2010, J Stat Softw 36(3)) with its defaults:
``add=1/2, to="only0"`` for the binary and proportion measures (the continuity correction is
added to every cell of a study that has a zero cell; not for PFT), ``vtype="LS"``.

Measures (group 1 = intervention or exposed, group 2 = control):

========  ===========================  =============================================
measure   columns                      yi
========  ===========================  =============================================
MD        n1 mean1 sd1 n2 mean2 sd2    mean1 - mean2
SMD       n1 mean1 sd1 n2 mean2 sd2    Hedges' g with the exact bias correction
RR        events1 n1 events2 n2        log risk ratio
OR        events1 n1 events2 n2        log odds ratio
RD        events1 n1 events2 n2        risk difference
PR        events n                     raw proportion
PLO       events n                     logit proportion
PFT       events n                     Freeman-Tukey double arcsine
GEN       yi and vi (or sei)           as given
========  ===========================  =============================================

A row of a two-group sheet whose group columns are all empty but which gives ``yi`` with
``vi`` or ``sei`` (on the analysis scale, e.g. a log RR) is taken as precomputed; this is how
a trial that reports only a difference with its confidence interval enters a pooled analysis.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import InputError
from .measures import BINARY, CONTINUOUS, MEASURE_COLUMNS, MEASURES


@dataclass(frozen=True)
class EffectSizes:
    """Per-study effect sizes on the analysis scale.

    Attributes
    ----------
    measure : str
        One of :data:`MEASURES`.
    yi, vi : numpy.ndarray
        Effect sizes and their sampling variances. ``nan`` where a study cannot contribute
        (a double-zero study with ``drop00=True``).
    ni : numpy.ndarray
        Total sample size per study (``nan`` where unknown); PFT back-transformation uses its
        harmonic mean.
    source : tuple of str
        ``"computed"`` or ``"precomputed"`` per study.
    corrected : numpy.ndarray of bool
        Whether the continuity correction was added to the study's cells.
    """

    measure: str
    yi: np.ndarray
    vi: np.ndarray
    ni: np.ndarray
    source: tuple[str, ...] = field(default_factory=tuple)
    corrected: np.ndarray | None = None

    @property
    def k(self) -> int:
        return int(np.sum(np.isfinite(self.yi) & np.isfinite(self.vi)))

    @property
    def sei(self) -> np.ndarray:
        return np.sqrt(self.vi)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "yi": self.yi,
                "vi": self.vi,
                "sei": self.sei,
                "ni": self.ni,
                "source": list(self.source) or ["computed"] * len(self.yi),
                "corrected": self.corrected
                if self.corrected is not None
                else np.zeros(len(self.yi), bool),
            }
        )


def _numeric(frame: pd.DataFrame, column: str) -> np.ndarray:
    """Column as float, raising :class:`InputError` at the first non-numeric cell."""
    values = frame[column]
    converted = pd.to_numeric(values, errors="coerce")
    bad = converted.isna() & values.notna() & (values.astype(str).str.strip() != "")
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"not a number: {values.iloc[row]!r}", row=row + 1, column=column)
    return converted.to_numpy(dtype=float)


def _fail_where(mask: np.ndarray, column: str, message: str, values: np.ndarray) -> None:
    if np.any(mask):
        row = int(np.flatnonzero(mask)[0])
        raise InputError(f"{message} ({values[row]:g})", row=row + 1, column=column)


def cmicalc(mi: np.ndarray) -> np.ndarray:
    """Exact small-sample bias correction of Hedges (1981), as metafor's ``.cmicalc``."""
    from scipy.special import gammaln

    mi = np.asarray(mi, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.exp(gammaln(mi / 2) - np.log(np.sqrt(mi / 2)) - gammaln((mi - 1) / 2))
    return np.where(mi <= 1, np.nan, out)


def _precomputed_rows(frame: pd.DataFrame, group_columns: tuple[str, ...]) -> np.ndarray:
    """Rows with every group column empty and ``yi`` given: a precomputed effect."""
    if "yi" not in frame.columns:
        return np.zeros(len(frame), bool)
    present = [c for c in group_columns if c in frame.columns]
    empty = np.ones(len(frame), bool)
    for column in present:
        empty &= frame[column].isna().to_numpy() | (
            frame[column].astype(str).str.strip().to_numpy() == ""
        )
    return empty & frame["yi"].notna().to_numpy()


def _generic(frame: pd.DataFrame, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """yi and vi (from ``vi`` or ``sei``) for the given rows; others are nan."""
    yi = np.full(len(frame), np.nan)
    vi = np.full(len(frame), np.nan)
    if not rows.any():
        return yi, vi
    y = _numeric(frame, "yi")
    if "vi" in frame.columns and frame.loc[rows, "vi"].notna().all():
        v = _numeric(frame, "vi")
        column = "vi"
    elif "sei" in frame.columns:
        se = _numeric(frame, "sei")
        _fail_where(rows & (se <= 0), "sei", "standard error must be positive", se)
        v = se**2
        column = "sei"
    else:
        missing = int(np.flatnonzero(rows)[0]) + 1
        raise InputError("a precomputed effect needs 'vi' or 'sei'", row=missing, column="vi")
    _fail_where(rows & np.isnan(y), "yi", "missing effect size", y)
    _fail_where(rows & ~(v > 0), column, "sampling variance must be positive", v)
    yi[rows] = y[rows]
    vi[rows] = v[rows]
    return yi, vi


def escalc(
    measure: str,
    data: pd.DataFrame | dict,
    *,
    add: float = 0.5,
    to: str = "only0",
    drop00: bool = False,
) -> EffectSizes:
    """Compute effect sizes and sampling variances, as ``metafor::escalc``.

    Parameters
    ----------
    measure : str
        One of ``MD, SMD, RR, OR, RD, PR, PLO, PFT, GEN``.
    data : DataFrame or dict of columns
        Columns named as in the design (``n1, mean1, sd1, ...``).
    add : float
        Continuity correction for zero cells (binary measures, PR and PLO). PFT never gets one.
    to : {"only0", "all", "if0all", "none"}
        Which studies get the correction: only those with a zero cell (metafor's default),
        all, all if any has a zero cell, or none.
    drop00 : bool
        Set studies with no events (or only events) in both groups to missing.

    Returns
    -------
    EffectSizes

    Raises
    ------
    InputError
        Naming the row and column of the first bad value.

    References
    ----------
    Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package.
    J Stat Softw 36(3):1-48. Hedges LV (1981). J Educ Stat 6:107-128.
    """
    measure = measure.upper()
    if measure not in MEASURE_COLUMNS:
        raise InputError(f"unknown measure {measure!r}; choose from {', '.join(MEASURES)}")
    if to not in ("only0", "all", "if0all", "none"):
        raise InputError(f"unknown 'to' {to!r}")
    frame = pd.DataFrame(data).reset_index(drop=True)
    if len(frame) == 0:
        raise InputError("no studies (k = 0)")
    columns = MEASURE_COLUMNS[measure]
    precomputed = (
        np.ones(len(frame), bool) if measure == "GEN" else _precomputed_rows(frame, columns)
    )
    computed = ~precomputed
    if computed.any():
        for column in columns:
            if column not in frame.columns:
                raise InputError(f"missing column for measure {measure}", column=column)
    yi, vi = _generic(frame, precomputed)
    ni = np.full(len(frame), np.nan)
    corrected = np.zeros(len(frame), bool)
    if measure != "GEN" and computed.any():
        values = {c: _numeric(frame, c) for c in columns}
        for column, v in values.items():
            _fail_where(computed & np.isnan(v), column, "missing value", v)
        if measure in ("MD", "SMD"):
            y, v, n, corr = _continuous(measure, values, computed)
        elif measure in ("RR", "OR", "RD"):
            y, v, n, corr = _binary(measure, values, computed, add, to, drop00)
        else:
            y, v, n, corr = _proportion(measure, values, computed, add, to)
        yi[computed] = y[computed]
        vi[computed] = v[computed]
        ni[computed] = n[computed]
        corrected[computed] = corr[computed]
    if measure != "GEN" and precomputed.any():
        for column in ("n", "n1", "n2"):
            if column in frame.columns:
                nn = pd.to_numeric(frame[column], errors="coerce").to_numpy(float)
                if column == "n1" and "n2" in frame.columns:
                    nn = nn + pd.to_numeric(frame["n2"], errors="coerce").to_numpy(float)
                ni[precomputed] = nn[precomputed]
                break
    source = tuple("precomputed" if p else "computed" for p in precomputed)
    return EffectSizes(measure, yi, vi, ni, source, corrected)


def _continuous(measure, values, rows):
    n1, m1, sd1, n2, m2, sd2 = (values[c] for c in CONTINUOUS)
    for name, arr in (("n1", n1), ("n2", n2)):
        _fail_where(rows & (arr <= 0), name, "group size must be positive", arr)
    for name, arr in (("sd1", sd1), ("sd2", sd2)):
        _fail_where(rows & (arr < 0), name, "standard deviation must not be negative", arr)
    with np.errstate(invalid="ignore", divide="ignore"):
        if measure == "MD":
            yi = m1 - m2
            vi = sd1**2 / n1 + sd2**2 / n2
        else:
            mi = n1 + n2 - 2
            sdpi = np.sqrt(((n1 - 1) * sd1**2 + (n2 - 1) * sd2**2) / mi)
            _fail_where(rows & ~(sdpi > 0), "sd1", "pooled standard deviation is zero", sdpi)
            cmi = cmicalc(mi)
            yi = cmi * (m1 - m2) / sdpi
            vi = 1 / n1 + 1 / n2 + yi**2 / (2 * (n1 + n2))
    _fail_where(rows & ~(vi > 0), "sd1", "sampling variance is zero", vi)
    return yi, vi, n1 + n2, np.zeros(len(yi), bool)


def _check_counts(rows, events, n, events_name, n_name):
    _fail_where(rows & (n <= 0), n_name, "group size must be positive", n)
    _fail_where(rows & (events < 0), events_name, "count must not be negative", events)
    _fail_where(rows & (events > n), events_name, f"events larger than {n_name}", events)


def _corrected(zero: np.ndarray, rows: np.ndarray, to: str) -> np.ndarray:
    """Which studies get the continuity correction (metafor's ``to``)."""
    if to == "all":
        return np.ones(len(zero), bool)
    if to == "only0":
        return zero
    if to == "if0all":
        return np.full(len(zero), bool(np.any(zero & rows)))
    return np.zeros(len(zero), bool)


def _binary(measure, values, rows, add, to, drop00):
    ai, n1, ci, n2 = (values[c] for c in BINARY)
    _check_counts(rows, ai, n1, "events1", "n1")
    _check_counts(rows, ci, n2, "events2", "n2")
    bi, di = n1 - ai, n2 - ci
    if drop00:
        both = ((ai == 0) & (ci == 0)) | ((bi == 0) & (di == 0))
        ai, bi, ci, di = (np.where(both, np.nan, x) for x in (ai, bi, ci, di))
    corr = _corrected((ai == 0) | (bi == 0) | (ci == 0) | (di == 0), rows, to)
    a, b, c, d = (np.where(corr, x + add, x) for x in (ai, bi, ci, di))
    n1c, n2c = a + b, c + d
    p1, p2 = a / n1c, c / n2c
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "RR":
            yi = np.log(p1) - np.log(p2)
            vi = 1 / a - 1 / n1c + 1 / c - 1 / n2c
        elif measure == "OR":
            yi = np.log(p1 / (1 - p1)) - np.log(p2 / (1 - p2))
            vi = 1 / a + 1 / b + 1 / c + 1 / d
        else:
            yi = p1 - p2
            vi = p1 * (1 - p1) / n1c + p2 * (1 - p2) / n2c
    return yi, vi, n1 + n2, corr & ~np.isnan(ai)


def _proportion(measure, values, rows, add, to):
    xi, ni = values["events"], values["n"]
    _check_counts(rows, xi, ni, "events", "n")
    mi = ni - xi
    if measure == "PFT":
        add = 0.0
    corr = _corrected((xi == 0) | (mi == 0), rows, to)
    if add == 0:
        corr = np.zeros(len(xi), bool)
    x = np.where(corr, xi + add, xi)
    m = np.where(corr, mi + add, mi)
    n = x + m
    pr = x / n
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "PR":
            yi = pr
            vi = pr * (1 - pr) / n
        elif measure == "PLO":
            yi = np.log(pr / (1 - pr))
            vi = 1 / x + 1 / m
        else:
            yi = 0.5 * (np.arcsin(np.sqrt(xi / (ni + 1))) + np.arcsin(np.sqrt((xi + 1) / (ni + 1))))
            vi = 1 / (4 * ni + 2)
    if measure == "PR":
        _fail_where(rows & ~(vi > 0), "events", "proportion of 0 or 1 has zero variance", vi)
    return yi, vi, ni, corr
