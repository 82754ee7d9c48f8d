"""Reproducing a published meta-analysis from its own included studies.

A reproduction is an analysis whose sheet holds exactly the review's included studies, read
from each study's own page, pooled with the review's measure and model. It is compared with
the review's published result, and the path from the published number to this project's
own analysis is shown one change at a time:

1. published: the review's studies, the review's reading, the review's model;
2. reproduced: the review's studies, our reading, the review's model;
3. our studies with the review's model;
4. our analysis: our studies, our model.

Reproduced means the point estimate within 10% of the published one and both confidence
limits within 20% of the published interval's width (the project's tolerance, stated in
issue 11). When it is not reached, leave-one-out says which single study, if omitted, brings
the estimate closest to the published one, and the rows marked as approximations say where
our reading may differ from the review's.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

ESTIMATE_TOLERANCE = 0.10  # relative to the published estimate
LIMIT_TOLERANCE = 0.20  # relative to the published interval's width


@dataclass
class Estimate:
    label: str
    estimate: float | None
    ci_lower: float | None
    ci_upper: float | None
    k: int | None
    i2: float | None = None
    model: str = ""
    studies: list[str] = field(default_factory=list)
    change: str = ""  # what differs from the previous step

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Reproduction:
    analysis: str
    source_id: str
    outcome: str
    measure: str
    published: Estimate
    reproduced: Estimate
    estimate_within: bool
    limits_within: bool
    reproduced_within_tolerance: bool
    differences: dict
    explanation: list[str]
    path: list[Estimate]
    missing: str = ""

    def to_dict(self) -> dict:
        out = asdict(self)
        out["tolerance"] = {
            "estimate": f"within {ESTIMATE_TOLERANCE:.0%} of the published estimate",
            "limits": f"each limit within {LIMIT_TOLERANCE:.0%} of the published CI width",
        }
        return out


def natural_view(pooled: dict) -> tuple[float | None, float | None, float | None]:
    bt = pooled.get("backtransformed") or {}
    if bt and bt.get("estimate") is not None:
        return bt["estimate"], bt["ci_lower"], bt["ci_upper"]
    return pooled.get("estimate"), pooled.get("ci_lower"), pooled.get("ci_upper")


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def compare(published: Estimate, reproduced: Estimate) -> tuple[bool, bool, dict]:
    """Whether the reproduction is within tolerance, and the differences."""
    width = published.ci_upper - published.ci_lower
    d_est = reproduced.estimate - published.estimate
    d_lo = reproduced.ci_lower - published.ci_lower
    d_hi = reproduced.ci_upper - published.ci_upper
    est_ok = abs(d_est) <= ESTIMATE_TOLERANCE * abs(published.estimate)
    lim_ok = abs(d_lo) <= LIMIT_TOLERANCE * width and abs(d_hi) <= LIMIT_TOLERANCE * width
    differences = {
        "estimate": d_est,
        "estimate_relative": d_est / published.estimate if published.estimate else None,
        "ci_lower": d_lo,
        "ci_upper": d_hi,
        "ci_lower_share_of_width": d_lo / width if width else None,
        "ci_upper_share_of_width": d_hi / width if width else None,
    }
    return est_ok, lim_ok, differences


def explain(
    published: Estimate, leave1out: list[dict], approximations: list[str], measure_natural
) -> list[str]:
    """Study-level reasons for a miss: the omission that moves the estimate closest to the
    published one, and the rows read as approximations."""
    reasons = []
    best = None
    for row in leave1out:
        est = measure_natural(_number(row.get("estimate")))
        if est is None:
            continue
        gap = abs(est - published.estimate)
        if best is None or gap < best[0]:
            best = (gap, row.get("omitted"), est)
    if best is not None:
        reasons.append(
            f"without {best[1]} the reproduction gives {best[2]:.3g} (published "
            f"{published.estimate:.3g}): the study whose reading or inclusion matters most"
        )
    reasons += approximations
    return reasons


def path_step(label: str, pooled: dict, studies: list[str], change: str) -> Estimate:
    est, lo, hi = natural_view(pooled)
    model = f"{pooled.get('method')}" + (" + Hartung-Knapp" if pooled.get("hk") else "")
    return Estimate(label, est, lo, hi, pooled.get("k"), pooled.get("i2"), model, studies, change)


def study_change(before: list[str], after: list[str]) -> str:
    added = [s for s in after if s not in before]
    dropped = [s for s in before if s not in after]
    parts = []
    if added:
        parts.append("added: " + ", ".join(added))
    if dropped:
        parts.append("dropped: " + ", ".join(dropped))
    return "; ".join(parts) or "same studies"
