"""Job: the pooled model of one analysis, its small-study tests and sensitivity analyses."""

from __future__ import annotations

import numpy as np

from .io import log, write_json


def pool_analysis(
    *,
    sheet: str,
    effects: str,
    analysis: str,
    measure: str,
    method: str,
    hk: bool,
    level: float,
    pi_type: str,
    add: float,
    to: str,
    subgroup: str | None,
    outputs: dict,
    tau_prior_scale: float | None = None,
    bayes_max_k: int = 4,
) -> dict:
    import pandas as pd

    from ..analysis import pool_frame
    from ..bayes import bayes_meta
    from ..bias import small_study_tests
    from ..data import read_csv
    from ..measures import DEFAULT_TAU_SCALE
    from ..sensitivity import cumulative, leave_one_out, subgroups, without_approximations

    frame = read_csv(sheet)
    left_out = []
    if "preparation" in frame.columns and frame["preparation"].notna().any():
        left_out = [n for n in str(frame["preparation"].dropna().iloc[0]).split(" | ") if n]
    result, eff = pool_frame(
        frame, measure, method, hk=hk, level=level, pi_type=pi_type, add=add, to=to
    )
    pooled = result.to_dict()
    pooled["analysis"] = analysis
    pooled["notes"].extend(left_out)
    pooled["without_approximations"] = without_approximations(
        frame, measure, method, hk=hk, level=level, pi_type=pi_type, add=add, to=to
    )
    keep = np.isfinite(eff.yi) & np.isfinite(eff.vi)
    labels = frame["study"].to_numpy()[keep]
    yi, vi = eff.yi[keep], eff.vi[keep]
    model = method if method not in ("MH", "PETO") else "FE"
    scale = tau_prior_scale or DEFAULT_TAU_SCALE.get(measure)
    if 2 <= len(yi) <= bayes_max_k and scale:
        pooled["bayes"] = bayes_meta(yi, vi, tau_prior_scale=scale, level=level).to_dict()
        pooled["notes"].append(
            f"sparse evidence (k = {len(yi)}): a Bayesian random-effects model "
            f"({pooled['bayes']['prior']}) is shown beside the "
            f"{'Hartung-Knapp' if pooled['hk'] else 'Wald'} interval."
        )
    else:
        pooled["bayes"] = None
    bias = small_study_tests(yi, vi, measure, model).to_dict()
    if len(yi) >= 2:
        l1o = leave_one_out(yi, vi, labels, model, hk=hk and model != "FE", level=level)
        years = (
            pd.to_numeric(frame["year"], errors="coerce").to_numpy()[keep]
            if "year" in frame
            else np.arange(len(yi))
        )
        years = np.where(np.isnan(years), np.inf, years)
        cum = cumulative(yi, vi, labels, years, model, hk=hk and model != "FE", level=level)
    else:
        l1o = pd.DataFrame(columns=["omitted", "k", "estimate"])
        cum = pd.DataFrame(columns=["added", "k", "estimate"])
    if subgroup and subgroup in frame:
        groups = frame[subgroup].to_numpy()[keep]
        sub = subgroups(
            yi, vi, groups, measure, model, hk=hk and model != "FE", level=level
        ).to_dict()
    else:
        sub = {"groups": {}, "notes": ["no subgroup column declared for this analysis"]}
    write_json(outputs["pooled"], pooled)
    write_json(outputs["bias"], bias)
    write_json(outputs["subgroups"], sub)
    l1o.to_csv(outputs["leave1out"], index=False, float_format="%.17g")
    cum.to_csv(outputs["cumulative"], index=False, float_format="%.17g")
    log.info("pooled %s: k=%s estimate=%s", analysis, pooled["k"], pooled["estimate"])
    return pooled
