"""Back-transformations from the analysis scale to the natural scale (no pandas import)."""

from __future__ import annotations

import numpy as np

from .measures import RATIO_MEASURES


def transf_ipft(z: np.ndarray | float, n: float) -> np.ndarray:
    """Inverse Freeman-Tukey double arcsine transformation (Miller 1978), as metafor."""
    z = np.asarray(z, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.sin(2 * z)
        p = 0.5 * (1 - np.sign(np.cos(2 * z)) * np.sqrt(1 - (s + (s - 1 / s) / n) ** 2))
    p = np.where(np.isnan(p), np.nan, p)
    upper = 0.5 * (np.arcsin(np.sqrt(n / (n + 1))) + np.arcsin(np.sqrt((n + 1) / (n + 1))))
    lower = 0.5 * (np.arcsin(np.sqrt(0 / (n + 1))) + np.arcsin(np.sqrt(1 / (n + 1))))
    p = np.where(z > upper, 1.0, p)
    p = np.where(z < lower, 0.0, p)
    return p


def backtransform(measure: str, values: np.ndarray | float, ni: np.ndarray | None = None):
    """Values on the analysis scale back to the natural scale, or ``None`` where not applicable.

    RR and OR: ``exp``; PLO: inverse logit; PFT: inverse double arcsine with the harmonic mean
    of the study sizes (metafor's ``transf.ipft.hm``); PR: unchanged.
    """
    values = np.asarray(values, dtype=float)
    if measure in RATIO_MEASURES:
        return np.exp(values)
    if measure == "PLO":
        return 1 / (1 + np.exp(-values))
    if measure == "PR":
        return values
    if measure == "PFT":
        if ni is None:
            raise ValueError("PFT back-transformation needs the study sizes")
        n_harmonic = 1 / np.nanmean(1 / np.asarray(ni, dtype=float))
        return transf_ipft(values, n_harmonic)
    return None
