"""What a measure is, in one place: the data it needs, its analysis scale, its null value,
whether it is a ratio or a proportion, its label on the natural scale, and the default scale
of the heterogeneity prior of the sparse-evidence model.

Every other module asks this one (``MEASURE[code]`` or the helpers below); none keeps its own
table of measures. Back-transformations themselves are in ``transforms.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

CONTINUOUS = ("n1", "mean1", "sd1", "n2", "mean2", "sd2")
BINARY = ("events1", "n1", "events2", "n2")
PROPORTION = ("events", "n")
GENERIC = ("yi",)


@dataclass(frozen=True)
class Measure:
    code: str
    columns: tuple[str, ...]  # the study-level columns it is computed from
    scale: str  # the analysis scale, in words
    natural_label: str  # what a back-transformed (or untransformed) value is
    kind: str  # "ratio", "difference", "proportion" or "generic"
    log_scale: bool  # analysis scale is a log or logit: back-transformed for display
    #: default half-normal scale of tau for the Bayesian model (Friede et al. 2017, Biom J
    #: 59:658: 0.5 on log-ratio, SMD and logit scales); None: needs a scale in its own units
    tau_prior_scale: float | None = None

    @property
    def is_ratio(self) -> bool:
        return self.kind == "ratio"

    @property
    def is_proportion(self) -> bool:
        return self.kind == "proportion"

    @property
    def comparative(self) -> bool:
        """A comparison of two groups (has a no-effect value), unlike a single proportion."""
        return self.kind != "proportion"

    @property
    def null(self) -> float | None:
        """No effect on the natural scale (None for a single-group proportion)."""
        return {"ratio": 1.0, "difference": 0.0, "generic": 0.0}.get(self.kind)


MEASURE: dict[str, Measure] = {
    m.code: m
    for m in (
        Measure("MD", CONTINUOUS, "mean difference", "mean difference", "difference", False),
        Measure(
            "SMD",
            CONTINUOUS,
            "standardised mean difference (Hedges' g)",
            "standardised mean difference (Hedges' g)",
            "difference",
            False,
            0.5,
        ),
        Measure("RR", BINARY, "log risk ratio", "risk ratio", "ratio", True, 0.5),
        Measure("OR", BINARY, "log odds ratio", "odds ratio", "ratio", True, 0.5),
        Measure("RD", BINARY, "risk difference", "risk difference", "difference", False),
        Measure("PR", PROPORTION, "proportion", "proportion", "proportion", False),
        Measure("PLO", PROPORTION, "logit proportion", "proportion", "proportion", True, 0.5),
        Measure(
            "PFT",
            PROPORTION,
            "Freeman-Tukey double arcsine",
            "proportion",
            "proportion",
            False,
        ),
        Measure("GEN", GENERIC, "as given", "as given", "generic", False, 0.5),
    )
}
MEASURES = tuple(MEASURE)
MEASURE_COLUMNS = {code: m.columns for code, m in MEASURE.items()}
RATIO_MEASURES = tuple(code for code, m in MEASURE.items() if m.is_ratio)
PROPORTION_MEASURES = tuple(code for code, m in MEASURE.items() if m.is_proportion)
#: Measures shown exponentiated or inverse-logit: intervals on them are judged as ratios.
LOG_SCALE = tuple(code for code, m in MEASURE.items() if m.log_scale)
SCALE = {code: m.scale for code, m in MEASURE.items()}
DEFAULT_TAU_SCALE = {
    code: m.tau_prior_scale for code, m in MEASURE.items() if m.tau_prior_scale is not None
}


def null_value(code: str) -> float | None:
    return MEASURE[code].null if code in MEASURE else None
