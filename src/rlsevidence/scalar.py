"""One intercept-only meta-analysis in plain Python floats: the fast path of :func:`.pooling.rma`.

The scalar twin of :func:`.pooling.rma_batch` (and of the tau^2 estimators in :mod:`.tau2`)
for one analysis of k studies. ``rma_batch`` pays numpy's per-call costs (2-d arrays, masks,
error-state contexts) on every step of its iterations, which dominate when there is one row
of ten studies; here each step is a few list comprehensions over k floats.

Same formulas, same steps and same stopping rules as the vectorised code:

- DL, HE, SJ as :mod:`.tau2`; PM by the safeguarded Newton iteration of
  :func:`.tau2.qprofile_root` from the same starting point (its iteration count is reported);
- ML and REML by Fisher scoring from the HE estimate with metafor's step halving, the same
  threshold, the bisection fallback when scoring does not converge and the ll0 check;
- the Q-profile interval for tau^2 in the same bracket [0, max(100, 10 tau^2)] with the same
  safeguards and tolerance as :func:`.tau2.qprofile_ci`, but started at the estimate and
  stepping on 1/Q (nearly linear in tau^2), which reaches the same roots in fewer steps.

Sums run left to right (numpy sums pairwise from k = 8), so the results agree with
``rma_batch`` to rounding (``tests/unit/test_scalar_path.py`` checks every field of simulated
analyses to 1e-10). Where a step of Fisher scoring or of PM's iteration (whose counts are
reported) comes within rounding of the stopping threshold, :mod:`.tau2` decides, as before.
"""

from __future__ import annotations

import math
import sys
from functools import lru_cache
from operator import mul

import numpy as np

from . import distributions as dist
from .tau2 import MAX_ITERATIONS, TAU2_THRESHOLD, estimate_tau2

EPS = sys.float_info.epsilon
#: A step of Fisher scoring (or of Newton's method for PM) closer to the stopping threshold
#: than ROUNDING * (tau^2 + k * the scale of the terms of the step) is a tie: numpy, summing
#: in another order, could stop one iteration earlier or later. Ties are left to tau2.py
#: (0.5% of REML and ML fits; with a quarter of this window none of 10,000 per method
#: stopped apart, against 2 in 14,000 without it).
ROUNDING = EPS
LL0_TOLERANCE = EPS**0.25
LOG_2PI = math.log(2 * math.pi)
NAN = math.nan


def _div(a: float, b: float) -> float:
    """a / b with IEEE semantics (inf or nan) where Python raises on division by zero."""
    try:
        return a / b
    except ZeroDivisionError:
        if a != a or a == 0:
            return NAN
        return math.copysign(math.inf, a) * math.copysign(1.0, b)


def _max0(x: float) -> float:
    """``np.maximum(0.0, x)``: nan stays nan."""
    return x if x > 0 or x != x else 0.0


@lru_cache(maxsize=1024)
def _z(alpha: float) -> float:
    return float(dist.norm_isf(alpha / 2))


@lru_cache(maxsize=1024)
def _t(alpha: float, df: int) -> float:
    return float(dist.t_isf(alpha / 2, df))


@lru_cache(maxsize=1024)
def _chi2(alpha: float, df: int) -> tuple[float, float]:
    """Upper and lower alpha/2 quantiles of chi^2(df) (the Q-profile targets)."""
    return float(dist.chi2_isf(alpha / 2, df)), float(dist.chi2_ppf(alpha / 2, df))


def _fit(y: list, v: list, t: float):
    """Weights 1/(v + t), their sum, the weighted mean, residuals and the generalised Q."""
    w = [1.0 / (x + t) for x in v]
    sw = sum(w)
    mu = sum(map(mul, w, y)) / sw
    r = [x - mu for x in y]
    q = sum(map(mul, w, map(mul, r, r)))
    return w, sw, mu, r, q


def _dq(w: list, r: list) -> float:
    """-dQ/dtau^2 = sum(w^2 r^2) (the derivative of the mean cancels)."""
    return sum(map(mul, map(mul, w, w), map(mul, r, r)))


def _tau2_he(y: list, v: list, k: int) -> float:
    ym = sum(y) / k
    rss = sum([(x - ym) * (x - ym) for x in y])
    sv = sum(v)
    return (rss - (sv - sv / k)) / (k - 1)


def _tau2_sj(y: list, v: list, k: int) -> float:
    ym = sum(y) / k
    tau0 = sum([(x - ym) * (x - ym) for x in y]) / k
    return _max0(tau0 * _fit(y, v, tau0)[4] / (k - 1))


def _median(x: list) -> float:
    s = sorted(x)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def _newton_root(y, v, target, lo, hi, x, on_1_over_q=False, q_d=None):
    """Solve Q(tau^2) = target in [lo, hi] from x: :func:`.tau2.qprofile_root` for one row.

    With ``on_1_over_q`` the Newton step is taken on 1/Q (Q times the step on Q, over target).
    ``q_d``: Q and -dQ/dtau^2 at x if known. Returns the root, the iterations and whether it
    converged; None (steps on Q only) if a step came within rounding of the threshold.
    """
    if q_d is None:
        w, _, _, r, q = _fit(y, v, x)
        d = _dq(w, r)
    else:
        q, d = q_d
    for iteration in range(1, MAX_ITERATIONS + 1):
        f = q - target
        if f > 0:
            lo = x
        elif f < 0:
            hi = x
        if d != 0:
            newton = x + (q / target) * f / d if on_1_over_q else x - f / -d
        else:
            newton = NAN
        new = newton if lo < newton < hi and newton - newton == 0 else 0.5 * (lo + hi)
        step, limit = abs(new - x), TAU2_THRESHOLD * max(1.0, abs(x))
        if (
            not on_1_over_q
            and step < 2 * limit
            and abs(step - limit) <= ROUNDING * (abs(x) + len(y) * q / abs(d or 1.0))
        ):
            return None
        if step <= limit or f == 0 or hi - lo <= 4 * EPS * max(1.0, abs(hi)):
            return new, iteration, True
        x = new
        w, _, _, r, q = _fit(y, v, x)
        d = _dq(w, r)
    return x, MAX_ITERATIONS, False


def _tau2_pm(y: list, v: list, k: int, q0: float):
    target = float(k - 1)
    if not (q0 >= target and k > 1):
        return 0.0, 0, True
    med = _median(y)
    mad = 1.4826 * _median([abs(x - med) for x in y])
    upper = max(100.0, 10 * (mad * mad))
    if not _fit(y, v, upper)[4] <= target:
        return NAN, 0, False
    found = _newton_root(y, v, target, 0.0, upper, 0.5 * (0.0 + upper))
    if found is None:
        return None
    root, iterations, done = found
    return (root if done else NAN), iterations, done


def _score(y: list, v: list, t: float, reml: bool) -> float:
    w, sw, _, r, _ = _fit(y, v, t)
    wr = list(map(mul, w, r))
    ypppy = sum(map(mul, wr, wr))
    return ypppy - (sw - sum(map(mul, w, w)) / sw if reml else sw)


def _score_root(y: list, v: list, reml: bool) -> float:
    """:func:`.tau2._score_root` for one row."""
    lo, hi = 0.0, 100.0
    while _score(y, v, hi, reml) > 0 and hi < 1e12:
        hi *= 10
    at_zero = _score(y, v, 0.0, reml) <= 0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if _score(y, v, mid, reml) > 0:
            lo = mid
        else:
            hi = mid
        if hi - lo <= TAU2_THRESHOLD * max(1.0, hi):
            break
    return 0.0 if at_zero else 0.5 * (lo + hi)


def _loglik(v: list, k: int, t: float, sw: float, q: float, reml: bool) -> float:
    """:func:`.tau2.loglik` from the fit at tau^2 = t (sum of weights ``sw``, Q)."""
    logv = sum([math.log(x + t) for x in v])
    if reml:
        return -0.5 * (k - 1) * LOG_2PI - 0.5 * logv - 0.5 * math.log(sw) - 0.5 * q
    return -0.5 * k * LOG_2PI - 0.5 * logv - 0.5 * q


def _tau2_fisher(y: list, v: list, k: int, reml: bool):
    """:func:`.tau2._tau2_fisher` for one row (k >= 2) up to its ll0 check, which needs the
    fits at 0 and at the estimate and is done by :func:`fit`.

    None if a step came within rounding of the stopping threshold, where this and numpy's
    order of summation could stop one iteration apart: the caller then runs :mod:`.tau2`.
    """
    ta = _max0(_tau2_he(y, v, k))
    if ta - ta != 0:
        ta = 0.0
    iterations, previous = 0, 0.0
    while iterations < MAX_ITERATIONS:
        iterations += 1
        w = [1.0 / (x + ta) for x in v]
        sw = sum(w)
        mu = sum(map(mul, w, y)) / sw
        wr = [a * (b - mu) for a, b in zip(w, y, strict=True)]
        ypppy = sum(map(mul, wr, wr))
        w2 = [a * a for a in w]
        sw2 = sum(w2)
        if reml:
            scale = ypppy + (sw - sw2 / sw)
            den = sw2 - 2 * sum(map(mul, w2, w)) / sw + sw2 * sw2 / (sw * sw)
            num = ypppy - (sw - sw2 / sw)
        else:
            scale, den, num = ypppy + sw, sw2, ypppy - sw
        try:
            adj = num / den
        except ZeroDivisionError:  # numpy gives inf or nan, and a step that is not finite is 0
            adj = 0.0
        if adj - adj != 0:
            adj = 0.0
        if ta + adj < 0:
            adj = _halve(ta, adj)
        ta = ta + adj
        step, limit = abs(adj), TAU2_THRESHOLD * (ta if ta > 1.0 else 1.0)
        if 0 < step < 2 * limit:
            # Rounding of this step, and of tau^2 carried over from the steps before (more
            # where they shrink slowly, at the ratio ``rho``).
            rho = min(step / abs(previous), 0.99) if previous else 0.99
            if abs(step - limit) <= ROUNDING * (ta + k * scale / abs(den)) / (1 - rho):
                return None
        if step <= limit:
            return ta, iterations, True
        previous = adj
    return _score_root(y, v, reml), iterations, False


def _halve(ta: float, adj: float) -> float:
    """metafor's step halving, as :func:`.tau2._tau2_fisher`: halve ``adj`` (at most 1100
    times) until ``ta + adj >= 0``. From ``ta = 0`` that is ~1075 halvings down to -0.0; the
    ones that keep ``adj`` a normal number are exact and done at once."""
    n = 0
    if ta == 0 and adj - adj == 0:
        n = min(math.frexp(adj)[1] + 1021, 1100)
        if n > 0:
            adj = math.ldexp(adj, -n)
        n = max(n, 0)
    while n < 1100 and ta + adj < 0:
        adj = adj / 2
        n += 1
    return adj


def _qprofile(y, v, q0, qmax, tau2_max, crit_lower, crit_upper, start, q_d):
    """:func:`.tau2.qprofile_ci` for one row (k >= 2), both roots searched from ``start``
    (the estimate, where Q and -dQ/dtau^2 are ``q_d``)."""
    ub_done = lb_done = True
    if q0 < crit_lower:
        upper = 0.0
    elif qmax > crit_lower:
        upper = tau2_max
    else:
        upper, _, ub_done = _newton_root(y, v, crit_lower, 0.0, tau2_max, start, True, q_d)
    if qmax > crit_upper:
        lower = upper = tau2_max
    elif q0 < crit_upper:
        lower = 0.0
    else:
        lower, _, lb_done = _newton_root(y, v, crit_upper, 0.0, tau2_max, start, True, q_d)
    return lower, upper, ub_done and lb_done


def fit(y: list, v: list, method: str, hk: bool, level: float, pi_type: str, tau2_ci=True):
    """One analysis (``y``, ``v``: lists of k >= 1 finite floats, ``v`` > 0, options checked).

    Returns a dict of the fields of :class:`.pooling.BatchResult` for this row, plus
    ``weights`` (the percentage weight of each study in the fitted model). ``tau2_ci=False``
    skips the Q-profile interval, as in :func:`.pooling.rma_batch`.
    """
    k = len(y)
    dfs = k - 1
    alpha = 1 - level / 100
    # The common-effect fit: DL, PM, heterogeneity and the Q-profile all use it.
    w0, sw0, mu0, r0, q0 = _fit(y, v, 0.0)
    trp0 = sw0 - sum(map(mul, w0, w0)) / sw0
    iterations, converged, ll0_checked = 0, True, False
    if k <= 1 or method == "FE":
        tau2 = 0.0
    elif method == "DL":
        tau2 = _max0(_div(q0 - dfs, trp0))
    elif method == "HE":
        tau2 = _max0(_tau2_he(y, v, k))
    elif method == "SJ":
        tau2 = _tau2_sj(y, v, k)
    else:
        found = _tau2_pm(y, v, k, q0) if method == "PM" else _tau2_fisher(y, v, k, method == "REML")
        if found is None:  # a tie with the stopping rule: decided by tau2.py, as rma_batch does
            tau2s, its, conv = estimate_tau2(np.array([y]), np.array([v]), method)
            found = float(tau2s[0]), int(its[0]), bool(conv[0])
            ll0_checked = True
        tau2, iterations, converged = found
    t = tau2 if tau2 - tau2 == 0 else 0.0
    w, sw, mu, r, q_re = (w0, sw0, mu0, r0, q0) if t == 0 else _fit(y, v, t)
    if converged and t > 1e-5 and method in ("ML", "REML") and not ll0_checked:
        # metafor's ll0check: if the likelihood is higher at tau^2 = 0, tau^2 = 0.
        reml = method == "REML"
        if _loglik(v, k, 0.0, sw0, q0, reml) - _loglik(v, k, t, sw, q_re, reml) > LL0_TOLERANCE:
            tau2 = t = 0.0
            w, sw, mu, r, q_re = w0, sw0, mu0, r0, q0
    vb = 1.0 / sw
    if hk:
        s2w = 0.0 if q_re <= EPS else q_re / max(dfs, 1)
        se = math.sqrt(s2w * vb)
        statistic = _div(mu, se)
        if dfs > 0:
            pvalue = 2 * float(dist.t_sf(abs(statistic), dfs))
            crit = _t(alpha, dfs)
        else:
            pvalue = crit = NAN
    else:
        se = math.sqrt(vb)
        statistic = _div(mu, se)
        pvalue = 2 * float(dist.norm_sf(abs(statistic)))
        crit = _z(alpha)
    # Heterogeneity from the common-effect weights.
    if dfs > 0:
        q, q_pvalue = q0, float(dist.chi2_sf(q0, dfs))
        if method == "FE":
            i2 = _max0(_div(100 * (q0 - dfs), q0))
            i2 = i2 if i2 - i2 == 0 else 0.0
            h2 = q0 / dfs
        else:
            vt = _div(dfs, trp0)
            i2 = _div(100 * t, vt + t)
            h2 = _div(t, vt) + 1
    else:
        q, q_pvalue, i2, h2 = 0.0, 1.0, 0.0, 1.0
    if pi_type == "higgins":
        pcrit = _t(alpha, k - 2) if k >= 3 else NAN
    else:
        pcrit = crit
    half = pcrit * math.sqrt(se * se + t)
    if tau2_ci and method != "FE" and k > 1:
        crit_upper, crit_lower = _chi2(alpha, dfs)
        tau2_max = max(100.0, 10 * t)
        qmax = _fit(y, v, tau2_max)[4]
        q_d = (q_re, _dq(w, r))
        lo, hi, ci_conv = _qprofile(y, v, q0, qmax, tau2_max, crit_lower, crit_upper, t, q_d)
    else:
        lo = hi = NAN
        ci_conv = False
    return {
        "k": k,
        "estimate": mu,
        "se": se,
        "ci_lower": mu - crit * se,
        "ci_upper": mu + crit * se,
        "pvalue": pvalue,
        "statistic": statistic,
        "df": dfs if hk else -1,
        "tau2": NAN if method == "FE" else tau2,
        "tau2_ci_lower": lo,
        "tau2_ci_upper": hi,
        "i2": i2,
        "h2": h2,
        "q": q,
        "q_pvalue": q_pvalue,
        "pi_lower": mu - half,
        "pi_upper": mu + half,
        "converged": converged,
        "iterations": iterations,
        "tau2_ci_converged": ci_conv,
        "weights": [100 * x / sw for x in w],
    }
