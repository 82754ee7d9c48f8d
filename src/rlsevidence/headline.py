"""The headline of a pooled analysis: the interval shown first and used in verdicts.

For sparse evidence (2..``bayes_max_k`` studies, default 4) it is the Bayesian random-effects
model with a half-normal prior on tau (Friede et al. 2017, Biom J 59:658; Röver et al. 2021,
Res Synth Methods 12:448), where it was fitted; otherwise the model as fitted. An interval
that spans a ratio above 1,000 (upper / lower, natural scale) says nothing either way and is
flagged. The forest plot draws the same model.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from .measures import LOG_SCALE
from .transforms import backtransform

#: An interval wider than this ratio (upper / lower, natural scale) says nothing.
MAX_INTERVAL_RATIO = 1000.0


@dataclass
class Headline:
    """The interval that is shown first and used in verdicts, on the analysis scale."""

    estimate: float | None
    ci_lower: float | None
    ci_upper: float | None
    model: str  # "Bayesian random effects (...)", "Hartung-Knapp", "Wald" ...
    informative: bool = True
    note: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def headline(pooled: dict) -> Headline:
    """For sparse evidence (2..``bayes_max_k`` studies, default 4) the Bayesian random-effects
    interval (half-normal prior on tau) where it was fitted, else the model's own interval;
    an interval whose upper/lower ratio exceeds 1,000 on a ratio scale is flagged as not
    informative."""
    k = pooled.get("k") or 0
    bayes = pooled.get("bayes")
    if bayes:  # fitted only for 2..bayes_max_k studies (config), see jobs.pool.pool_analysis
        est, lo, hi = bayes["estimate"], bayes["ci_lower"], bayes["ci_upper"]
        model = (
            f"Bayesian random effects ({bayes['prior']}), posterior median and "
            f"{bayes['level']:g}% interval"
        )
    else:
        est, lo, hi = pooled.get("estimate"), pooled.get("ci_lower"), pooled.get("ci_upper")
        if pooled.get("method") in ("FE", "MH", "PETO") or k == 1:
            model = "fixed effect" if k > 1 else "single study"
        else:
            model = f"{pooled.get('method')} random effects" + (
                ", Hartung-Knapp" if pooled.get("hk") else ""
            )
    result = Headline(est, lo, hi, model)
    if est is None or lo is None or hi is None:
        result.informative = False
        result.note = "no pooled estimate"
    elif pooled.get("measure") in LOG_SCALE and hi - lo > math.log(MAX_INTERVAL_RATIO):
        result.informative = False
        result.note = (
            f"the interval spans a ratio of more than {MAX_INTERVAL_RATIO:,.0f} "
            "(upper/lower): it says nothing either way"
        )
    return result


def natural(measure: str, value: float | None) -> float | None:
    """One value on the natural scale (ratios exponentiated, logits inverted)."""
    if value is None or measure not in LOG_SCALE:
        return value
    return float(backtransform(measure, value))


def plotted_model(pooled: dict) -> dict:
    """The pooled model a forest plot draws: for sparse evidence the Bayesian random-effects
    model that is the headline (its interval and predictive interval), else the model as
    fitted; see ``rlsevidence.assess.evidence.headline``."""
    bayes = pooled.get("bayes")
    if not bayes:
        return pooled
    keys = ("estimate", "ci_lower", "ci_upper", "pi_lower", "pi_upper")
    view = dict(pooled, method="Bayesian RE", **{key: bayes[key] for key in keys})
    if pooled.get("backtransformed") and pooled.get("measure") != "PFT":
        values = backtransform(pooled["measure"], [bayes[key] for key in keys])
        view["backtransformed"] = {key: float(v) for key, v in zip(keys, values, strict=True)}
    return view
