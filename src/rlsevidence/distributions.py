"""Normal, t, chi-squared and F tail probabilities and quantiles.

Thin wrappers over the ``scipy.special`` routines that ``scipy.stats`` itself calls for these
distributions (same numbers), imported without the cost of ``scipy.stats``: the workflow
starts a fresh Python process for every job, so import time is run time.
"""

from __future__ import annotations

import numpy as np
from scipy import special


def norm_sf(x):
    return special.ndtr(-np.asarray(x, float))


def norm_isf(p):
    return -special.ndtri(np.asarray(p, float))


def t_sf(x, df):
    return special.stdtr(df, -np.asarray(x, float))


def t_isf(p, df):
    return -special.stdtrit(df, np.asarray(p, float))


def chi2_sf(x, df):
    return special.chdtrc(df, np.asarray(x, float))


def chi2_isf(p, df):
    return 2 * special.gammainccinv(np.asarray(df, float) / 2, p)


def chi2_ppf(p, df):
    return 2 * special.gammaincinv(np.asarray(df, float) / 2, p)


def f_sf(x, dfn, dfd):
    return special.fdtrc(dfn, dfd, np.asarray(x, float))
