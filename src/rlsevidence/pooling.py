"""Common-effect and random-effects meta-analysis at parity with metafor's ``rma()``.

:func:`rma_batch` fits many meta-analyses at once (arrays of shape analyses x studies, ``nan``
for absent studies); :func:`rma` fits one in plain floats by the same steps (:mod:`.scalar`;
the same numbers to rounding, 20-50 times faster than a batch of one).

Estimators of the between-study variance tau^2 (intercept-only model):

- ``DL``   DerSimonian & Laird (1986), Control Clin Trials 7:177-188.
- ``HE``   Hedges (1983) / Hedges & Olkin (1985) unweighted method of moments.
- ``SJ``   Sidik & Jonkman (2005), J Biopharm Stat 15:823-838 (one step, metafor's default).
- ``PM``   Paule & Mandel (1982), J Res Natl Bur Stand 87:377-385 (root of generalised Q).
- ``ML``, ``REML``  by Fisher scoring (Viechtbauer 2005, J Educ Behav Stat 30:261-293),
  started from the HE estimate, with metafor's check against the likelihood at tau^2 = 0.

Inference: Wald (z) or Hartung-Knapp(-Sidik-Jonkman) (Hartung & Knapp 2001, Stat Med
20:3875-3889; Sidik & Jonkman 2002, Stat Med 21:3153-3159): the variance is multiplied by
the weighted residual mean square and the t distribution with k - 1 df is used (no
truncation of the multiplier at 1, as metafor's ``test="knha"``).
Q-profile confidence interval for tau^2 (Viechtbauer 2007, Stat Med 26:37-52).
Prediction interval: metafor's form ``estimate +- crit * sqrt(se^2 + tau^2)`` with ``crit`` the
z (or t(k-1) under HK) quantile; optionally the t(k-2) form of Higgins, Thompson &
Spiegelhalter (2009), J R Stat Soc A 172:137-159, used by RevMan and R meta.
I^2 and H^2 follow metafor: for random-effects models from tau^2 and the "typical" within-study
variance (Higgins & Thompson 2002, Stat Med 21:1539-1558); for the common-effect model from Q.

Mantel-Haenszel (OR, RR, RD) and Peto (OR) common-effect models are in :mod:`.mantel_haenszel`.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np

from . import distributions as dist
from . import scalar
from .effects import EffectSizes
from .errors import InputError
from .measures import PROPORTION_MEASURES, RATIO_MEASURES
from .serialize import json_safe
from .tau2 import as_rows, estimate_tau2, qprofile_ci, weighted_fit
from .transforms import backtransform

RANDOM_METHODS = ("DL", "REML", "PM", "ML", "HE", "SJ")
INVERSE_VARIANCE_METHODS = ("FE", *RANDOM_METHODS)
METHODS = (*INVERSE_VARIANCE_METHODS, "MH", "PETO")
PI_TYPES = ("metafor", "higgins")


@dataclass
class Backtransformed:
    """Pooled estimate and intervals on the natural scale (ratio or proportion)."""

    estimate: float | None
    ci_lower: float | None
    ci_upper: float | None
    pi_lower: float | None
    pi_upper: float | None


@dataclass
class MetaResult:
    """A fitted meta-analysis, with the keys fixed by the design (all on the analysis scale).

    Keys that do not apply to a method are ``None`` (``null`` in JSON), never missing.
    """

    k: int
    measure: str
    method: str
    hk: bool
    level: float
    estimate: float | None
    se: float | None
    ci_lower: float | None
    ci_upper: float | None
    pvalue: float | None
    tau2: float | None
    tau2_ci_lower: float | None
    tau2_ci_upper: float | None
    i2: float | None
    h2: float | None
    q: float | None
    q_df: int | None
    q_pvalue: float | None
    pi_lower: float | None
    pi_upper: float | None
    backtransformed: Backtransformed | None
    # Additions beyond the fixed keys.
    statistic: float | None = None
    df: int | None = None
    pi_type: str = "metafor"
    tau2_is_zero: bool | None = None
    converged: bool = True
    iterations: int | None = None
    tau2_ci_converged: bool | None = None
    weights: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        out = asdict(self)
        return json_safe(out)


@dataclass
class BatchResult:
    """Arrays of length m (one entry per meta-analysis) from :func:`rma_batch`."""

    k: np.ndarray
    estimate: np.ndarray
    se: np.ndarray
    ci_lower: np.ndarray
    ci_upper: np.ndarray
    pvalue: np.ndarray
    statistic: np.ndarray
    df: np.ndarray
    tau2: np.ndarray
    tau2_ci_lower: np.ndarray
    tau2_ci_upper: np.ndarray
    i2: np.ndarray
    h2: np.ndarray
    q: np.ndarray
    q_pvalue: np.ndarray
    pi_lower: np.ndarray
    pi_upper: np.ndarray
    converged: np.ndarray
    iterations: np.ndarray
    tau2_ci_converged: np.ndarray


def _check_options(method: str, pi_type: str) -> None:
    if method not in INVERSE_VARIANCE_METHODS:
        raise InputError(f"method {method!r} is not an inverse-variance method")
    if pi_type not in PI_TYPES:
        raise InputError(f"unknown prediction interval type {pi_type!r}")


def rma_batch(
    yi,
    vi,
    method: str = "REML",
    *,
    hk: bool = False,
    level: float = 95.0,
    tau2_ci: bool = True,
    pi_type: str = "metafor",
) -> BatchResult:
    """Fit many intercept-only meta-analyses at once.

    Parameters
    ----------
    yi, vi : array_like, shape (m, k)
        Effect sizes and sampling variances; ``nan`` marks an absent study, so meta-analyses
        of different sizes share one array.
    method : {"FE", "DL", "REML", "PM", "ML", "HE", "SJ"}
    hk : bool
        Hartung-Knapp(-Sidik-Jonkman) adjustment with t(k - 1).
    level : float
        Confidence level in percent.
    tau2_ci : bool
        Compute the Q-profile interval for tau^2 (random-effects methods only).
    pi_type : {"metafor", "higgins"}
        Prediction interval with the z / t(k-1) quantile as metafor, or t(k-2) (Higgins 2009).

    Returns
    -------
    BatchResult
    """
    _check_options(method, pi_type)
    y, v, mask, k = as_rows(yi, vi)
    n = len(y)
    if np.any(mask & ~(v > 0)):
        raise InputError("sampling variances must be positive")
    tau2, iterations, converged = estimate_tau2(y, v, method)
    tau2_fit = np.where(np.isfinite(tau2), tau2, 0.0)
    w, sw, mu, resid, q_re = weighted_fit(y, v, tau2_fit, mask)
    vb = 1.0 / sw
    alpha = 1 - level / 100
    dfs = k - 1
    if hk:
        s2w = np.where(q_re <= np.finfo(float).eps, 0.0, q_re / np.maximum(dfs, 1))
        vb = s2w * vb
        se = np.sqrt(vb)
        with np.errstate(invalid="ignore", divide="ignore"):
            statistic = mu / se
            pvalue = np.where(dfs > 0, 2 * dist.t_sf(np.abs(statistic), np.maximum(dfs, 1)), np.nan)
            crit = np.where(dfs > 0, dist.t_isf(alpha / 2, np.maximum(dfs, 1)), np.nan)
    else:
        se = np.sqrt(vb)
        statistic = mu / se
        pvalue = 2 * dist.norm_sf(np.abs(statistic))
        crit = np.full(n, float(dist.norm_isf(alpha / 2)))
    ci_lower = mu - crit * se
    ci_upper = mu + crit * se
    # Heterogeneity from the common-effect weights.
    w0, sw0, _, _, q = weighted_fit(y, v, np.zeros(n), mask)
    trp = sw0 - (w0**2).sum(axis=1) / sw0
    with np.errstate(invalid="ignore", divide="ignore"):
        q_pvalue = np.where(dfs > 0, dist.chi2_sf(q, np.maximum(dfs, 1)), 1.0)
        if method == "FE":
            i2 = np.where(dfs > 0, np.maximum(0.0, 100 * (q - dfs) / q), 0.0)
            i2 = np.where(np.isfinite(i2), i2, 0.0)
            h2 = np.where(dfs > 0, q / np.maximum(dfs, 1), 1.0)
        else:
            vt = dfs / trp
            i2 = np.where(dfs > 0, 100 * tau2_fit / (vt + tau2_fit), 0.0)
            h2 = np.where(dfs > 0, tau2_fit / vt + 1, 1.0)
    q = np.where(dfs > 0, q, 0.0)
    # Prediction interval.
    if pi_type == "higgins":
        with np.errstate(invalid="ignore"):
            pcrit = np.where(k >= 3, dist.t_isf(alpha / 2, np.maximum(k - 2, 1)), np.nan)
    else:
        pcrit = crit
    half = pcrit * np.sqrt(se**2 + tau2_fit)
    pi_lower, pi_upper = mu - half, mu + half
    if tau2_ci and method != "FE":
        df_chi = np.maximum(dfs, 1)
        crit_upper = dist.chi2_isf(alpha / 2, df_chi)
        crit_lower = dist.chi2_ppf(alpha / 2, df_chi)
        tau2_max = np.maximum(100.0, 10 * tau2_fit)
        lo, hi, ci_conv = qprofile_ci(y, v, mask, k, crit_lower, crit_upper, tau2_max)
    else:
        lo = hi = np.full(n, np.nan)
        ci_conv = np.zeros(n, bool)
    tau2_out = np.where(method == "FE", np.nan, tau2)
    return BatchResult(
        k=k,
        estimate=mu,
        se=se,
        ci_lower=ci_lower,
        ci_upper=ci_upper,
        pvalue=pvalue,
        statistic=statistic,
        df=dfs if hk else np.full(n, -1),
        tau2=tau2_out,
        tau2_ci_lower=lo,
        tau2_ci_upper=hi,
        i2=i2,
        h2=h2,
        q=q,
        q_pvalue=q_pvalue,
        pi_lower=pi_lower,
        pi_upper=pi_upper,
        converged=converged,
        iterations=iterations,
        tau2_ci_converged=ci_conv,
    )


def _f(x) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


SCALAR_MAX_K = 500  # above this k, rma() fits by rma_batch (numpy beats plain-float loops)


def rma(
    effects: EffectSizes | None = None,
    *,
    yi=None,
    vi=None,
    measure: str = "GEN",
    method: str = "REML",
    hk: bool = False,
    level: float = 95.0,
    pi_type: str = "metafor",
    ni=None,
) -> MetaResult:
    """Fit one intercept-only meta-analysis, as ``metafor::rma(yi, vi, method=...)``.

    By :func:`.scalar.fit`, or by :func:`rma_batch` above ``SCALAR_MAX_K`` studies.

    Parameters
    ----------
    effects : EffectSizes, optional
        Output of :func:`rlsevidence.effects.escalc`; alternatively give ``yi`` and ``vi``.
    method : {"FE", "DL", "REML", "PM", "ML", "HE", "SJ"}
        ``FE`` is the common-effect (inverse-variance) model.
    hk : bool
        Hartung-Knapp adjustment.
    level : float
        Confidence level in percent (default 95).
    pi_type : {"metafor", "higgins"}
        Form of the prediction interval (see module docstring).

    Returns
    -------
    MetaResult
    """
    if effects is not None:
        yi, vi, measure, ni = effects.yi, effects.vi, effects.measure, effects.ni
    y = np.asarray(yi, dtype=float)
    v = np.asarray(vi, dtype=float)
    keep = np.isfinite(y) & np.isfinite(v)
    y, v = y[keep], v[keep]
    if ni is not None:
        ni = np.asarray(ni, dtype=float)[keep]
    if len(y) == 0:
        raise InputError("no studies to pool (k = 0)")
    if len(y) > SCALAR_MAX_K:
        batch = rma_batch(y[None, :], v[None, :], method, hk=hk, level=level, pi_type=pi_type)
        result = result_from_batch(batch, 0, v, measure, method, hk, level, pi_type)
    else:
        _check_options(method, pi_type)
        if not min(vl := v.tolist()) > 0:
            raise InputError("sampling variances must be positive")
        row = scalar.fit(y.tolist(), vl, method, hk, level, pi_type)
        result = _result(row, measure, method, hk, level, pi_type)
    attach_backtransform(result, ni)
    return result


def result_from_batch(batch, i, v, measure, method, hk, level, pi_type) -> MetaResult:
    """Row ``i`` of ``batch`` (the fit of studies with variances ``v``) as a MetaResult."""
    row = {name: getattr(batch, name)[i] for name in batch.__dataclass_fields__}
    tau2 = _f(row["tau2"]) if method != "FE" else None
    w = 1 / (np.asarray(v, dtype=float) + (tau2 or 0.0))
    row["weights"] = list(100 * w / w.sum())
    return _result(row, measure, method, hk, level, pi_type)


def _result(b: dict, measure, method, hk, level, pi_type) -> MetaResult:
    """The MetaResult of one fitted row (a dict of BatchResult fields plus ``weights``)."""
    k = int(b["k"])
    random = method != "FE"
    notes = []
    tau2 = _f(b["tau2"]) if random else None
    if random and tau2 is not None and tau2 == 0:
        notes.append(
            "tau² estimated as 0: the random-effects model equals the common-effect model."
        )
    if k == 1:
        notes.append("k = 1: nothing is pooled; heterogeneity cannot be estimated.")
    elif k == 2 and random:
        notes.append("k = 2: tau² is very imprecise; interpret random-effects results with care.")
    if random and k > 1 and b["tau2_ci_upper"] >= max(100.0, 10 * (tau2 or 0.0)):
        notes.append(
            "the upper limit of the tau² interval reached the search bound "
            f"({b['tau2_ci_upper']:g}): read it as 'more than {b['tau2_ci_upper']:g}'."
        )
    if not bool(b["converged"]):
        notes.append(
            f"the {method} estimator of tau² did not converge"
            + (
                " by Fisher scoring (metafor stops here); tau² is the root of the likelihood "
                "equation found by bisection."
                if method in ("REML", "ML")
                else "."
            )
        )
    if not random:
        notes.append("common-effect model: the prediction interval equals the confidence interval.")
    return MetaResult(
        k=k,
        measure=measure,
        method=method,
        hk=hk,
        level=level,
        estimate=_f(b["estimate"]),
        se=_f(b["se"]),
        ci_lower=_f(b["ci_lower"]),
        ci_upper=_f(b["ci_upper"]),
        pvalue=_f(b["pvalue"]),
        tau2=tau2,
        tau2_ci_lower=_f(b["tau2_ci_lower"]) if random else None,
        tau2_ci_upper=_f(b["tau2_ci_upper"]) if random else None,
        i2=_f(b["i2"]),
        h2=_f(b["h2"]),
        q=_f(b["q"]),
        q_df=k - 1,
        q_pvalue=_f(b["q_pvalue"]),
        pi_lower=_f(b["pi_lower"]),
        pi_upper=_f(b["pi_upper"]),
        backtransformed=None,
        statistic=_f(b["statistic"]),
        df=k - 1 if hk else None,
        pi_type=pi_type,
        tau2_is_zero=(tau2 == 0) if random else None,
        converged=bool(b["converged"]),
        iterations=int(b["iterations"]) if method in ("PM", "ML", "REML") else None,
        tau2_ci_converged=bool(b["tau2_ci_converged"]) if random and k > 1 else None,
        weights=b["weights"],
        notes=notes,
    )


def attach_backtransform(result: MetaResult, ni=None) -> None:
    """Fill ``result.backtransformed`` for ratio and proportion measures."""
    if result.measure not in RATIO_MEASURES + PROPORTION_MEASURES:
        return
    values = [result.estimate, result.ci_lower, result.ci_upper, result.pi_lower, result.pi_upper]
    arr = np.array([np.nan if x is None else x for x in values])
    bt = backtransform(result.measure, arr, ni)
    result.backtransformed = Backtransformed(*(_f(x) for x in bt))
