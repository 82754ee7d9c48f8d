"""Every headline number in words: measure, unit, comparison, interval and direction
(rlsevidence.describe)."""

from rlsevidence.describe import describe, direction

IRON = {
    "group1": "iron",
    "group2": "placebo",
    "unit": "IRLS points (0-40; lower is better)",
    "lower_means": "favours iron",
    "higher_means": "favours placebo",
}
SEX = {
    "group1": "women",
    "group2": "men",
    "outcome": "RLS prevalence (crude)",
    "lower_means": "less RLS in women",
    "higher_means": "more RLS in women",
}


def test_a_mean_difference_carries_its_unit_comparison_and_direction():
    text = describe(IRON, "MD", -6.2, -11.16, -1.24)
    assert text == (
        "MD −6.2 IRLS points (0-40; lower is better), iron vs placebo "
        "(95% CI −11.2 to −1.24): favours iron"
    )


def test_a_ratio_names_its_outcome_and_groups():
    text = describe(SEX, "OR", 2.05, 1.2, 3.07)
    assert text.startswith("OR 2.05 for RLS prevalence (crude), women vs men (95% CI 1.2 to 3.07)")
    assert text.endswith(": more RLS in women")


def test_a_proportion_is_a_percentage():
    text = describe({"unit": "% with RLS"}, "PLO", 0.213, 0.18, 0.25, interval="CrI")
    assert text == "21.3% with RLS (95% CrI 18% to 25%)"


def test_direction_says_when_the_interval_includes_no_effect():
    assert direction(IRON, "MD", -2.0, 1.0) == "the interval includes no effect"
    assert direction(SEX, "OR", 1.1, 2.0) == "more RLS in women"
    assert direction({}, "PLO", 0.1, 0.2) == ""
