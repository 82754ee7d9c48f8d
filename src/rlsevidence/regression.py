"""Mixed-effects meta-regression (``rma(yi, vi, mods=X)``) for the few places that need it:
the side of trim-and-fill and the test of subgroup differences under a common tau^2.

The estimators are the matrix forms of those in :mod:`.pooling` (metafor's ``rma.uni``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import distributions as dist
from .tau2 import MAX_ITERATIONS, TAU2_THRESHOLD, row_mad


@dataclass
class RegressionFit:
    """Coefficients, their covariance, tau^2 and the omnibus test of the moderators."""

    beta: np.ndarray
    vb: np.ndarray
    tau2: float
    qm: float
    qm_df: tuple[int, int | None]
    qm_pvalue: float
    converged: bool


def _projection(w, X):
    W = np.diag(w)
    xtwx_inv = np.linalg.inv(X.T @ W @ X)
    return W - W @ X @ xtwx_inv @ X.T @ W, xtwx_inv


def _estimate_tau2(y, v, X, method):
    k, p = X.shape
    if method == "FE":
        return 0.0, True
    if method == "DL":
        P, _ = _projection(1 / v, X)
        return max(0.0, float((y @ P @ y - (k - p)) / np.trace(P))), True
    P0 = np.eye(k) - X @ np.linalg.inv(X.T @ X) @ X.T
    tau2_he = float((y @ P0 @ y - np.trace(P0 @ np.diag(v))) / (k - p))
    if method == "HE":
        return max(0.0, tau2_he), True
    if method == "SJ":
        tau0 = float(np.mean((y - y.mean()) ** 2))
        P, _ = _projection(1 / (v + tau0), X)
        return max(0.0, tau0 * float(y @ P @ y) / (k - p)), True
    if method == "PM":

        def q(t):
            P, _ = _projection(1 / (v + t), X)
            return float(y @ P @ y) - (k - p)

        if q(0.0) < 0:
            return 0.0, True
        upper = max(100.0, 10 * float(row_mad(y[None, :], np.isfinite(y)[None, :])[0]) ** 2)
        if q(upper) > 0:
            return float("nan"), False
        from scipy import optimize

        return optimize.brentq(q, 0.0, upper, xtol=1e-14, rtol=1e-14), True
    if method in ("ML", "REML"):
        tau2 = max(0.0, tau2_he)
        for _ in range(MAX_ITERATIONS):
            w = 1 / (v + tau2)
            P, _ = _projection(w, X)
            PP = P @ P
            if method == "REML":
                adj = (y @ PP @ y - np.trace(P)) / np.trace(PP)
            else:
                adj = (y @ PP @ y - w.sum()) / (w**2).sum()
            while tau2 + adj < 0:
                adj /= 2
            tau2 += adj
            if abs(adj) <= TAU2_THRESHOLD * max(1.0, tau2):
                return tau2, True
        return tau2, False
    raise ValueError(f"unknown method {method!r}")


def meta_regression(yi, vi, X, method="REML", *, hk=False) -> RegressionFit:
    """Fit ``yi = X beta + u + e`` with ``u ~ N(0, tau2)``, ``e ~ N(0, vi)``.

    The omnibus test covers every coefficient but the first (the intercept): a Wald chi^2
    with m df, or under ``hk`` an F(m, k - p) test after the Knapp-Hartung scaling.
    """
    y = np.asarray(yi, float)
    v = np.asarray(vi, float)
    X = np.asarray(X, float)
    k, p = X.shape
    tau2, converged = _estimate_tau2(y, v, X, method)
    w = 1 / (v + (0.0 if np.isnan(tau2) else tau2))
    _, xtwx_inv = _projection(w, X)
    beta = xtwx_inv @ X.T @ (w * y)
    vb = xtwx_inv
    if hk:
        resid = y - X @ beta
        rss = float(np.sum(w * resid**2))
        vb = vb * (rss / (k - p) if rss > np.finfo(float).eps else 0.0)
    m = p - 1
    b = beta[1:]
    qm = float(b @ np.linalg.inv(vb[1:, 1:]) @ b) if m > 0 else float("nan")
    if hk:
        qm = qm / m
        pvalue = float(dist.f_sf(qm, m, k - p))
        df = (m, k - p)
    else:
        pvalue = float(dist.chi2_sf(qm, m))
        df = (m, None)
    return RegressionFit(beta, vb, float(tau2), qm, df, pvalue, converged)
