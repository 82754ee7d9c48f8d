"""A sheet as it is pooled: rows that share patients entered once, multi-arm trials
combined or split (``multiarm.py``); every change noted."""

from __future__ import annotations

import pandas as pd


def first_of_cohort(cohorts) -> list[bool]:
    """Which rows are pooled when rows may share patients.

    A sheet may name each row's ``cohort``; rows that share a non-empty cohort report (some
    of) the same patients, and pooling them would count those patients twice. Documented
    choice: only the first row of each cohort is pooled (the sheet lists the fullest,
    peer-reviewed report first); the others stay in the sheet and the report, marked as not
    pooled. Cochrane Handbook (Higgins et al. 2023), section 5.2.2: collate multiple reports
    of the same study so that each study contributes once.
    """
    seen: set[str] = set()
    keep = []
    for value in cohorts:
        text = "" if value is None or value != value else str(value).strip()
        keep.append(not text or text not in seen)
        if text:
            seen.add(text)
    return keep


def prepare_for_pooling(
    frame: pd.DataFrame, multiarm: str = "combine", *, file: str = "<sheet>"
) -> tuple[pd.DataFrame, list[str]]:
    """The rows of a sheet as they are pooled, and a note for every change.

    Rows that share patients (same ``cohort``) enter once (:func:`first_of_cohort`);
    multi-arm trials (rows sharing a ``trial``) are combined or split
    (:mod:`rlsevidence.multiarm`). The notes are also written into a ``preparation``
    column so that every later step (effects, pooling, grading, the report) sees them.
    """
    from .multiarm import handle_multiarm

    notes: list[str] = []
    frame = frame.copy()
    if "cohort" in frame.columns:
        keep = first_of_cohort(frame["cohort"].tolist())
        for row, kept in zip(frame.to_dict("records"), keep, strict=True):
            if not kept:
                notes.append(
                    f"{row['study']} not pooled: it shares patients (cohort "
                    f"{row['cohort']!r}) with a row listed before it"
                )
        frame = frame[keep].reset_index(drop=True)
    frame, arm_notes = handle_multiarm(frame, multiarm, file=file)
    notes += arm_notes
    frame["preparation"] = " | ".join(notes)
    return frame, notes
