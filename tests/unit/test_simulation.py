"""Seeded simulate-and-recover tests: the estimators recover known truth at the expected rate."""

from __future__ import annotations

import numpy as np
import pytest

from rlsevidence.pooling import rma_batch

N_SIM = 4000


def simulate(seed: int, k: int, mu: float, tau2: float):
    rng = np.random.default_rng(seed)
    vi = rng.uniform(0.02, 0.2, size=(N_SIM, k))
    theta = mu + rng.normal(0.0, np.sqrt(tau2), size=(N_SIM, k))
    yi = theta + rng.normal(0.0, np.sqrt(vi))
    return yi, vi


def monte_carlo_band(p: float) -> float:
    """Three Monte Carlo standard errors of a coverage proportion."""
    return 3 * np.sqrt(p * (1 - p) / N_SIM)


@pytest.mark.parametrize("method", ["REML", "PM", "DL", "ML", "SJ", "HE"])
def test_hartung_knapp_ci_covers_truth_at_nominal_rate(method):
    yi, vi = simulate(seed=20261124, k=10, mu=0.3, tau2=0.1)
    res = rma_batch(yi, vi, method, hk=True, tau2_ci=False)
    coverage = np.mean((res.ci_lower <= 0.3) & (0.3 <= res.ci_upper))
    # HK intervals are known to be close to nominal (IntHout et al. 2014, BMC Med Res Methodol 14:25).
    assert abs(coverage - 0.95) < monte_carlo_band(0.95) + 0.01, coverage


def test_common_effect_ci_covers_truth_without_heterogeneity():
    yi, vi = simulate(seed=7, k=10, mu=-0.5, tau2=0.0)
    res = rma_batch(yi, vi, "FE")
    coverage = np.mean((res.ci_lower <= -0.5) & (-0.5 <= res.ci_upper))
    assert abs(coverage - 0.95) < monte_carlo_band(0.95), coverage


def test_qprofile_tau2_interval_covers_truth_at_nominal_rate():
    # The Q-profile interval is exact under the model (Viechtbauer 2007, Stat Med 26:37-52).
    yi, vi = simulate(seed=11, k=10, mu=0.0, tau2=0.05)
    res = rma_batch(yi, vi, "REML", tau2_ci=True)
    coverage = np.mean((res.tau2_ci_lower <= 0.05) & (0.05 <= res.tau2_ci_upper))
    assert abs(coverage - 0.95) < monte_carlo_band(0.95), coverage


def test_reml_recovers_tau2_and_mu():
    yi, vi = simulate(seed=3, k=30, mu=0.2, tau2=0.08)
    res = rma_batch(yi, vi, "REML", tau2_ci=False)
    assert res.converged.all()
    assert np.mean(res.estimate) == pytest.approx(0.2, abs=0.01)
    # REML is approximately unbiased for tau2 away from the boundary.
    assert np.mean(res.tau2) == pytest.approx(0.08, rel=0.08)


def test_prediction_interval_covers_a_new_study_effect():
    rng = np.random.default_rng(5)
    yi, vi = simulate(seed=5, k=20, mu=0.1, tau2=0.2)
    res = rma_batch(yi, vi, "REML", hk=True, tau2_ci=False)
    new_theta = 0.1 + rng.normal(0, np.sqrt(0.2), size=N_SIM)
    coverage = np.mean((res.pi_lower <= new_theta) & (new_theta <= res.pi_upper))
    # metafor's t(k-1) PI is slightly liberal but close to nominal with k = 20.
    assert 0.92 < coverage < 0.97, coverage
