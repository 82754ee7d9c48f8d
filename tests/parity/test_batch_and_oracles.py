"""The vectorised batch path against single fits, and independent oracles (statsmodels)."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm
from statsmodels.stats.meta_analysis import combine_effects

from rlsevidence.bias import egger_test
from rlsevidence.pooling import rma, rma_batch

RNG = np.random.default_rng(42)
YI = RNG.normal(0.2, 0.4, size=(50, 8))
VI = RNG.uniform(0.01, 0.3, size=(50, 8))
YI[3, 5:] = np.nan  # a meta-analysis with fewer studies in the same array


@pytest.mark.parametrize("method", ["FE", "DL", "REML", "PM", "ML", "HE", "SJ"])
@pytest.mark.parametrize("hk", [False, True])
def test_batch_equals_one_at_a_time(method, hk):
    batch = rma_batch(YI, VI, method, hk=hk)
    for i in (0, 3, 49):
        keep = np.isfinite(YI[i])
        single = rma(yi=YI[i][keep], vi=VI[i][keep], method=method, hk=hk)
        assert batch.k[i] == single.k
        assert batch.estimate[i] == pytest.approx(single.estimate, rel=1e-12)
        assert batch.ci_upper[i] == pytest.approx(single.ci_upper, rel=1e-12)
        if method != "FE":
            assert batch.tau2_ci_upper[i] == pytest.approx(single.tau2_ci_upper, rel=1e-12)


@pytest.mark.parametrize(("ours", "theirs"), [("PM", "iterated"), ("DL", "chi2")])
def test_agrees_with_statsmodels_combine_effects(ours, theirs):
    """statsmodels' combine_effects (Paule-Mandel 'iterated', DerSimonian-Laird 'chi2')."""
    batch = rma_batch(YI[:10], VI[:10], ours, tau2_ci=False)
    for i in range(10):
        keep = np.isfinite(YI[i])
        res = combine_effects(YI[i][keep], VI[i][keep], method_re=theirs)
        # statsmodels iterates PM to its own tolerance (atol 1e-10 on the moment equation) and
        # does not truncate the DL moment estimate at zero; metafor and this engine do.
        assert batch.tau2[i] == pytest.approx(max(0.0, res.tau2), rel=1e-5, abs=1e-8)
        if res.tau2 >= 0:
            assert batch.estimate[i] == pytest.approx(res.mean_effect_re, rel=1e-6)


def test_egger_equals_statsmodels_wls():
    yi, vi = YI[0], VI[0]
    fit = sm.WLS(yi, sm.add_constant(np.sqrt(vi)), weights=1 / vi).fit()
    ours = egger_test(yi, vi)
    assert ours.intercept == pytest.approx(fit.params[1], rel=1e-10)
    assert ours.t == pytest.approx(fit.tvalues[1], rel=1e-10)
    assert ours.pvalue == pytest.approx(fit.pvalues[1], rel=1e-10)
    assert ours.df == fit.df_resid


def test_plot_palette_is_seaborns_colorblind_palette():
    import seaborn as sns

    from rlsevidence.plots import PALETTE

    expected = [
        "#%02x%02x%02x" % tuple(round(c * 255) for c in rgb)
        for rgb in sns.color_palette("colorblind")
    ]
    assert PALETTE == expected


def test_reml_when_fisher_scoring_oscillates_is_the_likelihood_maximum():
    """A data set on which Fisher scoring oscillates (metafor: 'did not converge')."""
    from rlsevidence.tau2 import loglik as _loglik

    yi = np.array(
        [
            0.68900306,
            0.60519629,
            0.48426307,
            0.03264712,
            0.32116202,
            0.09046466,
            0.76706473,
            0.67576778,
            0.61788286,
            0.81806239,
        ]
    )
    vi = np.array(
        [
            0.09228056,
            0.20762077,
            0.10925781,
            0.04170391,
            0.2014072,
            0.18277122,
            0.16003347,
            0.12411254,
            0.1243747,
            0.19047137,
        ]
    )
    result = rma(yi=yi, vi=vi, method="REML")
    assert result.converged is False and "did not converge" in " ".join(result.notes)
    grid = np.linspace(0, 0.1, 200001)
    ll = _loglik(
        np.tile(yi, (len(grid), 1)),
        np.tile(vi, (len(grid), 1)),
        np.ones((len(grid), 10), bool),
        np.full(len(grid), 10),
        grid,
        True,
    )
    assert result.tau2 == pytest.approx(grid[np.argmax(ll)], abs=1e-6)
