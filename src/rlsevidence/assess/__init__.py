"""Claim assessment: propositions, evidence items and the verdict rule.

``evidence`` reads and checks ``propositions.csv`` and ``claim_evidence.csv`` and turns this
project's analyses into evidence items; ``rule`` is the verdict rule (documented there);
``claimreview`` writes schema.org ClaimReview records. No Snakemake import: the claims job,
the CLI and the tests use the same code.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..headline import headline
from .evidence import EvidenceItem, Proposition, analysis_item
from .rule import VERDICTS, PartVerdict, combine, judge_part

__all__ = [
    "VERDICTS",
    "ClaimAssessment",
    "assess_claim",
]


@dataclass
class ClaimAssessment:
    """One claim's verdict with everything that decided it (``results/claims.json``)."""

    id: str
    speaker: str
    quote: str
    kind: str
    proposition: str
    verdict: str
    certainty: str | None
    step: str
    summary: str
    analyses: list[str]
    parts: list[dict] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)
    would_change: str = ""
    number_text: str | None = None
    key_number: str | None = None
    notes: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def _proposition_text(parts: list[Proposition]) -> str:
    if len(parts) == 1:
        return parts[0].proposition
    return " ".join(f"({p.part}) {p.proposition}" for p in parts)


def assess_claim(
    claim: dict,
    propositions: list[Proposition],
    items: list[EvidenceItem],
    results: dict,
) -> ClaimAssessment:
    """Judge one claim. ``results`` maps analysis id -> (pooled dict, grade dict, meta dict:
    the analysis's row of ``config/analyses.tsv`` with its defaults)."""
    parts = sorted(propositions, key=lambda p: p.part)
    judged_items: list[EvidenceItem] = []
    part_verdicts: list[PartVerdict] = []
    for prop in parts:
        mine = []
        for item in items:
            if item.part != prop.part:
                continue
            if item.item_type == "analysis":
                pooled, grade, meta = results[item.analysis_id]
                item = analysis_item(item, prop, pooled, grade, meta)
            mine.append(item)
        judged_items += mine
        part_verdicts.append(judge_part(prop.part, prop.kind, [i.to_rule_item() for i in mine]))
    verdict, certainty = combine(part_verdicts)
    decided = [p for p in part_verdicts if p.verdict != "not testable"] or part_verdicts
    if len(parts) == 1:
        step = part_verdicts[0].step
        summary = "; ".join(part_verdicts[0].reasons)
    else:
        step = "combine-parts"
        summary = " | ".join(f"({p.part}) {p.verdict}: {'; '.join(p.reasons)}" for p in decided)
    would_change = " | ".join(
        (f"({p.part}) " if len(parts) > 1 else "") + p.would_change
        for p in decided
        if p.would_change
    )
    analyses = sorted({i.analysis_id for i in items if i.item_type == "analysis"})
    key = None
    first = next((i for i in judged_items if i.item_type == "analysis"), None)
    if first is not None:
        meta = results[first.analysis_id][2]
        key = f"{meta.get('title', first.analysis_id)}: {first.shows}"
    return ClaimAssessment(
        id=claim["id"],
        speaker=claim["speaker"],
        quote=claim["quote"],
        kind=parts[0].kind,
        proposition=_proposition_text(parts),
        verdict=verdict,
        certainty=certainty,
        step=step,
        summary=summary,
        analyses=analyses,
        parts=[{**p.to_dict(), **v.to_dict()} for p, v in zip(parts, part_verdicts, strict=True)],
        evidence=[i.to_dict() for i in judged_items],
        would_change=would_change,
        number_text=claim.get("number_text") or None,
        key_number=key,
        notes=claim.get("notes") or "",
    )


__all__ += ["headline", "EvidenceItem", "Proposition"]
