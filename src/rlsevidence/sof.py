"""Summary of Findings, as GRADEpro prints it (Guyatt GH et al. GRADE guidelines 12:
preparing summary of findings tables. J Clin Epidemiol 2013;66:158-172).

One row per analysis: outcome, participants (studies), certainty in symbols and words with a
footnote per downgrade, the relative effect, and for binary outcomes the anticipated absolute
effects per 1,000: the assumed risk without the exposure (the median risk of the comparison
groups of the included studies, as GRADEpro's default "study population" risk), the
corresponding risk with it, and the difference, with their 95% CIs.
"""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field

SYMBOLS = {"high": "⊕⊕⊕⊕", "moderate": "⊕⊕⊕◯", "low": "⊕⊕◯◯", "very low": "⊕◯◯◯"}


@dataclass
class AbsoluteEffect:
    assumed_per_1000: float
    corresponding_per_1000: float
    corresponding_ci: tuple[float, float]
    difference_per_1000: float
    difference_ci: tuple[float, float]
    assumed_source: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class SummaryRow:
    outcome: str
    participants: int | None
    studies: int | None
    certainty: str
    symbols: str
    footnotes: list[str] = field(default_factory=list)
    absolute: AbsoluteEffect | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def corresponding_risk(assumed: float, measure: str, ratio: float) -> float:
    """Risk with the exposure from the assumed risk without it and a risk or odds ratio."""
    if measure == "RR":
        return min(1.0, assumed * ratio)
    odds = assumed / (1 - assumed) * ratio
    return odds / (1 + odds)


def absolute_effect(
    measure: str, estimate: float, ci: tuple[float, float], control_risks: list[float]
) -> AbsoluteEffect | None:
    """Per 1,000 (natural-scale RR or OR and the comparison groups' risks); None when the
    measure is not a ratio of two groups' risks or no comparison risk is known."""
    risks = [r for r in control_risks if 0 <= r <= 1]
    if measure not in ("RR", "OR") or not risks:
        return None
    assumed = statistics.median(risks)
    point = corresponding_risk(assumed, measure, estimate)
    low, high = (corresponding_risk(assumed, measure, x) for x in ci)
    return AbsoluteEffect(
        assumed_per_1000=1000 * assumed,
        corresponding_per_1000=1000 * point,
        corresponding_ci=(1000 * low, 1000 * high),
        difference_per_1000=1000 * (point - assumed),
        difference_ci=(1000 * (low - assumed), 1000 * (high - assumed)),
        assumed_source=(
            f"median risk of the comparison groups of {len(risks)} "
            f"stud{'y' if len(risks) == 1 else 'ies'}"
        ),
    )


def summary_row(
    outcome: str,
    participants: float | None,
    grade: dict,
    pooled: dict,
    control_risks: list[float],
    headline: dict,
) -> SummaryRow:
    """The GRADEpro row of one analysis; ``headline`` is the natural-scale headline view."""
    level = grade.get("level", "very low")
    footnotes = [
        f"Downgraded {abs(s['change'])} for {s['domain']}: {s['reason']}"
        for s in grade.get("steps", [])
        if s.get("change", 0) < 0
    ] + [
        f"Upgraded {s['change']} for {s['domain']}: {s['reason']}"
        for s in grade.get("steps", [])
        if s.get("change", 0) > 0
    ]
    absolute = None
    if headline.get("informative") and headline.get("estimate") is not None:
        absolute = absolute_effect(
            pooled.get("measure", ""),
            headline["estimate"],
            (headline["ci_lower"], headline["ci_upper"]),
            control_risks,
        )
    return SummaryRow(
        outcome=outcome,
        participants=int(participants) if participants else None,
        studies=pooled.get("k"),
        certainty=level,
        symbols=SYMBOLS.get(level, ""),
        footnotes=footnotes,
        absolute=absolute,
    )
