"""Multi-arm trials (rlsevidence.multiarm) against independent computations."""

import numpy as np
import pandas as pd
import pytest

from rlsevidence.errors import InputError
from rlsevidence.multiarm import combine_groups, handle_multiarm


def test_combined_groups_equal_the_pooled_sample():
    # Table 6.5.a's formula must give exactly the size, mean and (n-1) SD of the union of the
    # raw observations: an independent check computed from the data themselves.
    rng = np.random.default_rng(20261202)
    samples = [rng.normal(mu, sd, n) for mu, sd, n in ((-8, 6, 23), (-11, 7.5, 31), (-5, 4, 17))]
    n = [len(s) for s in samples]
    mean = [s.mean() for s in samples]
    sd = [s.std(ddof=1) for s in samples]
    total, m, s = combine_groups(n, mean, sd)
    union = np.concatenate(samples)
    assert total == len(union)
    assert m == pytest.approx(union.mean(), rel=1e-12)
    assert s == pytest.approx(union.std(ddof=1), rel=1e-12)


def test_cochrane_handbook_worked_numbers():
    # Two arms of 25 with means 10 and 20, SD 5 and 5: the union has mean 15 and
    # SD sqrt((24*25 + 24*25 + 625/50*100*... ) / 49); by hand: within SS = 2*24*25 = 1200,
    # between SS = 25*25/50*(10-20)^2 = 1250, SD = sqrt(2450/49) = sqrt(50) = 7.0710678.
    assert combine_groups([25, 25], [10, 20], [5, 5]) == pytest.approx((50, 15, 50**0.5))


def sheet(**columns):
    base = {
        "study": ["T a", "T b", "Other"],
        "source_id": "s",
        "locator": "l",
        "quote": ["q1", "q2", "q3"],
    }
    base.update(columns)
    return pd.DataFrame(base)


def test_combine_continuous_arms_enters_the_control_once():
    frame = sheet(
        trial=["t1", "t1", "o"], arm=["low", "high", ""],
        n1=[25, 25, 40], mean1=[10.0, 20.0, 3.0], sd1=[5.0, 5.0, 2.0],
        n2=[30, 30, 40], mean2=[12.0, 12.0, 4.0], sd2=[6.0, 6.0, 2.0],
    )  # fmt: skip
    out, notes = handle_multiarm(frame, "combine")
    assert len(out) == 2 and len(notes) == 1
    row = out.iloc[0]
    assert (row["n1"], row["mean1"], row["sd1"]) == pytest.approx((50, 15, 50**0.5))
    assert row["n2"] == 30 and row["quote"] == "q1 ... q2"
    assert "arms combined: low + high" in row["study"]


def test_combine_binary_arms_adds_events_and_split_divides_the_control():
    frame = sheet(trial=["t1", "t1", "o"], arm=["a", "b", ""], events1=[10, 14, 5], n1=[50, 50, 40],
                  events2=[6, 6, 4], n2=[48, 48, 40])  # fmt: skip
    combined, _ = handle_multiarm(frame, "combine")
    assert (combined.iloc[0]["events1"], combined.iloc[0]["n1"]) == (24, 100)
    split, _ = handle_multiarm(frame, "split")
    assert len(split) == 3
    assert list(split["n2"][:2]) == [24, 24] and list(split["events2"][:2]) == [3, 3]


def test_arms_with_different_controls_or_without_arm_data_are_bad_input():
    frame = sheet(
        trial=["t1", "t1", "o"], events1=[1, 2, 3], n1=[9, 9, 9], events2=[1, 2, 1], n2=[9, 9, 9]
    )
    with pytest.raises(InputError, match="share one control") as error:
        handle_multiarm(frame, "combine", file="x.csv")
    assert "x.csv: row 2, column 'events2'" in str(error.value)


def test_arms_without_arm_level_data_enter_by_their_primary_comparison_only():
    frame = sheet(trial=["t1", "t1", "o"], yi=[1.0, 2.0, 3.0], sei=[1.0, 1.0, 1.0])
    out, notes = handle_multiarm(frame, "combine")
    assert list(out["yi"]) == [1.0, 3.0]
    assert "only the first-listed arm (T a) is pooled; not pooled: T b" in notes[0]
