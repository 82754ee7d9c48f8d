"""Propositions and evidence items: reading them, checking them, and reading our analyses.

``data/raw/propositions.csv`` makes each claim precise: one row per checkable part, with its
kind, the proposition, and what evidence must show (``expected``: greater / less / none for
an effect or association, ``value`` with a band for a number, ``true`` for a statement judged
by its sources).

``data/raw/claim_evidence.csv`` lists every evidence item bearing on a part. An item is either
one of this project's analyses (``item_type`` ``analysis``: its direction and certainty are
computed here from ``pooled.json`` and ``grade.json``) or a published synthesis, guideline,
single study or narrative/historical source, with a verbatim quote, a direction, directness
and a certainty (the publisher's own rating, or a stated judgment).
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass

from ..describe import describe_headline
from ..errors import InputError
from ..headline import headline, natural
from ..measures import null_value
from .rule import DIRECTIONS, LEVEL_NAMES, LEVELS, UNTESTABLE_KINDS, Item

KINDS = (
    "quantitative",
    "association",
    "causal",
    "mechanism",
    "history",
    "citation",
    "anecdote",
    "opinion",
)
EXPECTED = ("greater", "less", "none", "value", "true")
ITEM_TYPES = ("analysis", "published", "guideline", "study", "narrative")
DESIGNS = (
    "rct",
    "sr_rct",
    "observational",
    "sr_observational",
    "guideline",
    "narrative",
    "primary_source",
)
PROPOSITION_COLUMNS = (
    "claim_id",
    "part",
    "kind",
    "proposition",
    "expected",
    "value",
    "band_lower",
    "band_upper",
    "band_reason",
)
EVIDENCE_COLUMNS = (
    "claim_id",
    "part",
    "item_type",
    "analysis_id",
    "expected",
    "source_id",
    "locator",
    "quote",
    "direction",
    "directness",
    "indirect_reason",
    "design",
    "certainty",
    "certainty_basis",
    "note",
)
PART_PATTERN = re.compile(r"^[a-z]$")


@dataclass
class Proposition:
    claim_id: str
    part: str
    kind: str
    proposition: str
    expected: str
    value: float | None = None
    band_lower: float | None = None
    band_upper: float | None = None
    band_reason: str = ""

    @property
    def testable(self) -> bool:
        return self.kind not in UNTESTABLE_KINDS

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class EvidenceItem:
    """A row of claim_evidence.csv; for analysis items direction and certainty are filled in
    by :func:`analysis_item`."""

    claim_id: str
    part: str
    item_type: str
    analysis_id: str
    expected: str
    source_id: str
    locator: str
    quote: str
    direction: str
    directness: str
    indirect_reason: str
    design: str
    certainty: str
    certainty_basis: str
    note: str
    shows: str = ""  # what the item shows, one line (filled for analyses)

    @property
    def label(self) -> str:
        if self.item_type == "analysis":
            return f"analysis {self.analysis_id}"
        return f"{self.source_id} ({self.locator})"

    def to_rule_item(self) -> Item:
        reason = self.shows or self.note
        return Item(
            self.label, self.direction, self.directness, self.certainty, self.design, reason
        )

    def to_dict(self) -> dict:
        return asdict(self)


def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _float(value, *, file, row, column) -> float | None:
    text = _text(value)
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise InputError(f"not a number: {text!r}", file=file, row=row, column=column) from None
    if not math.isfinite(number):
        raise InputError(f"not a finite number: {text!r}", file=file, row=row, column=column)
    return number


def _require(rows: list[dict], columns, path: str) -> None:
    if rows:
        for column in columns:
            if column not in rows[0]:
                raise InputError("missing column", file=path, column=column)


def load_propositions(path: str, rows: list[dict], claim_ids: set[str]) -> list[Proposition]:
    """Check and type the rows of propositions.csv (rows as read by csv.DictReader)."""
    _require(rows, PROPOSITION_COLUMNS, path)
    seen: set[tuple[str, str]] = set()
    out = []
    for n, row in enumerate(rows, 1):
        cid, part = _text(row["claim_id"]), _text(row["part"])
        if cid not in claim_ids:
            raise InputError(f"unknown claim id {cid!r}", file=path, row=n, column="claim_id")
        if not PART_PATTERN.match(part):
            raise InputError("part must be one letter a-z", file=path, row=n, column="part")
        if (cid, part) in seen:
            raise InputError(f"duplicate part {cid}{part}", file=path, row=n, column="part")
        seen.add((cid, part))
        kind = _text(row["kind"])
        if kind not in KINDS:
            raise InputError(
                f"kind must be one of {', '.join(KINDS)}", file=path, row=n, column="kind"
            )
        if not _text(row["proposition"]):
            raise InputError("empty", file=path, row=n, column="proposition")
        expected = _text(row["expected"])
        if kind not in UNTESTABLE_KINDS and expected not in EXPECTED:
            raise InputError(
                f"expected must be one of {', '.join(EXPECTED)}",
                file=path,
                row=n,
                column="expected",
            )
        numbers = {
            c: _float(row[c], file=path, row=n, column=c)
            for c in ("value", "band_lower", "band_upper")
        }
        if expected == "value":
            for column, number in numbers.items():
                if number is None:
                    raise InputError("a claimed number needs it", file=path, row=n, column=column)
            if not numbers["band_lower"] <= numbers["value"] <= numbers["band_upper"]:
                raise InputError(
                    "the band must hold the claimed value", file=path, row=n, column="value"
                )
            if not _text(row["band_reason"]):
                raise InputError("a band needs its reason", file=path, row=n, column="band_reason")
        out.append(
            Proposition(
                cid,
                part,
                kind,
                _text(row["proposition"]),
                expected,
                **numbers,
                band_reason=_text(row["band_reason"]),
            )
        )
    missing = sorted(claim_ids - {p.claim_id for p in out})
    if missing:
        raise InputError(f"claim {missing[0]} has no proposition", file=path, column="claim_id")
    return out


def load_evidence(
    path: str,
    rows: list[dict],
    propositions: list[Proposition],
    analysis_ids: set[str],
    quote_found,
) -> list[EvidenceItem]:
    """Check and type the rows of claim_evidence.csv.

    ``quote_found(source_id, quote)`` returns None when the quote is in the stored excerpt of
    the source, else a message (unknown source, quote not found).
    """
    _require(rows, EVIDENCE_COLUMNS, path)
    parts = {(p.claim_id, p.part): p for p in propositions}
    items = []
    for n, row in enumerate(rows, 1):
        values = {c: _text(row[c]) for c in EVIDENCE_COLUMNS}

        def fail(message, column, n=n):
            raise InputError(message, file=path, row=n, column=column)

        key = (values["claim_id"], values["part"])
        if key not in parts:
            fail(f"no proposition {key[0]}{key[1]} in propositions.csv", "part")
        if not parts[key].testable:
            fail("evidence for a part that is not testable", "part")
        if values["item_type"] not in ITEM_TYPES:
            fail(f"item_type must be one of {', '.join(ITEM_TYPES)}", "item_type")
        if values["directness"] not in ("direct", "indirect"):
            fail("directness must be direct or indirect", "directness")
        if values["directness"] == "indirect" and not values["indirect_reason"]:
            fail("indirect evidence needs its reason", "indirect_reason")
        if values["design"] not in DESIGNS:
            fail(f"design must be one of {', '.join(DESIGNS)}", "design")
        if values["item_type"] == "analysis":
            if values["analysis_id"] not in analysis_ids:
                fail(f"unknown analysis {values['analysis_id']!r}", "analysis_id")
            if values["expected"] not in ("greater", "less", "none", "value"):
                fail("expected must be greater, less, none or value", "expected")
            if values["expected"] == "value" and parts[key].expected != "value":
                fail("expected value needs a proposition with a value and band", "expected")
            for column in ("direction", "certainty"):
                if values[column] != "computed":
                    fail("an analysis item's value is 'computed'", column)
        else:
            if values["direction"] not in DIRECTIONS:
                fail(f"direction must be one of {', '.join(DIRECTIONS)}", "direction")
            if values["certainty"] not in LEVELS:
                fail("certainty must be high, moderate, low or very low", "certainty")
            basis = values["certainty_basis"]
            if not (basis.startswith("publisher") or basis.startswith("judgment:")):
                fail(
                    "certainty_basis must start with 'publisher' or 'judgment:'", "certainty_basis"
                )
            for column in ("source_id", "locator", "quote"):
                if not values[column]:
                    fail("empty provenance", column)
            problem = quote_found(values["source_id"], values["quote"])
            if problem:
                fail(problem, "quote" if "quote" in problem else "source_id")
        items.append(EvidenceItem(**values))
    return items


def check_coverage(
    propositions: list[Proposition], items: list[EvidenceItem], not_found: str, rows: list[dict]
) -> None:
    """Every testable part has an evidence item, or a ``not_found.csv`` row whose topic names
    it (``c076``, or ``c033a`` for one part) and documents the search that came back empty."""
    named: set[str] = set()
    for row in rows:
        named.update(re.findall(r"\b(c\d{3}[a-z]?)", _text(row.get("topic"))))
    covered = {(i.claim_id, i.part) for i in items}
    for prop in propositions:
        key = (prop.claim_id, prop.part)
        if prop.testable and key not in covered:
            if prop.claim_id not in named and prop.claim_id + prop.part not in named:
                raise InputError(
                    f"claim {prop.claim_id} part {prop.part} has no evidence item and no "
                    "documented empty search (a not_found.csv row naming it)",
                    file=not_found,
                    column="topic",
                )


# ------------------------------------------------------------------ our own analyses


def analysis_item(
    item: EvidenceItem,
    proposition: Proposition,
    pooled: dict,
    grade: dict,
    meta: dict | None = None,
) -> EvidenceItem:
    """Fill in an analysis item's direction, certainty and a one-line account.

    Direction, from the headline interval: ``greater``/``less``: supports when the interval
    lies wholly on the claimed side of no effect, against when wholly on the other side,
    neither when it includes no effect. ``none``: supports when it includes no effect, against
    when it excludes it. ``value``: supports when the estimate lies in the proposition's band,
    against when the whole interval lies outside the band, partly otherwise.

    Certainty: the analysis's GRADE level with its own indirectness step undone and the
    indirectness of this claim-evidence pair applied instead (one level down when indirect):
    one analysis can be direct for one claim and indirect for another.

    ``meta`` (the analysis's row of ``config/analyses.tsv``) names the groups, the unit and
    what each direction means, so that the one-line account reads on its own.
    """
    measure = pooled.get("measure", "GEN")
    head = headline(pooled)
    score = int(grade.get("score") or LEVELS.get(grade.get("level"), 1))
    for step in grade.get("steps", []):
        if step.get("domain") == "indirectness":
            score -= int(step.get("change") or 0)
    if item.directness == "indirect":
        score -= 1
    certainty = LEVEL_NAMES[max(1, min(4, score))]
    est, lo, hi = (natural(measure, x) for x in (head.estimate, head.ci_lower, head.ci_upper))
    k = pooled.get("k")
    if not head.informative:
        direction = "neither"
        shows = f"k = {k}: {head.note}"
    else:
        shows = describe_headline(meta or {}, pooled, est, lo, hi) + f" ({head.model}; k = {k})"
        null = null_value(measure)
        if item.expected == "value":
            band = (proposition.band_lower, proposition.band_upper)
            if band[0] <= est <= band[1]:
                direction = "supports"
            elif hi < band[0] or lo > band[1]:
                direction = "against"
            else:
                direction = "partly"
            shows += f"; the claim's band is {band[0]:g} to {band[1]:g}"
        elif null is None:
            direction = "neither"
            shows += "; a single-group proportion cannot test a comparison"
        else:
            above, below = lo > null, hi < null
            if item.expected in ("greater", "less"):
                agrees = above if item.expected == "greater" else below
                opposes = below if item.expected == "greater" else above
                direction = "supports" if agrees else "against" if opposes else "neither"
            else:  # none
                direction = "against" if (above or below) else "supports"
    return EvidenceItem(
        **{**item.to_dict(), "direction": direction, "certainty": certainty, "shows": shows}
    )
