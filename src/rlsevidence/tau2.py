"""Between-study variance (tau²): every estimator in one place, vectorised over rows.

DerSimonian-Laird, Hedges (HE), Sidik-Jonkman, Paule-Mandel (Q-profile root), ML and REML
(Fisher scoring, with a root-finding fallback where scoring fails), as in metafor's
``rma()`` (Viechtbauer 2010, J Stat Softw 36:1-48; Veroniki et al. 2016, Res Synth Methods
7:55-79), and the Q-profile interval for tau² (Viechtbauer 2007, Stat Med 26:37-52).
``pooling.py`` (the models), ``regression.py`` and the sensitivity analyses use these; no
other module estimates tau² except ``scalar.py``, the same steps in plain floats for one
analysis (``pooling.rma()``), which ``tests/unit/test_scalar_path.py`` holds to these.
"""

from __future__ import annotations

import numpy as np

from .errors import InputError

#: Convergence settings. metafor's defaults are looser (threshold 1e-5 for Fisher scoring,
#: uniroot tol ~1.2e-4 for PM and the Q-profile); with these the root is found to machine
#: precision, so agreement with metafor run at tight control is to ~1e-10.
TAU2_THRESHOLD = 1e-12
MAX_ITERATIONS = 1000
TAU2_METHODS = ("FE", "DL", "REML", "PM", "ML", "HE", "SJ")


def weighted_fit(y, v, tau2, mask):
    """Weights 1/(v + tau2) (0 where absent), weighted mean and the generalised Q."""
    w = np.where(mask, 1.0 / (np.where(mask, v, 1.0) + tau2[:, None]), 0.0)
    sw = w.sum(axis=1)
    mu = (w * np.where(mask, y, 0.0)).sum(axis=1) / sw
    resid = np.where(mask, y - mu[:, None], 0.0)
    q = (w * resid**2).sum(axis=1)
    return w, sw, mu, resid, q


def _tau2_dl(y, v, mask, k):
    w, sw, _, _, q = weighted_fit(y, v, np.zeros(len(y)), mask)
    trp = sw - (w**2).sum(axis=1) / sw
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.maximum(0.0, (q - (k - 1)) / trp)


def _tau2_he(y, v, mask, k):
    ym = np.where(mask, y, 0.0).sum(axis=1) / k
    rss = (np.where(mask, y - ym[:, None], 0.0) ** 2).sum(axis=1)
    sv = np.where(mask, v, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (rss - (sv - sv / k)) / (k - 1)


def _tau2_sj(y, v, mask, k):
    ym = np.where(mask, y, 0.0).sum(axis=1) / k
    tau0 = (np.where(mask, y - ym[:, None], 0.0) ** 2).sum(axis=1) / k
    _, _, _, _, q = weighted_fit(y, v, tau0, mask)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.maximum(0.0, tau0 * q / (k - 1))


def qprofile_root(y, v, mask, target, lower, upper, active):
    """Solve Q(tau2) = target on [lower, upper] for the rows in ``active``.

    Q(tau2) is strictly decreasing, so a safeguarded Newton iteration inside the bracket
    converges to machine precision. Only rows still iterating are computed on. Returns the
    roots (nan where inactive), the iterations and whether each row converged.
    """
    n = len(y)
    target = np.broadcast_to(np.asarray(target, float), (n,))
    x = np.full(n, np.nan)
    iterations = np.zeros(n, int)
    done = ~np.asarray(active, bool)
    idx = np.flatnonzero(~done)
    lo, hi = lower[idx].astype(float), upper[idx].astype(float)
    xa = 0.5 * (lo + hi)
    ya, va, ma, ta = y[idx], v[idx], mask[idx], target[idx]
    for _ in range(MAX_ITERATIONS):
        if len(idx) == 0:
            break
        w, _, _, resid, q = weighted_fit(ya, va, xa, ma)
        f = q - ta
        # dQ/dtau2 = -sum(w^2 r^2) (the derivative of mu cancels).
        df = -(w**2 * resid**2).sum(axis=1)
        lo = np.where(f > 0, xa, lo)
        hi = np.where(f < 0, xa, hi)
        with np.errstate(invalid="ignore", divide="ignore"):
            newton = xa - f / df
        inside = (newton > lo) & (newton < hi) & np.isfinite(newton)
        new = np.where(inside, newton, 0.5 * (lo + hi))
        converged = (
            (np.abs(new - xa) <= TAU2_THRESHOLD * np.maximum(1.0, np.abs(xa)))
            | (f == 0)
            | (hi - lo <= 4 * np.finfo(float).eps * np.maximum(1.0, np.abs(hi)))
        )
        xa = new
        iterations[idx] += 1
        finished = idx[converged]
        x[finished] = xa[converged]
        done[finished] = True
        keep = ~converged
        idx, xa, lo, hi = idx[keep], xa[keep], lo[keep], hi[keep]
        ya, va, ma, ta = ya[keep], va[keep], ma[keep], ta[keep]
    x[idx] = xa
    return x, iterations, done


def qprofile_ci(y, v, mask, k, crit_lower, crit_upper, tau2_max):
    """Q-profile interval for tau^2 (Viechtbauer 2007) on [0, tau2_max] for each row: the
    tau^2 where Q(tau^2) crosses the chi^2(k - 1) quantiles ``crit_upper`` and ``crit_lower``.

    Returns lower and upper limits (nan where k = 1) and whether both roots converged.
    """
    n = len(y)
    _, _, _, _, q0 = weighted_fit(y, v, np.zeros(n), mask)
    _, _, _, _, qmax = weighted_fit(y, v, tau2_max, mask)
    zeros = np.zeros(n)
    valid = k > 1
    # Upper bound.
    null_ci = q0 < crit_lower
    ub_at_max = ~null_ci & (qmax > crit_lower)
    ub_solve = valid & ~null_ci & ~ub_at_max
    ub_root, _, ub_done = qprofile_root(y, v, mask, crit_lower, zeros, tau2_max, ub_solve)
    upper = np.where(null_ci, 0.0, np.where(ub_at_max, tau2_max, ub_root))
    # Lower bound.
    lb_at_max = qmax > crit_upper
    lb_zero = ~lb_at_max & (q0 < crit_upper)
    lb_solve = valid & ~lb_at_max & ~lb_zero
    lb_root, _, lb_done = qprofile_root(y, v, mask, crit_upper, zeros, tau2_max, lb_solve)
    lower = np.where(lb_at_max, tau2_max, np.where(lb_zero, 0.0, lb_root))
    upper = np.where(lb_at_max, tau2_max, upper)
    converged = valid & (~ub_solve | ub_done) & (~lb_solve | lb_done)
    lower = np.where(valid, lower, np.nan)
    upper = np.where(valid, upper, np.nan)
    return lower, upper, converged


def _tau2_pm(y, v, mask, k):
    n = len(y)
    _, _, _, _, q0 = weighted_fit(y, v, np.zeros(n), mask)
    target = (k - 1).astype(float)
    mad = row_mad(y, mask)
    upper = np.maximum(100.0, 10 * mad**2)
    _, _, _, _, qmax = weighted_fit(y, v, upper, mask)
    active = (q0 >= target) & (k > 1)
    bracketed = qmax <= target
    root, iterations, done = qprofile_root(
        y, v, mask, target, np.zeros(n), upper, active & bracketed
    )
    tau2 = np.where(active, root, 0.0)
    converged = ~active | (bracketed & done)
    tau2 = np.where(converged, tau2, np.nan)
    return tau2, iterations, converged


def row_mad(y, mask):
    """R's mad(): 1.4826 * median absolute deviation from the median, row-wise."""
    ym = np.where(mask, y, np.nan)
    med = np.nanmedian(ym, axis=1)
    return 1.4826 * np.nanmedian(np.abs(ym - med[:, None]), axis=1)


def _tau2_fisher(y, v, mask, k, reml):
    """ML or REML by Fisher scoring from the HE estimate, with metafor's step halving.

    Only the rows still iterating are computed on, so a batch costs what its slowest rows do.
    """
    n = len(y)
    tau2 = np.maximum(0.0, _tau2_he(y, v, mask, k))
    tau2 = np.where(np.isfinite(tau2), tau2, 0.0)
    done = k <= 1
    iterations = np.zeros(n, int)
    idx = np.flatnonzero(~done)
    ta = tau2[idx]
    ya, va, ma = y[idx], v[idx], mask[idx]
    for _ in range(MAX_ITERATIONS):
        if len(idx) == 0:
            break
        w, sw, _, resid, _ = weighted_fit(ya, va, ta, ma)
        ypppy = ((w * resid) ** 2).sum(axis=1)
        sw2 = (w**2).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            adj = _fisher_step(ypppy, w, sw, sw2, reml)
        adj = np.where(np.isfinite(adj), adj, 0.0)
        # Step halving keeps tau2 + adj >= 0.
        for _ in range(1100):
            negative = ta + adj < 0
            if not negative.any():
                break
            adj = np.where(negative, adj / 2, adj)
        new = ta + adj
        converged = np.abs(adj) <= TAU2_THRESHOLD * np.maximum(1.0, new)
        iterations[idx] += 1
        ta = new
        tau2[idx] = ta
        done[idx[converged]] = True
        keep = ~converged
        idx, ta, ya, va, ma = idx[keep], ta[keep], ya[keep], va[keep], ma[keep]
    if len(idx):
        # Fisher scoring can oscillate (metafor then stops with "did not converge"). Solve the
        # likelihood equation score(tau2) = 0 by bisection instead; the rows stay flagged.
        tau2[idx] = _score_root(ya, va, ma, reml)
    converged = done
    # metafor's ll0check: if the likelihood at tau2 = 0 is higher, set tau2 = 0.
    ll0 = loglik(y, v, mask, k, np.zeros(n), reml)
    ll = loglik(y, v, mask, k, tau2, reml)
    stuck = converged & (ll0 - ll > np.finfo(float).eps ** 0.25) & (tau2 > 1e-5)
    tau2 = np.where(stuck, 0.0, tau2)
    return np.maximum(tau2, 0.0), iterations, converged


def _score_root(y, v, mask, reml):
    """Root of the (RE)ML score on [0, upper] by bisection; 0 where the score is negative at 0."""
    n = len(y)

    def score(t):
        w, sw, _, resid, _ = weighted_fit(y, v, t, mask)
        ypppy = ((w * resid) ** 2).sum(axis=1)
        sw2 = (w**2).sum(axis=1)
        trp = sw - sw2 / sw if reml else sw
        return ypppy - trp

    lo = np.zeros(n)
    hi = np.full(n, 100.0)
    while np.any(grow := score(hi) > 0) and hi.max() < 1e12:
        hi = np.where(grow, hi * 10, hi)
    at_zero = score(lo) <= 0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        positive = score(mid) > 0
        lo = np.where(positive, mid, lo)
        hi = np.where(positive, hi, mid)
        if np.all(hi - lo <= TAU2_THRESHOLD * np.maximum(1.0, hi)):
            break
    return np.where(at_zero, 0.0, 0.5 * (lo + hi))


def _fisher_step(ypppy, w, sw, sw2, reml):
    """Fisher scoring step for REML ((y'PPy - tr P) / tr PP) or ML ((y'PPy - sum w) / sum w^2)."""
    if reml:
        trp = sw - sw2 / sw
        trpp = sw2 - 2 * (w**3).sum(axis=1) / sw + sw2**2 / sw**2
        return (ypppy - trp) / trpp
    return (ypppy - sw) / sw2


def loglik(y, v, mask, k, tau2, reml):
    w, sw, _, _, q = weighted_fit(y, v, tau2, mask)
    logv = np.where(mask, np.log(np.where(mask, v, 1.0) + tau2[:, None]), 0.0).sum(axis=1)
    if reml:
        return -0.5 * (k - 1) * np.log(2 * np.pi) - 0.5 * logv - 0.5 * np.log(sw) - 0.5 * q
    return -0.5 * k * np.log(2 * np.pi) - 0.5 * logv - 0.5 * q


def estimate_tau2(yi, vi, method: str):
    """tau^2 for each row of ``yi``/``vi`` (shape (m, k), nan = absent study).

    Returns ``(tau2, iterations, converged)`` arrays of length m.
    """
    y, v, mask, k = as_rows(yi, vi)
    n = len(y)
    iterations = np.zeros(n, int)
    converged = np.ones(n, bool)
    if method == "FE":
        tau2 = np.zeros(n)
    elif method == "DL":
        tau2 = _tau2_dl(y, v, mask, k)
    elif method == "HE":
        tau2 = np.maximum(0.0, _tau2_he(y, v, mask, k))
    elif method == "SJ":
        tau2 = _tau2_sj(y, v, mask, k)
    elif method == "PM":
        tau2, iterations, converged = _tau2_pm(y, v, mask, k)
    elif method in ("ML", "REML"):
        tau2, iterations, converged = _tau2_fisher(y, v, mask, k, reml=method == "REML")
    else:
        raise InputError(f"unknown method {method!r}; choose from {', '.join(TAU2_METHODS)}")
    tau2 = np.where(k <= 1, 0.0, tau2)
    return tau2, iterations, converged


def as_rows(yi, vi):
    """``yi``, ``vi`` as 2-d arrays (one meta-analysis per row), the mask of present studies
    and k per row."""
    y = np.atleast_2d(np.asarray(yi, dtype=float))
    v = np.atleast_2d(np.asarray(vi, dtype=float))
    if y.shape != v.shape:
        raise InputError(f"yi and vi differ in shape: {y.shape} and {v.shape}")
    mask = np.isfinite(y) & np.isfinite(v)
    k = mask.sum(axis=1)
    return y, v, mask, k
