"""Forest plots in RevMan's layout (rlsevidence.forest): arm data, weights, effect text,
heterogeneity line, favours labels, and no pooled diamond for a single study."""

import math

from rlsevidence.forest import ForestRow, arm_cells, forest_plot, heterogeneity_text

META = {
    "group1": "iron",
    "group2": "placebo",
    "unit": "IRLS points (0-40; lower is better)",
    "lower_means": "favours iron",
    "higher_means": "favours placebo",
}


def test_arm_cells_follow_revman_order():
    row = {"mean1": "-8.9", "sd1": "8.52", "n1": "24", "mean2": "-4", "sd2": "6.11", "n2": "19"}
    assert arm_cells("MD", row) == ["−8.9", "8.52", "24", "−4", "6.11", "19"]
    assert arm_cells("OR", {"events1": "22", "n1": "32", "events2": "7", "n2": "25"}) == [
        "22",
        "32",
        "7",
        "25",
    ]


def test_heterogeneity_line_states_tau2_i2_q_and_the_test():
    pooled = {
        "k": 6, "method": "REML", "hk": True, "tau2": 18.18, "tau2_ci_lower": 4.526,
        "tau2_ci_upper": 130.5, "i2": 84.0, "q": 27.69, "q_df": 5, "q_pvalue": 4.2e-5,
        "statistic": -3.21, "df": 5, "pvalue": 0.0237, "measure": "MD",
    }  # fmt: skip
    lines = heterogeneity_text(pooled)
    assert lines[0] == "Model: Random effects (REML, Hartung-Knapp)"
    assert "τ² = 18.2 (95% CI 4.53 to 130); I² = 84%; Q = 27.69, df = 5 (p < 0.001)" in lines[1]
    assert lines[2] == "Test for overall effect: t (df = 5) = −3.21 (p = 0.024)"
    assert heterogeneity_text({"k": 1}) == []


def test_single_study_has_no_diamond(tmp_path):
    rows = [ForestRow("Allen 2011", -4.9, math.sqrt(4.99), ["−8.9", "8.52", "24"] * 2, 100.0)]
    pooled = {"k": 1, "method": "REML", "measure": "MD", "estimate": -4.9, "level": 95}
    path = tmp_path / "forest.svg"
    alt = forest_plot(path, rows, pooled, measure="MD", meta=META, title="Iron")
    svg = path.read_text()
    assert "Not pooled: a single study" in svg and "Total (95% CI)" not in svg
    assert "favours iron" in svg and "IRLS points" in svg
    assert alt.endswith("Not pooled.")


def test_pooled_rows_show_weights_totals_and_prediction_interval(tmp_path):
    rows = [
        ForestRow("A", 0.5, 0.3, ["10", "50", "5", "50"], 60.0),
        ForestRow("B", 0.2, 0.4, ["8", "40", "6", "42"], 40.0),
    ]
    pooled = {
        "k": 2, "method": "DL", "hk": False, "measure": "OR", "level": 95, "estimate": 0.38,
        "ci_lower": -0.09, "ci_upper": 0.85, "pi_lower": -0.09, "pi_upper": 0.85, "tau2": 0.0,
        "tau2_is_zero": True, "i2": 0.0, "q": 0.36, "q_df": 1, "q_pvalue": 0.55,
        "statistic": 1.58, "pvalue": 0.11,
        "backtransformed": {"estimate": 1.46, "ci_lower": 0.91, "ci_upper": 2.34,
                            "pi_lower": 0.91, "pi_upper": 2.34},
    }  # fmt: skip
    path = tmp_path / "forest.svg"
    forest_plot(path, rows, pooled, measure="OR", meta=META, title="t")
    svg = path.read_text()
    for text in ("60.0%", "40.0%", "100.0%", "Total (95% CI)", "Prediction interval", "τ² = 0"):
        assert text in svg, text
    assert ">18</text>" in svg and ">90</text>" in svg  # events 10 + 8, total 50 + 40
