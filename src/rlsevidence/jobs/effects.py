"""Job: per-study effect sizes (escalc) of one prepared sheet."""

from __future__ import annotations

from pathlib import Path


def compute_effects(
    *, sheet: str, measure: str, add: float, to: str, output: str, drop00: bool = False
):
    """Effect sizes of a prepared sheet (``escalc``). ``drop00``: a binary study without events
    in either arm gets no effect (not estimable, as RevMan reports it; Cochrane Handbook
    10.4.4.2) instead of one made of continuity corrections; it is then left out of every
    model."""
    from ..data import read_csv
    from ..effects import escalc

    frame = read_csv(sheet)
    effects = escalc(measure, frame, add=add, to=to, drop00=drop00)
    table = effects.to_frame()
    table.insert(0, "study", frame["study"].to_numpy())
    for column in ("year", "source_id", "subgroup"):
        if column in frame.columns:
            table[column] = frame[column].to_numpy()
    table["derived"] = frame["derivation"].notna().to_numpy() if "derivation" in frame else False
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(output, index=False, float_format="%.17g")
    return table
