"""Sensitivity analyses: leave-one-out, cumulative meta-analysis, subgroups.

Leave-one-out and cumulative fits are done in one vectorised call (a k x k array with
``nan`` for the left-out or not-yet-published studies), as metafor's ``leave1out()`` and
``cumul()``. The test for subgroup differences is the "separate tau^2" Q test of Borenstein
et al. (2009, ch. 19) that RevMan and R meta report, and additionally the mixed-effects
meta-regression test with a common tau^2 (metafor's ``rma(mods = ~ factor(group))``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from . import distributions as dist
from .pooling import rma, rma_batch
from .regression import meta_regression
from .serialize import json_safe


def _batch_frame(batch, labels, omitted_name):
    return pd.DataFrame(
        {
            omitted_name: labels,
            "k": batch.k,
            "estimate": batch.estimate,
            "se": batch.se,
            "ci_lower": batch.ci_lower,
            "ci_upper": batch.ci_upper,
            "pvalue": batch.pvalue,
            "tau2": batch.tau2,
            "i2": batch.i2,
            "q": batch.q,
            "q_pvalue": batch.q_pvalue,
            "pi_lower": batch.pi_lower,
            "pi_upper": batch.pi_upper,
            "converged": batch.converged,
        }
    )


def leave_one_out(yi, vi, labels, method="REML", hk=False, level=95.0) -> pd.DataFrame:
    """Refit the model k times, each time without one study (``metafor::leave1out``)."""
    y, v = np.asarray(yi, float), np.asarray(vi, float)
    k = len(y)
    Y = np.tile(y, (k, 1))
    np.fill_diagonal(Y, np.nan)
    V = np.tile(v, (k, 1))
    batch = rma_batch(Y, V, method, hk=hk, level=level, tau2_ci=False)
    return _batch_frame(batch, list(labels), "omitted")


def cumulative(yi, vi, labels, order, method="REML", hk=False, level=95.0) -> pd.DataFrame:
    """Cumulative meta-analysis adding studies in ``order`` (e.g. year), as ``metafor::cumul``."""
    y, v = np.asarray(yi, float), np.asarray(vi, float)
    idx = np.argsort(np.asarray(order), kind="stable")
    k = len(y)
    Y = np.tile(y[idx], (k, 1))
    V = np.tile(v[idx], (k, 1))
    Y[np.triu_indices(k, 1)] = np.nan
    batch = rma_batch(Y, V, method, hk=hk, level=level, tau2_ci=False)
    return _batch_frame(batch, [list(labels)[i] for i in idx], "added")


@dataclass
class SubgroupResult:
    groups: dict
    between_q: float | None
    between_df: int | None
    between_pvalue: float | None
    mixed_qm: float | None = None
    mixed_df: int | None = None
    mixed_pvalue: float | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return json_safe(asdict(self))


def subgroups(yi, vi, groups, measure="GEN", method="REML", hk=False, level=95.0):
    """Fit the model within each subgroup and test for differences between subgroups."""
    y, v = np.asarray(yi, float), np.asarray(vi, float)
    g = pd.Series(list(groups)).fillna("(none)").astype(str).to_numpy()
    names = list(dict.fromkeys(g))
    fits = {}
    for name in names:
        sel = g == name
        fits[name] = rma(yi=y[sel], vi=v[sel], measure=measure, method=method, hk=hk, level=level)
    notes = []
    usable = [n for n in names if fits[n].se]
    if len(usable) < 2:
        notes.append("fewer than two subgroups with an estimate: no test of differences.")
        return SubgroupResult(
            {n: f.to_dict() for n, f in fits.items()}, None, None, None, notes=notes
        )
    est = np.array([fits[n].estimate for n in usable])
    se = np.array([fits[n].se for n in usable])
    between = rma(yi=est, vi=se**2, method="FE")
    X = np.column_stack([np.ones(len(y))] + [(g == n).astype(float) for n in names[1:]])
    mixed_qm = mixed_df = mixed_p = None
    if len(y) > X.shape[1]:
        fit = meta_regression(y, v, X, method, hk=hk)
        mixed_qm, mixed_df, mixed_p = fit.qm, fit.qm_df[0], fit.qm_pvalue
    if any(fits[n].k < 2 for n in names):
        notes.append("a subgroup has a single study: its within-group tau² is 0 by construction.")
    return SubgroupResult(
        {n: f.to_dict() for n, f in fits.items()},
        between.q,
        len(usable) - 1,
        float(dist.chi2_sf(between.q, len(usable) - 1)),
        mixed_qm,
        mixed_df,
        mixed_p,
        notes,
    )


def without_approximations(frame, measure: str, method: str, **options) -> dict | None:
    """Sensitivity analysis run automatically when rows are marked as approximations (column
    ``approximation``: LS-means among raw means, a wider age band, an SE from a rounded p,
    enrolled instead of analysed n ...): the same model without those rows."""
    from .analysis import pool_frame

    if "approximation" not in frame.columns:
        return None
    marked = frame["approximation"].fillna("").astype(str).str.strip() != ""
    if not marked.any():
        return None
    out = {
        "excluded": [
            f"{s}: {a}"
            for s, a in zip(frame["study"][marked], frame["approximation"][marked], strict=True)
        ],
        "k": int((~marked).sum()),
    }
    if out["k"] == 0:
        out["note"] = "every row is an approximation: no sensitivity analysis possible"
        return out
    result, _ = pool_frame(frame[~marked].reset_index(drop=True), measure, method, **options)
    view = result.to_dict()
    for key in ("estimate", "ci_lower", "ci_upper", "tau2", "i2", "backtransformed"):
        out[key] = view.get(key)
    return out
