"""Small-study effects: Egger's regression test, Begg's rank correlation, trim-and-fill.

- Egger, Davey Smith, Schneider & Minder (1997), BMJ 315:629-634. The classic test is the
  weighted regression of yi on its standard error with weights 1/vi (metafor's
  ``regtest(model="lm", predictor="sei")``); the coefficient of the standard error is Egger's
  bias "intercept" (the intercept of the standard normal deviate on precision), the
  regression's intercept the limit estimate. Closed-form weighted least squares (the tests
  check it against statsmodels' WLS and metafor; statsmodels is not imported here because
  every workflow job pays for its imports).
- Begg & Mazumdar (1994), Biometrics 50:1088-1101: Kendall's tau between standardised effects
  and variances (metafor's ``ranktest``: exact p-value when there are no ties).
- Duval & Tweedie (2000), Biometrics 56:455-463 / JASA 95:89-98: trim-and-fill with the L0
  estimator, side chosen as metafor does (sign of the slope on sqrt(vi)).

Each test says when k is too small for it to mean anything (k < 10; Sterne et al. 2011,
BMJ 343:d4002).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from . import distributions as dist
from .errors import InputError
from .pooling import INVERSE_VARIANCE_METHODS, rma
from .regression import meta_regression

MIN_K_FOR_TESTS = 10


@dataclass
class EggerResult:
    t: float | None
    df: int | None
    pvalue: float | None
    intercept: float | None
    limit_estimate: float | None


@dataclass
class BeggResult:
    tau: float | None
    pvalue: float | None
    exact: bool | None


@dataclass
class TrimFillResult:
    k0: int | None
    side: str | None
    estimate: float | None
    se: float | None = None
    ci_lower: float | None = None
    ci_upper: float | None = None
    filled_yi: list[float] = field(default_factory=list)
    filled_vi: list[float] = field(default_factory=list)


@dataclass
class BiasResult:
    k: int
    measure: str
    method: str
    egger: EggerResult
    begg: BeggResult
    trimfill: TrimFillResult
    too_few_studies: bool
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        from .serialize import json_safe

        return json_safe(asdict(self))


def egger_test(yi, vi) -> EggerResult:
    """Classic Egger test: WLS of yi on sqrt(vi) with weights 1/vi (needs k >= 3)."""
    y, v = np.asarray(yi, float), np.asarray(vi, float)
    if len(y) < 3:
        return EggerResult(None, None, None, None, None)
    X = np.column_stack([np.ones(len(y)), np.sqrt(v)])
    w = 1 / v
    xtwx_inv = np.linalg.inv(X.T @ (w[:, None] * X))
    beta = xtwx_inv @ X.T @ (w * y)
    df = len(y) - 2
    sigma2 = float(np.sum(w * (y - X @ beta) ** 2)) / df
    se = np.sqrt(np.diag(xtwx_inv) * sigma2)
    t = float(beta[1] / se[1])
    return EggerResult(
        t=t,
        df=df,
        pvalue=float(2 * dist.t_sf(abs(t), df)),
        intercept=float(beta[1]),
        limit_estimate=float(beta[0]),
    )


def begg_test(yi, vi) -> BeggResult:
    """Begg and Mazumdar's rank correlation test (Kendall's tau-b)."""
    y, v = np.asarray(yi, float), np.asarray(vi, float)
    if len(y) < 3:
        return BeggResult(None, None, None)
    w = 1 / v
    theta = np.sum(w * y) / np.sum(w)
    v_star = v - 1 / np.sum(w)
    y_star = (y - theta) / np.sqrt(v_star)
    from scipy import stats

    ties = len(np.unique(y_star)) < len(y_star) or len(np.unique(v)) < len(v)
    method = "asymptotic" if ties else "exact"
    result = stats.kendalltau(y_star, v, method=method)
    return BeggResult(float(result.statistic), float(result.pvalue), not ties)


def trim_and_fill(yi, vi, method="REML", side: str | None = None, max_iter=100) -> TrimFillResult:
    """Duval and Tweedie's trim-and-fill with the L0 estimator, as ``metafor::trimfill``."""
    y, v = np.asarray(yi, float), np.asarray(vi, float)
    k = len(y)
    if k < 3:
        return TrimFillResult(None, None, None)
    if side is None:
        fit = meta_regression(y, v, np.column_stack([np.ones(k), np.sqrt(v)]), method)
        side = "right" if fit.beta[1] < 0 else "left"
    flip = -1.0 if side == "right" else 1.0
    ys = flip * y
    order = np.argsort(ys, kind="stable")
    ys, vs = ys[order], v[order]
    k0, k0_previous, iterations = 0, -1, 0
    beta = np.nan
    while k0 != k0_previous:
        k0_previous = k0
        iterations += 1
        if iterations > max_iter:
            raise InputError("trim-and-fill did not converge")
        beta = rma(yi=ys[: k - k0], vi=vs[: k - k0], method=method).estimate
        centred = ys - beta
        ranks = np.empty(k)
        ranks[np.argsort(np.abs(centred), kind="stable")] = np.arange(1, k + 1)
        signed = np.sign(centred) * ranks
        s_r = np.sum(signed[signed > 0])
        k0 = max(0, round((4 * s_r - k * (k + 1)) / (2 * k - 1)))
    if k0 == 0:
        full = rma(yi=y, vi=v, method=method)
        return TrimFillResult(0, side, full.estimate, full.se, full.ci_lower, full.ci_upper)
    # The k0 most extreme studies mirrored about the trimmed estimate (2 beta - y on the
    # working scale), then put back on the original scale.
    centred = ys - beta
    mirrored = flip * (beta - centred[k - k0 :])
    y_all = np.concatenate([y, mirrored])
    v_all = np.concatenate([v, vs[k - k0 :]])
    full = rma(yi=y_all, vi=v_all, method=method)
    return TrimFillResult(
        int(k0),
        side,
        full.estimate,
        full.se,
        full.ci_lower,
        full.ci_upper,
        list(mirrored),
        list(vs[k - k0 :]),
    )


def small_study_tests(yi, vi, measure="GEN", method="REML") -> BiasResult:
    """Egger, Begg and trim-and-fill together, with a note when k < 10."""
    if method not in INVERSE_VARIANCE_METHODS:
        method = "FE"
    y, v = np.asarray(yi, float), np.asarray(vi, float)
    keep = np.isfinite(y) & np.isfinite(v)
    y, v = y[keep], v[keep]
    k = len(y)
    notes = []
    too_few = k < MIN_K_FOR_TESTS
    if too_few:
        notes.append(
            f"k = {k} < {MIN_K_FOR_TESTS}: tests for small-study effects have too little power "
            "to mean anything (Sterne et al. 2011); shown for completeness only."
        )
    return BiasResult(
        k=k,
        measure=measure,
        method=method,
        egger=egger_test(y, v),
        begg=begg_test(y, v),
        trimfill=trim_and_fill(y, v, method),
        too_few_studies=too_few,
        notes=notes,
    )
