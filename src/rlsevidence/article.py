"""The article view: the article and its comments as written, each claim marked in place.

Claims are found in the text the way ``validate`` checks them (whitespace folded, typographic
quotes and dashes made plain, case ignored), and mapped back to the original characters.
The overall rating says how many of the checkable claims hold, weighted as stated in
``RATING_WEIGHTS``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .data import normalise_text

#: How much a verdict counts towards "holds": supported fully, partly supported half; claims
#: that are contradicted or not supported count zero; claims the evidence cannot settle and
#: untestable ones are left out of the denominator (they neither hold nor fail).
RATING_WEIGHTS = {
    "supported": 1.0,
    "partly supported": 0.5,
    "not supported": 0.0,
    "contradicted": 0.0,
}


@dataclass
class Segment:
    text: str
    claim: dict | None = None


def _normalised_with_map(text: str) -> tuple[str, list[int]]:
    """``normalise_text(text)`` and, for each of its characters, the index it came from."""
    out: list[str] = []
    index: list[int] = []
    previous_space = True
    for i, char in enumerate(text):
        plain = normalise_text(char) if not char.isspace() else " "
        if plain in ("", " "):
            if char.isspace() or plain == " ":
                if not previous_space:
                    out.append(" ")
                    index.append(i)
                previous_space = True
            continue
        for p in plain:
            out.append(p)
            index.append(i)
        previous_space = False
    return "".join(out), index


def mark_claims(text: str, claims: list[dict]) -> tuple[list[Segment], list[str]]:
    """The text cut into plain and claim segments, and the ids of claims not found (or
    overlapping an earlier one, which keeps its place)."""
    flat, index = _normalised_with_map(text)
    spans = []
    missing = []
    for claim in claims:
        needle = normalise_text(claim["quote"])
        at = flat.find(needle)
        if at < 0 or not needle:
            missing.append(claim["id"])
            continue
        spans.append((index[at], index[at + len(needle) - 1] + 1, claim))
    spans.sort(key=lambda s: (s[0], -s[1]))
    segments: list[Segment] = []
    position = 0
    for start, end, claim in spans:
        if start < position:
            missing.append(claim["id"])
            continue
        if start > position:
            segments.append(Segment(text[position:start]))
        segments.append(Segment(text[start:end], claim))
        position = end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments, missing


def overall_rating(claims: list[dict], speakers=None) -> dict:
    """Share of checkable claims that hold (see ``RATING_WEIGHTS``), optionally for some
    speakers only."""
    chosen = [c for c in claims if speakers is None or c["speaker"] in speakers]
    rated = [c for c in chosen if c["verdict"] in RATING_WEIGHTS]
    score = sum(RATING_WEIGHTS[c["verdict"]] for c in rated)
    return {
        "claims": len(chosen),
        "rated": len(rated),
        "score": score,
        "share": score / len(rated) if rated else None,
        "counts": {v: sum(1 for c in chosen if c["verdict"] == v) for v in RATING_WEIGHTS},
    }
