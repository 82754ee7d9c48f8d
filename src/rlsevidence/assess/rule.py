"""The verdict rule: one documented rule over every evidence item of a claim.

A claim is made of one or more propositions (parts). Each part is judged on the body of
evidence that bears on it, then the parts are combined. Every verdict carries the step of the
rule that decided it, the reasons, and what evidence would change it.

Rule for one proposition (the steps are named as in ``results/claims.json``):

``not-testable``
    The part is a personal experience, an opinion or a question (kind ``anecdote`` or
    ``opinion``): **not testable**.
``no-evidence``
    No evidence item bears on it: **insufficient evidence** (the empty search is documented in
    ``not_found.csv``).
``uninformative``
    Every item is ``neither`` (e.g. a 95% interval that includes no effect): **not supported**
    when one of them is direct and of moderate or high certainty (a precise null),
    else **insufficient evidence**.
``best-evidence``
    The informative items (``supports``, ``partly``, ``against``) are ranked: direct before
    indirect, then by certainty (high > moderate > low > very low); a published synthesis or
    guideline counts with its own rating. The items of the top rank decide:

    - ``supports`` (with or without ``partly`` items, whose qualifications are stated):
      **supported**; ``against`` (with or without ``partly``): **contradicted**; only
      ``partly``: **partly supported**; ``supports`` and ``against`` together (a conflict,
      stated): **partly supported** when the evidence is of moderate or high certainty,
      **insufficient evidence** when it is low or very low (conflicting weak evidence
      settles nothing);
    - then capped by the strength of that evidence: indirect evidence makes *supported* at
      most **partly supported** and *contradicted* at most **not supported**; low certainty
      does the same; very low certainty cannot settle a claim (**insufficient evidence**,
      with the direction it leans stated);
    - a causal claim (kind ``causal``) whose deciding items include no randomised evidence
      (trial, synthesis of trials, or a guideline that rates trials) is at most **partly
      supported**: associations do not show causation.

    Lower-ranked items that disagree with the deciding ones are listed as conflicts.

Combining parts (``combine``): every testable part supported -> **supported**; any part
supported or partly supported -> **partly supported**; all contradicted -> **contradicted**;
any contradicted or not supported -> **not supported**; otherwise **insufficient evidence**.
The claim's certainty is the lowest certainty among the parts that were decided by evidence.

Certainty levels follow GRADE (Guyatt et al. 2011, J Clin Epidemiol 64:383-394); ranking
direct over indirect evidence follows GRADE guidelines 8 (indirectness; Guyatt et al. 2011,
J Clin Epidemiol 64:1303-1310).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

VERDICTS = (
    "supported",
    "partly supported",
    "not supported",
    "contradicted",
    "insufficient evidence",
    "not testable",
)
LEVELS = {"very low": 1, "low": 2, "moderate": 3, "high": 4}
LEVEL_NAMES = {v: k for k, v in LEVELS.items()}
DIRECTIONS = ("supports", "partly", "against", "neither")
UNTESTABLE_KINDS = ("anecdote", "opinion")
RANDOMISED_DESIGNS = ("rct", "sr_rct", "guideline")


@dataclass
class Item:
    """One piece of evidence as the rule sees it (direction already decided)."""

    label: str  # e.g. "analysis iron_irls" or "trotti2019_cochrane (Summary of findings)"
    direction: str  # supports / partly / against / neither
    directness: str  # direct / indirect
    certainty: str  # high / moderate / low / very low
    design: str = ""  # rct, sr_rct, observational, sr_observational, guideline, ...
    reason: str = ""  # one line: what this item shows for the proposition

    @property
    def rank(self) -> tuple[int, int]:
        return (1 if self.directness == "direct" else 0, LEVELS.get(self.certainty, 1))


@dataclass
class PartVerdict:
    part: str
    verdict: str
    certainty: str | None
    step: str
    reasons: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    would_change: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def _describe(items: list[Item]) -> str:
    return "; ".join(f"{i.label}: {i.direction} ({i.directness}, {i.certainty})" for i in items)


def judge_part(part: str, kind: str, items: list[Item]) -> PartVerdict:
    """Verdict for one proposition from all its evidence items (see the module docstring)."""
    if kind in UNTESTABLE_KINDS:
        return PartVerdict(
            part,
            "not testable",
            None,
            "not-testable",
            [f"a {kind}: published evidence cannot test it"],
        )
    if not items:
        return PartVerdict(
            part,
            "insufficient evidence",
            None,
            "no-evidence",
            ["no evidence item was found (the search is documented in not_found.csv)"],
            would_change="any direct study of the proposition",
        )
    informative = [i for i in items if i.direction != "neither"]
    if not informative:
        precise = [i for i in items if i.directness == "direct" and LEVELS[i.certainty] >= 3]
        if precise:
            best = max(precise, key=lambda i: i.rank)
            return PartVerdict(
                part,
                "not supported",
                best.certainty,
                "uninformative",
                [
                    f"direct evidence of {best.certainty} certainty shows no effect: "
                    + _describe(precise)
                ],
                would_change="direct evidence of an effect in the claimed direction",
            )
        best = max(items, key=lambda i: i.rank)
        return PartVerdict(
            part,
            "insufficient evidence",
            best.certainty,
            "uninformative",
            [f"the evidence found can settle it neither way: {_describe(items)}"],
            would_change="a direct study precise enough to show or exclude the claimed effect",
        )
    top = max(i.rank for i in informative)
    deciding = [i for i in informative if i.rank == top]
    directions = {i.direction for i in deciding}
    certainty = deciding[0].certainty
    direct = deciding[0].directness == "direct"
    reasons = [
        f"deciding evidence ({'direct' if direct else 'indirect'}, {certainty}): "
        + _describe(deciding)
    ]
    if {"supports", "against"} <= directions:
        if LEVELS[certainty] >= 3:
            verdict = "partly supported"
            reasons.append("the deciding items conflict")
        else:
            return PartVerdict(
                part,
                "insufficient evidence",
                certainty,
                "best-evidence",
                reasons + [f"the deciding items conflict and are of {certainty} certainty"],
                would_change="a larger or less biased study that resolves the conflict",
            )
    elif "supports" in directions:
        verdict = "supported"
    elif "against" in directions:
        verdict = "contradicted"
    else:
        verdict = "partly supported"
    if "partly" in directions and verdict != "partly supported":
        reasons.append("some deciding items hold only with a qualification (see them)")
    lean = verdict
    if verdict in ("supported", "contradicted"):
        if LEVELS[certainty] == 1:
            verdict = "insufficient evidence"
            reasons.append(f"only very low certainty evidence; it leans '{lean}'")
        elif not direct or LEVELS[certainty] == 2:
            verdict = "partly supported" if verdict == "supported" else "not supported"
            why = "indirect" if not direct else "low certainty"
            reasons.append(f"capped: the deciding evidence is {why}")
    elif verdict == "partly supported" and LEVELS[certainty] == 1:
        verdict = "insufficient evidence"
        reasons.append("only very low certainty evidence; it leans 'partly supported'")
    if kind == "causal" and verdict == "supported":
        if not any(i.design in RANDOMISED_DESIGNS for i in deciding if i.direction == "supports"):
            verdict = "partly supported"
            reasons.append("capped: a causal claim backed only by associations")
    conflicts = [
        f"{i.label}: {i.direction} ({i.directness}, {i.certainty})"
        for i in informative
        if i.rank < top and _disagrees(i.direction, directions)
    ]
    return PartVerdict(
        part,
        verdict,
        certainty,
        "best-evidence",
        reasons,
        conflicts,
        would_change=_would_change(verdict, direct, certainty, kind),
    )


def _disagrees(direction: str, deciding: set[str]) -> bool:
    if direction == "against":
        return bool(deciding & {"supports", "partly"})
    if direction == "supports":
        return "against" in deciding
    return False


def _would_change(verdict: str, direct: bool, certainty: str, kind: str) -> str:
    if verdict == "supported":
        return "direct evidence of similar or higher certainty pointing the other way"
    if verdict == "contradicted":
        return "direct evidence of similar or higher certainty supporting the claim"
    needs = []
    if not direct:
        needs.append("direct evidence (the claim's own population, exposure and outcome)")
    if LEVELS.get(certainty, 1) <= 2:
        needs.append("evidence of moderate or high certainty (larger, less biased studies)")
    if kind == "causal":
        needs.append("randomised trials")
    return "; ".join(needs) or "a synthesis that resolves the conflicting evidence"


def combine(parts: list[PartVerdict]) -> tuple[str, str | None]:
    """The claim's verdict and certainty from the verdicts of its parts."""
    testable = [p for p in parts if p.verdict != "not testable"]
    if not testable:
        return "not testable", None
    verdicts = [p.verdict for p in testable]
    if all(v == "supported" for v in verdicts):
        verdict = "supported"
    elif any(v in ("supported", "partly supported") for v in verdicts):
        verdict = "partly supported"
    elif all(v == "contradicted" for v in verdicts):
        verdict = "contradicted"
    elif any(v in ("contradicted", "not supported") for v in verdicts):
        verdict = "not supported"
    else:
        verdict = "insufficient evidence"
    levels = [LEVELS[p.certainty] for p in testable if p.certainty and p.step != "no-evidence"]
    return verdict, (LEVEL_NAMES[min(levels)] if levels else None)
