"""One effect in words a reviewer can read without the methods: measure, unit, comparison,
interval and direction.

``OR 2.05 for RLS, women vs men (95% CI 1.20 to 3.07): more RLS in women``;
``MD −4.26 IRLS points (0-40; lower is better), alpha-2-delta ligand vs placebo (95% CI −5.75
to −2.77): favours alpha-2-delta ligand``; ``27.3% with RLS (95% CI 20.1% to 35.9%)``.

What each analysis measures and in which unit comes from its row of ``config/analyses.tsv``
(``group1``, ``group2``, ``unit``, ``lower_means``, ``higher_means``, ``outcome``); what a
measure is comes from :mod:`rlsevidence.measures`. Values are on the natural scale.
"""

from __future__ import annotations

import math

from .measures import MEASURE


def number(value: float | None, digits: int = 3) -> str:
    """A value to ``digits`` significant figures with a true minus sign ("−4.26")."""
    if value is None or not math.isfinite(value):
        return "not estimable"
    text = f"{value:.{digits}g}"
    if "e" in text:
        text = f"{value:,.0f}" if abs(value) >= 1 else f"{value:.2g}"
    return text.replace("-", "−")


def comparison(meta: dict) -> str:
    """``iron vs placebo`` (group names as written in the sheet, for use mid-sentence), or
    ``""`` when there is no second group."""
    one, two = (meta.get("group1") or "").strip(), (meta.get("group2") or "").strip()
    return f"{one} vs {two}" if one and two else ""


def direction(meta: dict, measure: str, lower: float | None, upper: float | None) -> str:
    """What the interval says about the direction: the analysis's ``lower_means`` or
    ``higher_means`` when it lies wholly on one side of no effect, else that it includes no
    effect; ``""`` for a single-group proportion."""
    spec = MEASURE.get(measure)
    null = spec.null if spec else None
    if null is None or lower is None or upper is None:
        return ""
    if not (math.isfinite(lower) and math.isfinite(upper)):
        return "the interval is not estimable"
    if lower > null:
        return meta.get("higher_means") or "above no effect"
    if upper < null:
        return meta.get("lower_means") or "below no effect"
    return "the interval includes no effect"


def measure_name(meta: dict, measure: str) -> str:
    """The short name shown before the number: OR, RR, MD, SMD, or the sheet's label for a
    generic effect (``HR (log scale)``)."""
    if measure == "GEN":
        return meta.get("effect_label") or "effect"
    return measure


def describe(
    meta: dict,
    measure: str,
    estimate: float | None,
    lower: float | None,
    upper: float | None,
    *,
    level: float = 95,
    interval: str = "CI",
    with_direction: bool = True,
) -> str:
    """One effect in words (see the module docstring). ``interval`` is ``CI`` or ``CrI``
    (a Bayesian credible interval)."""
    spec = MEASURE.get(measure)
    span = f"{level:g}% {interval}"
    if spec is not None and spec.is_proportion:
        unit = (meta.get("unit") or "%").strip()
        words = unit[1:].strip() if unit.startswith("%") else unit
        pct = [None if v is None else 100 * v for v in (estimate, lower, upper)]
        text = f"{number(pct[0])}% {words}".rstrip()
        text += f" ({span} {number(pct[1])}% to {number(pct[2])}%)"
        return text

    name = measure_name(meta, measure)
    text = f"{name} {number(estimate)}"
    unit = (meta.get("unit") or "").strip()
    if unit and not (spec and spec.is_ratio):
        text += f" {unit}"
    versus = comparison(meta)
    if spec is not None and spec.is_ratio:
        outcome = (meta.get("outcome") or "").strip()
        if outcome and len(outcome) <= 60:
            if outcome[:1].isupper() and outcome[1:2].islower():
                outcome = outcome[0].lower() + outcome[1:]
            text += f" for {outcome}"
    if versus:
        text += f", {versus}"
    text += f" ({span} {number(lower)} to {number(upper)})"
    if with_direction:
        said = direction(meta, measure, lower, upper)
        if said:
            text += f": {said}"
    return text


def describe_headline(
    meta: dict,
    pooled: dict,
    estimate: float | None,
    lower: float | None,
    upper: float | None,
    *,
    with_direction: bool = True,
) -> str:
    """:func:`describe` for an analysis's headline interval (natural scale): the level and
    the kind of interval (CrI when the headline is the Bayesian model) come from ``pooled``."""
    return describe(
        meta,
        pooled.get("measure", "GEN"),
        estimate,
        lower,
        upper,
        level=pooled.get("level") or 95,
        interval="CrI" if pooled.get("bayes") else "CI",
        with_direction=with_direction,
    )
