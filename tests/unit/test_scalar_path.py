"""rma() fits one analysis in plain floats (rlsevidence.scalar); it used to call rma_batch with a
batch of one. Every field of its MetaResult must stay what rma_batch gives."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rlsevidence import scalar
from rlsevidence.errors import InputError
from rlsevidence.pooling import (
    INVERSE_VARIANCE_METHODS,
    PI_TYPES,
    attach_backtransform,
    result_from_batch,
    rma,
    rma_batch,
)

# The two paths take the same steps with the same stopping rules, but sum in a different order
# (left to right; numpy sums pairwise from k = 8) and reach the Q-profile roots from different
# starting points, so they agree to rounding: ~1e-13 relative, more where a field is a small
# difference of large numbers (tau^2 or an interval limit near 0, where the iterations stop at
# an absolute step of 1e-12), hence the absolute floor. I^2 = 100 tau^2 / (s^2 + tau^2) and
# H^2 = tau^2 / s^2 + 1, with s^2 the typical within-study variance, inherit tau^2's floor
# divided by s^2 (times 100 for I^2, in percent).
REL, ABS = 1e-10, 1e-12

NUMBERS = (
    "estimate se ci_lower ci_upper pvalue tau2 tau2_ci_lower tau2_ci_upper i2 h2 q q_pvalue "
    "pi_lower pi_upper statistic"
).split()

# Fisher scoring oscillates for 1000 iterations on these (REML, then ML): the bisection fallback.
NOT_CONVERGING = [
    (
        [-0.1074, -0.5978, -0.2779, -0.1144, -0.0576, -0.5299, -0.2519, 0.2168, 0.0485, 0.001],
        [0.2091, 0.1826, 0.2404, 0.0694, 0.1537, 0.0246, 0.0765, 0.1303, 0.048, 0.1186],
    ),
    (
        [0.7339, 0.9844, 0.0452, 0.5179, 0.7105, 0.9563, 0.5521, 1.0416, 0.8666, 0.74],
        [0.2879, 0.1858, 0.0205, 0.1226, 0.1659, 0.2144, 0.1373, 0.239, 0.1413, 0.1237],
    ),
]

# ML stops at iteration 22 here; the 21st step is within 5e-5 of the threshold (1e-12), and
# summed left to right instead of pairwise it falls on the other side: a tie, left to tau2.py.
TIE = (
    [-0.7775671809138707, -0.45269593993404633, 0.27687045338050936, 0.6374730028302384,
     -0.05551079816043536, 0.08103179071655778, -0.7775200397139697, -0.5122753662163987,
     0.3627669816519902, -0.793941568799151, -0.30243749727703095, -0.679559898438948,
     -1.1105521398287022, -0.3841975055301029, -0.1906523717787654, 0.7573090999953992,
     0.09224595955694737, 0.3999369516352994, -1.1193526062938637, -0.9603581152323917],
    [1.3882359748273236, 0.3242426882855883, 0.08964839078442863, 0.6654232669990136,
     3.5899301747792607, 0.4419107844242225, 0.034931007310176725, 0.15584461623633092,
     0.776916305582235, 0.09047564567741799, 0.33477663398508445, 0.022766381575834535,
     0.19568735734440978, 0.20849534687877244, 0.0243199998753139, 0.035495646337392335,
     0.47010129771355225, 0.33894325645027557, 0.25767359139834645, 0.029539618675284665],
)  # fmt: skip


def simulated_analyses(n: int = 200, seed: int = 20260514) -> list[tuple[np.ndarray, ...]]:
    """n random analyses, k = 1, 2, ..., 30 in turn, a third of them with tau^2 = 0, and the
    edge cases: equal effects (Q = 0, so the HK standard error is 0), an outlier that PM
    cannot bracket, and the cases above."""
    rng = np.random.default_rng(seed)
    analyses = []
    for i in range(n):
        k = 1 + i % 30
        v = rng.uniform(0.005, 0.5, k) * np.exp(rng.normal(0, 1, k))
        tau2 = rng.choice([0.0, 0.0, 0.02, 0.1, 0.5, 3.0])
        y = rng.normal(0.2, 1) + rng.normal(0, math.sqrt(tau2), k) + rng.normal(0, np.sqrt(v))
        analyses.append((y, v))
    analyses.append((np.full(6, 0.3), np.full(6, 0.1)))
    analyses.append((np.array([0.0, 0.0, 0.0, 0.0, 100.0]), np.full(5, 0.1)))
    analyses.extend((np.array(y), np.array(v)) for y, v in [*NOT_CONVERGING, TIE])
    return analyses


ANALYSES = simulated_analyses()


def batch_results(analyses, method, hk, pi_type, level=95.0, measure="OR"):
    """What rma() gave before: rma_batch per analysis, fitted here in one batch per k (no
    padding, so the same arithmetic as a batch of one)."""
    out = [None] * len(analyses)
    for k in sorted({len(y) for y, _ in analyses}):
        idx = [i for i, (y, _) in enumerate(analyses) if len(y) == k]
        Y = np.array([analyses[i][0] for i in idx])
        V = np.array([analyses[i][1] for i in idx])
        batch = rma_batch(Y, V, method, hk=hk, level=level, pi_type=pi_type)
        for row, i in enumerate(idx):
            result = result_from_batch(batch, row, V[row], measure, method, hk, level, pi_type)
            attach_backtransform(result)
            out[i] = result
    return out


def close(a, b, floor=ABS) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= max(floor, REL * max(abs(a), abs(b)))


def differences(ours, theirs, v) -> list[str]:
    w = 1 / np.asarray(v)
    s2 = (len(w) - 1) / (w.sum() - (w**2).sum() / w.sum()) if len(w) > 1 else 1.0
    floors = {"i2": 100 * ABS / s2, "h2": ABS / s2}
    found = []
    for name, value in vars(ours).items():
        other = getattr(theirs, name)
        if name in NUMBERS:
            same = close(value, other, floors.get(name, ABS))
        elif name == "weights":
            same = len(value) == len(other) and all(map(close, value, other))
        elif name == "backtransformed" and value is not None and other is not None:
            same = all(map(close, vars(value).values(), vars(other).values()))
        else:
            same = value == other
        if not same:
            found.append(f"{name}: {value!r} != {other!r}")
    return found


@pytest.mark.parametrize("pi_type", PI_TYPES)
@pytest.mark.parametrize("hk", [False, True])
@pytest.mark.parametrize("method", INVERSE_VARIANCE_METHODS)
def test_scalar_rma_gives_every_field_of_rma_batch(method, hk, pi_type):
    expected = batch_results(ANALYSES, method, hk, pi_type)
    problems = []
    for i, ((y, v), theirs) in enumerate(zip(ANALYSES, expected, strict=True)):
        ours = rma(yi=y, vi=v, measure="OR", method=method, hk=hk, pi_type=pi_type)
        problems += [f"analysis {i} (k = {len(y)}): {d}" for d in differences(ours, theirs, v)]
    assert not problems, "\n".join(problems[:20])


def test_simulation_covers_the_branches():
    fits = [rma(yi=y, vi=v, method=m) for y, v in ANALYSES for m in ("REML", "ML", "PM")]
    assert any(f.k == 1 for f in fits) and any(f.k == 2 for f in fits)
    assert sum(f.tau2 == 0 for f in fits) > 50 and sum(bool(f.tau2) for f in fits) > 50
    assert sum(not f.converged for f in fits) >= 3  # REML, ML (bisection), PM (no bracket)
    assert any(f.tau2_ci_upper == 100 for f in fits)  # the search bound of the Q-profile
    assert any(f.tau2_ci_lower == 0 for f in fits if f.k > 1)


@pytest.mark.parametrize("method", ["REML", "PM", "DL"])
def test_scalar_rma_gives_rma_batch_at_another_level(method):
    analyses = ANALYSES[:60]
    expected = batch_results(analyses, method, True, "higgins", level=90.0)
    for (y, v), theirs in zip(analyses, expected, strict=True):
        ours = rma(yi=y, vi=v, measure="OR", method=method, hk=True, pi_type="higgins", level=90)
        assert not differences(ours, theirs, v)


def test_a_step_within_rounding_of_the_threshold_stops_where_rma_batch_does(monkeypatch):
    y, v = (np.array(x) for x in TIE)
    expected = rma_batch(y[None], v[None], "ML").iterations[0]
    assert rma(yi=y, vi=v, method="ML").iterations == expected == 22
    monkeypatch.setattr(scalar, "ROUNDING", 0.0)  # no ties: the scalar sums decide alone
    assert rma(yi=y, vi=v, method="ML").iterations == 21


def test_scalar_rma_drops_missing_studies_and_checks_input_as_before():
    y, v = ANALYSES[20]
    with_missing = rma(yi=[*y, np.nan, 0.1], vi=[*v, 0.1, np.inf])
    assert not differences(with_missing, rma(yi=y, vi=v), v)
    with pytest.raises(InputError, match="k = 0"):
        rma(yi=[np.nan], vi=[0.1])
    with pytest.raises(InputError, match="not an inverse-variance method"):
        rma(yi=y, vi=v, method="MH")
    with pytest.raises(InputError, match="prediction interval type"):
        rma(yi=y, vi=v, pi_type="other")
    with pytest.raises(InputError, match="variances must be positive"):
        rma(yi=[0.1, 0.2], vi=[0.1, 0.0])
