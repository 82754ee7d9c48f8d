"""The conversions published RLS papers force on a reviewer, each returning its method.

Every function returns a :class:`Derived` value that carries the name of the method and its
reference, so a sheet's ``derivation`` column (and the report) can say how a number was made.

References
----------
- Cochrane Handbook for Systematic Reviews of Interventions, version 6.4 (2023), chapter 6:
  6.3.1 (SE from a confidence interval), 6.3.2 (SE from a P value), 6.5.2.2 (SD from a
  standard error or a confidence interval of a group mean, with t for small samples),
  6.5.2.8 (imputing a change-from-baseline SD from a correlation coefficient).
- Altman DG, Bland JM (2011). How to obtain the confidence interval from a P value. BMJ
  343:d2090.
- Wan X, Wang W, Liu J, Tong T (2014). Estimating the sample mean and standard deviation
  from the sample size, median, range and/or interquartile range. BMC Med Res Methodol
  14:135 (their scenarios C1 and C3).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
from scipy import special

from .errors import InputError


@dataclass(frozen=True)
class Derived:
    """A derived number and how it was obtained."""

    value: float
    method: str
    reference: str

    def to_dict(self) -> dict:
        return asdict(self)

    def __float__(self) -> float:
        return self.value


def _z(level: float) -> float:
    return float(-special.ndtri((1 - level / 100) / 2))


def _t(level: float, df: float) -> float:
    return float(-special.stdtrit(df, (1 - level / 100) / 2))


def _positive(name: str, value: float) -> None:
    if not value > 0:
        raise InputError(f"{name} must be positive, not {value!r}")


def se_from_ci(lower: float, upper: float, *, level: float = 95.0, ratio: bool = False) -> Derived:
    """Standard error of an estimate from its confidence interval (Handbook 6.3.1).

    ``ratio=True`` for ratio measures (OR, RR, HR): the interval is log-transformed first and the
    SE is on the log scale.
    """
    if ratio:
        _positive("lower limit", lower)
        _positive("upper limit", upper)
        lower, upper = math.log(lower), math.log(upper)
    if not upper > lower:
        raise InputError(f"upper limit {upper!r} must exceed lower limit {lower!r}")
    z = _z(level)
    scale = "log " if ratio else ""
    return Derived(
        (upper - lower) / (2 * z),
        f"SE = ({scale}upper - {scale}lower) / (2 x {z:.6f}) from the {level:g}% CI",
        "Cochrane Handbook 6.3.1",
    )


def se_from_p(estimate: float, p: float, *, df: float | None = None) -> Derived:
    """SE from an estimate and its two-sided P value (Altman & Bland 2011; Handbook 6.3.2).

    With ``df`` the t distribution is used (e.g. a t test with n1 + n2 - 2 df), else the normal.
    ``estimate`` must be on the scale the test was done (log for ratios).
    """
    if not 0 < p < 1:
        raise InputError(f"P value must be between 0 and 1, not {p!r}")
    if df is None:
        stat = float(-special.ndtri(p / 2))
        how = f"z = {stat:.6f}"
    else:
        stat = float(-special.stdtrit(df, p / 2))
        how = f"t({df:g}) = {stat:.6f}"
    return Derived(
        abs(estimate) / stat,
        f"SE = |estimate| / {how} from two-sided P = {p:g}",
        "Altman & Bland 2011, BMJ 343:d2090; Cochrane Handbook 6.3.2",
    )


def sd_from_se(se: float, n: float) -> Derived:
    """SD of a group mean from its standard error: SD = SE x sqrt(n) (Handbook 6.5.2.2)."""
    _positive("n", n)
    return Derived(se * math.sqrt(n), f"SD = SE x sqrt({n:g})", "Cochrane Handbook 6.5.2.2")


def sd_from_ci(
    lower: float, upper: float, n: float, *, level: float = 95.0, small_sample: bool = True
) -> Derived:
    """SD of a group mean from its confidence interval (Handbook 6.5.2.2).

    SD = sqrt(n) x (upper - lower) / (2 x q), with q the t(n-1) quantile when the sample is small
    (the Handbook suggests t below about 60 per group; ``small_sample=True`` uses t always), the
    normal quantile otherwise.
    """
    _positive("n", n)
    if not upper > lower:
        raise InputError(f"upper limit {upper!r} must exceed lower limit {lower!r}")
    q = _t(level, n - 1) if small_sample else _z(level)
    dist = f"t({n - 1:g})" if small_sample else "z"
    return Derived(
        math.sqrt(n) * (upper - lower) / (2 * q),
        f"SD = sqrt({n:g}) x (upper - lower) / (2 x {dist} quantile {q:.6f})",
        "Cochrane Handbook 6.5.2.2",
    )


def expected_normal_range(n: int) -> float:
    """E[max - min] of n standard normal variables, by numerical integration.

    E[R] = integral of 1 - Phi(x)^n - (1 - Phi(x))^n over the real line (Tippett 1925). Wan et al.
    (2014) tabulate it as xi(n) for n <= 50 (their Table 1).
    """
    from scipy import integrate

    def integrand(x):
        p = special.ndtr(x)
        return 1 - p**n - (1 - p) ** n

    value, _ = integrate.quad(integrand, -np.inf, np.inf, epsabs=1e-12, epsrel=1e-12)
    return float(value)


def mean_sd_from_median_range(
    minimum: float, median: float, maximum: float, n: int, *, exact_small_n: bool = True
) -> tuple[Derived, Derived]:
    """Mean and SD from median, minimum, maximum and n (Wan et al. 2014, scenario C1).

    mean = (a + 2m + b) / 4; SD = (b - a) / xi(n) with xi(n) the expected range of n standard
    normal variables: computed exactly for n <= 50 (Wan et al.'s Table 1) and approximated by
    2 Phi^-1((n - 0.375) / (n + 0.25)) above (their formula), or always approximated with
    ``exact_small_n=False`` (as several R packages do).
    """
    _positive("n", n)
    if not minimum <= median <= maximum:
        raise InputError("need minimum <= median <= maximum")
    if exact_small_n and n <= 50:
        xi = expected_normal_range(int(n))
        how = f"SD = (max - min) / {xi:.6f} (expected range of {n:g} normals)"
    else:
        xi = 2 * float(special.ndtri((n - 0.375) / (n + 0.25)))
        how = f"SD = (max - min) / {xi:.6f} (2 Phi^-1((n - 0.375)/(n + 0.25)))"
    ref = "Wan et al. 2014, BMC Med Res Methodol 14:135 (scenario C1)"
    return (
        Derived((minimum + 2 * median + maximum) / 4, "mean = (min + 2 median + max) / 4", ref),
        Derived((maximum - minimum) / xi, how, ref),
    )


def mean_sd_from_median_iqr(q1: float, median: float, q3: float, n: int) -> tuple[Derived, Derived]:
    """Mean and SD from median, quartiles and n (Wan et al. 2014, scenario C3).

    mean = (q1 + m + q3) / 3; SD = (q3 - q1) / (2 Phi^-1((0.75 n - 0.125) / (n + 0.25))).
    """
    _positive("n", n)
    if not q1 <= median <= q3:
        raise InputError("need q1 <= median <= q3")
    eta = float(special.ndtri((0.75 * n - 0.125) / (n + 0.25)))
    ref = "Wan et al. 2014, BMC Med Res Methodol 14:135 (scenario C3)"
    return (
        Derived((q1 + median + q3) / 3, "mean = (q1 + median + q3) / 3", ref),
        Derived((q3 - q1) / (2 * eta), f"SD = (q3 - q1) / (2 x {eta:.6f})", ref),
    )


def sd_change_from_baseline(sd_baseline: float, sd_final: float, correlation: float) -> Derived:
    """SD of change from baseline: sqrt(SDb^2 + SDf^2 - 2 r SDb SDf) (Handbook 6.5.2.8)."""
    if not -1 <= correlation <= 1:
        raise InputError(f"correlation must be in [-1, 1], not {correlation!r}")
    value = math.sqrt(sd_baseline**2 + sd_final**2 - 2 * correlation * sd_baseline * sd_final)
    return Derived(
        value,
        f"SD_change = sqrt(SDb^2 + SDf^2 - 2 x {correlation:g} x SDb x SDf)",
        "Cochrane Handbook 6.5.2.8",
    )


def correlation_from_sds(sd_baseline: float, sd_final: float, sd_change: float) -> Derived:
    """Correlation implied by baseline, final and change SDs (Handbook 6.5.2.8, reverse)."""
    value = (sd_baseline**2 + sd_final**2 - sd_change**2) / (2 * sd_baseline * sd_final)
    return Derived(value, "r = (SDb^2 + SDf^2 - SDc^2) / (2 SDb SDf)", "Cochrane Handbook 6.5.2.8")
