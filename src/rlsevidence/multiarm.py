"""Multi-arm trials: arms that share one control group.

A sheet may give a multi-arm trial as one row per active arm against the shared control,
the rows sharing a ``trial`` value (and naming the ``arm``). Entering every row as it is
would count the control participants twice. Two documented methods (Cochrane Handbook for
Systematic Reviews of Interventions, version 6.4, section 23.3.4, and Table 6.5.a):

``combine`` (the Handbook's recommendation)
    Combine the active arms into one group: for a continuous outcome
    N = N1 + N2, M = (N1 M1 + N2 M2) / N, and
    SD = sqrt(((N1 - 1) SD1² + (N2 - 1) SD2² + N1 N2 / (N1 + N2) (M1² + M2² - 2 M1 M2))
    / (N1 + N2 - 1)), applied arm by arm for more than two arms; for a binary outcome the
    events and totals add. The control group enters once.
``split``
    Keep one comparison per arm and divide the shared control group (its n, and its events
    for a binary outcome) evenly among them.

Rows given only as ``yi, sei`` (a trial that reports adjusted differences but no arm-level
data) can be neither combined nor split: then only the first-listed arm, which the sheet
gives as the trial's primary comparison, is pooled and the other arms are listed in a note
(the Handbook's last option: select one comparison). Rows of one trial must report the same
control group, else the sheet is bad input.
"""

from __future__ import annotations

import math

import pandas as pd

from .errors import InputError

METHODS = ("combine", "split")
CONTINUOUS = ("n1", "mean1", "sd1", "n2", "mean2", "sd2")
BINARY = ("events1", "n1", "events2", "n2")


def combine_groups(n, mean, sd) -> tuple[float, float, float]:
    """Size, mean and SD of the union of groups (Cochrane Handbook Table 6.5.a)."""
    total, m, s = float(n[0]), float(mean[0]), float(sd[0])
    for n2, m2, s2 in zip(n[1:], mean[1:], sd[1:], strict=True):
        n1, m1, s1 = total, m, s
        total = n1 + n2
        m = (n1 * m1 + n2 * m2) / total
        s = math.sqrt(
            ((n1 - 1) * s1**2 + (n2 - 1) * s2**2 + n1 * n2 / total * (m1**2 + m2**2 - 2 * m1 * m2))
            / (total - 1)
        )
    return total, m, s


def _kind(frame: pd.DataFrame, rows: pd.DataFrame) -> str | None:
    def has(columns):
        return all(c in frame.columns for c in columns) and rows[list(columns)].notna().all().all()

    if has(CONTINUOUS):
        return "continuous"
    if has(BINARY):
        return "binary"
    return None


def handle_multiarm(
    frame: pd.DataFrame, method: str = "combine", *, file: str = "<sheet>"
) -> tuple[pd.DataFrame, list[str]]:
    """The sheet with each multi-arm trial entered once (``combine``) or with its control
    split (``split``), and one note per trial saying what was done."""
    if method not in METHODS:
        raise ValueError(f"multiarm method must be one of {METHODS}")
    if "trial" not in frame.columns:
        return frame, []
    trials = frame["trial"].fillna("").astype(str).str.strip()
    groups = {t: idx for t, idx in frame.groupby(trials).groups.items() if t and len(idx) > 1}
    if not groups:
        return frame, []
    notes: list[str] = []
    out_rows = []
    done: set[str] = set()
    for position, (_, row) in enumerate(frame.iterrows()):
        trial = trials.iloc[position]
        if trial not in groups:
            out_rows.append(row)
            continue
        if trial in done:
            continue
        done.add(trial)
        rows = frame.loc[groups[trial]]
        kind = _kind(frame, rows)
        if kind is None:
            out_rows.append(rows.iloc[0])
            others = ", ".join(str(s) for s in rows["study"].iloc[1:])
            notes.append(
                f"{trial}: no arm-level data (only adjusted differences), so only the "
                f"first-listed arm ({rows.iloc[0]['study']}) is pooled; not pooled: {others}"
            )
            continue
        control = ["n2", "mean2", "sd2"] if kind == "continuous" else ["events2", "n2"]
        for column in control:
            if rows[column].nunique() > 1:
                bad = int(frame.index.get_loc(rows.index[1])) + 1
                raise InputError(
                    f"the arms of trial {trial!r} must share one control group",
                    file=file,
                    row=bad,
                    column=column,
                )
        arms = [str(a) for a in rows.get("arm", pd.Series([""] * len(rows))).fillna("")]
        arm_text = " + ".join(a or f"row {i}" for i, a in enumerate(arms, 1))
        if method == "combine":
            merged = rows.iloc[0].copy()
            if kind == "continuous":
                n, m, s = combine_groups(
                    rows["n1"].to_numpy(float),
                    rows["mean1"].to_numpy(float),
                    rows["sd1"].to_numpy(float),
                )
                merged["n1"], merged["mean1"], merged["sd1"] = n, m, s
            else:
                merged["events1"] = float(rows["events1"].sum())
                merged["n1"] = float(rows["n1"].sum())
            merged["study"] = f"{rows.iloc[0]['study']} (arms combined: {arm_text})"
            merged["quote"] = " ... ".join(dict.fromkeys(str(q) for q in rows["quote"]))
            if "arm" in merged.index:
                merged["arm"] = arm_text
            out_rows.append(merged)
            notes.append(
                f"{trial}: {len(rows)} active arms ({arm_text}) combined into one group against "
                "the shared control (Cochrane Handbook 23.3.4, Table 6.5.a)"
            )
        else:
            k = len(rows)
            for _, arm_row in rows.iterrows():
                split = arm_row.copy()
                split["n2"] = arm_row["n2"] / k
                if kind == "binary":
                    split["events2"] = arm_row["events2"] / k
                out_rows.append(split)
            notes.append(
                f"{trial}: shared control split evenly among {k} arms ({arm_text}) "
                "(Cochrane Handbook 23.3.4)"
            )
    return pd.DataFrame(out_rows).reset_index(drop=True), notes
