"""Mantel-Haenszel (OR, RR, RD) and Peto (OR) common-effect models, as metafor's
``rma.mh()`` and ``rma.peto()``.

- Mantel & Haenszel (1959), J Natl Cancer Inst 22:719-748; variance of the log OR by
  Robins, Breslow & Greenland (1986), Biometrics 42:311-323; of the log RR by Greenland &
  Robins (1985), Biometrics 41:55-68; of the RD by Sato, Greenland & Robins (1989),
  Biometrics 45:1323-1324.
- Peto one-step odds ratio: Yusuf, Peto, Lewis et al. (1985), Prog Cardiovasc Dis 27:335-371.

No continuity correction enters the pooled estimate (studies with zero cells contribute as
they are). As in metafor, the heterogeneity test uses the study-level estimates from
``escalc`` with ``add=1/2, to="only0", drop00=True`` (double-zero studies do not count).
"""

from __future__ import annotations

import numpy as np

from . import distributions as dist
from .effects import escalc
from .errors import InputError
from .pooling import MetaResult, attach_backtransform


def _counts(frame):
    effects_input = frame[["events1", "n1", "events2", "n2"]]
    a = effects_input["events1"].to_numpy(float)
    n1 = effects_input["n1"].to_numpy(float)
    c = effects_input["events2"].to_numpy(float)
    n2 = effects_input["n2"].to_numpy(float)
    return a, n1 - a, c, n2 - c, n1, n2


def _heterogeneity(yi, vi, beta):
    keep = np.isfinite(yi) & np.isfinite(vi)
    yi, vi = yi[keep], vi[keep]
    k_yi = len(yi)
    if k_yi > 1:
        q = max(0.0, float(np.sum((yi - beta) ** 2 / vi)))
        q_p = float(dist.chi2_sf(q, k_yi - 1))
        i2 = max(0.0, 100 * (q - (k_yi - 1)) / q) if q > 0 else 0.0
        h2 = q / (k_yi - 1)
    else:
        q, q_p, i2, h2 = 0.0, 1.0, 0.0, 1.0
    return q, q_p, i2, h2, k_yi


def _result(measure, method, k, beta, se, level, q, q_p, i2, h2, k_yi, notes):
    z = float(dist.norm_isf((1 - level / 100) / 2))
    finite = beta is not None and np.isfinite(beta) and se is not None and np.isfinite(se)
    lower = beta - z * se if finite else None
    upper = beta + z * se if finite else None
    result = MetaResult(
        k=k,
        measure=measure,
        method=method,
        hk=False,
        level=level,
        estimate=float(beta) if finite else None,
        se=float(se) if finite else None,
        ci_lower=lower,
        ci_upper=upper,
        pvalue=float(2 * dist.norm_sf(abs(beta / se))) if finite else None,
        tau2=None,
        tau2_ci_lower=None,
        tau2_ci_upper=None,
        i2=i2,
        h2=h2,
        q=q,
        q_df=k_yi - 1,
        q_pvalue=q_p,
        pi_lower=lower,
        pi_upper=upper,
        backtransformed=None,
        statistic=float(beta / se) if finite else None,
        notes=notes
        + ["common-effect model: the prediction interval equals the confidence interval."],
    )
    attach_backtransform(result)
    return result


def rma_mh(frame, measure: str = "OR", *, level: float = 95.0, add: float = 0.5) -> MetaResult:
    """Mantel-Haenszel common-effect model for ``OR``, ``RR`` or ``RD``.

    Parameters
    ----------
    frame : DataFrame
        Columns ``events1, n1, events2, n2`` (already validated).
    """
    if measure not in ("OR", "RR", "RD"):
        raise InputError(f"Mantel-Haenszel is for OR, RR and RD, not {measure}")
    ai, bi, ci, di, n1, n2 = _counts(frame)
    N = n1 + n2
    k = len(ai)
    notes = []
    if measure == "OR":
        P = ai / N + di / N
        Q = bi / N + ci / N
        R_i = (ai / N) * di
        S_i = (bi / N) * ci
        R, S = R_i.sum(), S_i.sum()
        if R == 0 or S == 0:
            beta = se = np.nan
            notes.append("MH odds ratio not estimable (no discordant information).")
        else:
            beta = np.log(R / S)
            se = np.sqrt(
                0.5
                * (
                    np.sum(P * R_i) / R**2
                    + np.sum(P * S_i + Q * R_i) / (R * S)
                    + np.sum(Q * S_i) / S**2
                )
            )
    elif measure == "RR":
        R = np.sum(ai * (n2 / N))
        S = np.sum(ci * (n1 / N))
        if ai.sum() == 0 or ci.sum() == 0:
            beta = se = np.nan
            notes.append("MH risk ratio not estimable (no events in one group).")
        else:
            beta = np.log(R / S)
            se = np.sqrt(np.sum((n1 / N) * (n2 / N) * (ai + ci) - (ai / N) * ci) / (R * S))
    else:
        denom = np.sum(n1 * (n2 / N))
        beta = np.sum(ai * (n2 / N) - ci * (n1 / N)) / denom
        se = np.sqrt(
            (
                beta
                * np.sum(
                    ci * (n1 / N) ** 2 - ai * (n2 / N) ** 2 + (n1 / N) * (n2 / N) * (n2 - n1) / 2
                )
                + np.sum(ai * (n2 - ci) / N + ci * (n1 - ai) / N) / 2
            )
            / denom**2
        )
    eff = escalc(measure, frame, add=add, to="only0", drop00=True)
    q, q_p, i2, h2, k_yi = _heterogeneity(eff.yi, eff.vi, beta)
    return _result(measure, "MH", k, beta, se, level, q, q_p, i2, h2, k_yi, notes)


def rma_peto(frame, *, level: float = 95.0) -> MetaResult:
    """Peto's one-step odds ratio (common effect)."""
    ai, bi, ci, di, n1, n2 = _counts(frame)
    N = n1 + n2
    xt, yt = ai + ci, bi + di
    E = xt * n1 / N
    with np.errstate(invalid="ignore", divide="ignore"):
        V = xt * yt * (n1 / N) * (n2 / N) / (N - 1)
    if np.nansum(V) == 0:
        raise InputError("Peto's method cannot be used: one outcome never occurred in any study")
    beta = np.sum(ai - E) / np.sum(V)
    se = np.sqrt(1 / np.sum(V))
    double_zero = ((ai == 0) & (ci == 0)) | ((bi == 0) & (di == 0))
    k_yi = int(np.sum(~double_zero))
    k_pos = int(np.sum(V > 0))
    Vn = np.where(V > 0, V, np.nan)
    q = max(0.0, float(np.nansum((ai - E) ** 2 / Vn) - np.sum(ai - E) ** 2 / np.nansum(Vn)))
    if k_pos > 1:
        q_p = float(dist.chi2_sf(q, k_yi - 1))
        i2 = max(0.0, 100 * (q - (k_yi - 1)) / q) if q > 0 else 0.0
        h2 = q / (k_yi - 1)
    else:
        q_p, i2, h2 = 1.0, 0.0, 1.0
    return _result("OR", "PETO", len(ai), beta, se, level, q, q_p, i2, h2, k_yi, [])
