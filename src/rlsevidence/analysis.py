"""From a data sheet to the pooled result: the one entry point the CLI and workflow share."""

from __future__ import annotations

import pandas as pd

from .bias import BiasResult, small_study_tests
from .effects import EffectSizes, escalc
from .errors import InputError
from .mantel_haenszel import rma_mh, rma_peto
from .measures import MEASURES
from .pooling import METHODS, PI_TYPES, MetaResult, rma


def check_options(measure: str, method: str, level: float = 95.0, pi_type: str = "metafor"):
    if measure not in MEASURES:
        raise InputError(f"unknown measure {measure!r}; choose from {', '.join(MEASURES)}")
    if method not in METHODS:
        raise InputError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")
    if method == "MH" and measure not in ("RR", "OR", "RD"):
        raise InputError(f"method MH needs measure RR, OR or RD, not {measure}")
    if method == "PETO" and measure != "OR":
        raise InputError(f"method PETO needs measure OR, not {measure}")
    if not 0 < level < 100:
        raise InputError(f"level must be between 0 and 100, not {level}")
    if pi_type not in PI_TYPES:
        raise InputError(f"unknown prediction interval type {pi_type!r}")


def pool_frame(
    frame: pd.DataFrame,
    measure: str,
    method: str,
    *,
    hk: bool = False,
    level: float = 95.0,
    pi_type: str = "metafor",
    add: float = 0.5,
    to: str = "only0",
) -> tuple[MetaResult, EffectSizes]:
    """Effect sizes and the pooled model for one sheet."""
    check_options(measure, method, level, pi_type)
    effects = escalc(measure, frame, add=add, to=to)
    if effects.k == 0:
        raise InputError("no studies to pool (k = 0)")
    if method in ("MH", "PETO"):
        if any(s == "precomputed" for s in effects.source):
            raise InputError(f"method {method} needs group counts on every row")
        frame_num = frame.reset_index(drop=True)[["events1", "n1", "events2", "n2"]].apply(
            pd.to_numeric
        )
        result = (
            rma_mh(frame_num, measure, level=level, add=add)
            if method == "MH"
            else rma_peto(frame_num, level=level)
        )
        if hk:
            result.notes.append("Hartung-Knapp does not apply to a common-effect MH/Peto model.")
    else:
        single = hk and effects.k == 1
        result = rma(effects, method=method, hk=hk and not single, level=level, pi_type=pi_type)
        if single:
            result.notes.append(
                "k = 1: Hartung-Knapp needs at least two studies; the study's own Wald "
                "interval is shown."
            )
    return result, effects


def bias_frame(frame: pd.DataFrame, measure: str, method: str = "REML") -> BiasResult:
    check_options(measure, method)
    effects = escalc(measure, frame)
    return small_study_tests(effects.yi, effects.vi, measure, method)
