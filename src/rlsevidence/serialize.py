"""JSON-safe values for every result object's ``to_dict()``: numpy scalars to Python
numbers, nan and inf to None (written as ``null``), tuples to lists."""

from __future__ import annotations

import numpy as np


def json_safe(value):
    """JSON-safe: numpy scalars to Python, nan/inf to None."""
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


# --------------------------------------------------------------------------------------
# Vectorised intercept-only machinery. Arrays are (m, k); absent studies are nan in yi.
# --------------------------------------------------------------------------------------
