"""The vendored evidence base under ``data/raw/``: loading, integrity checks, data package.

Layout (see ``config/README.md``)::

    data/raw/sources.csv            one row per publication: id, citation, url, design ...
    data/raw/excerpts.jsonl         the page text each number was read from, verbatim
    data/raw/claims.csv             one row per claim of the article and its comments
    data/raw/published_pooled.csv   pooled estimates reported by published reviews
    data/raw/not_found.csv          what was searched for and not found
    data/raw/sheets/{id}.csv        extraction sheets, one row per study
    data/raw/sheets/{id}.meta.json  what the sheet answers (question, population, ...)
    data/raw/datapackage.json       Frictionless Data Package: schema and sha256 per file

Every failure raises :class:`~rlsevidence.errors.InputError` naming file, row and column.
Nothing here writes under ``data/raw/`` except :func:`write_datapackage`, on request.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError
from .measures import MEASURE_COLUMNS

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
PROVENANCE_COLUMNS = ("study", "source_id", "locator", "quote")
ROB_LEVELS = ("low", "some_concerns", "high")
DESIGNS = (
    "systematic_review",
    "rct",
    "crossover_rct",
    "cohort",
    "case_control",
    "cross_sectional",
    "case_series",
    "open_label_trial",
    "survey",
    "narrative_review",
    "guideline",
    "other",
)
SOURCE_COLUMNS = ("source_id", "citation", "year", "url", "design")
CLAIM_COLUMNS = ("id", "speaker", "quote")
NUMERIC_COLUMNS = (
    "n1",
    "mean1",
    "sd1",
    "n2",
    "mean2",
    "sd2",
    "events1",
    "events2",
    "events",
    "n",
    "yi",
    "vi",
    "sei",
    "year",
)


def check_id(value: str, what: str = "id") -> str:
    """Ids end up in file paths: allow only ``^[a-z][a-z0-9_]*$`` (max 64 characters)."""
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise InputError(f"invalid {what} {value!r}: must match {ID_PATTERN.pattern}")
    return value


def read_csv(path: str | Path) -> pd.DataFrame:
    """Read a CSV as strings (no type guessing), empty cells as missing."""
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", file=str(path))
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except pd.errors.EmptyDataError:
        raise InputError("empty file: no header and no rows", file=str(path)) from None
    except UnicodeDecodeError as error:
        raise InputError(
            f"not UTF-8 text (byte {error.start}); save the file as UTF-8", file=str(path)
        ) from None
    except pd.errors.ParserError as error:
        raise InputError(f"cannot parse CSV: {error}".splitlines()[0], file=str(path)) from None
    frame.columns = [c.strip() for c in frame.columns]
    duplicated = [c for c in frame.columns if c.endswith(".1") and c[:-2] in frame.columns]
    if duplicated:
        raise InputError("column header given twice", file=str(path), column=duplicated[0][:-2])
    return frame


def normalise_text(text: str) -> str:
    """Whitespace folded and typographic quotes/dashes made plain, for quote matching."""
    table = str.maketrans(
        {
            "\u2018": "'",
            "\u2019": "'",
            "\u201c": '"',
            "\u201d": '"',
            "\u2013": "-",
            "\u2014": "-",
            "\u2212": "-",
            "\u00a0": " ",
        }
    )
    return re.sub(r"\s+", " ", text.translate(table)).strip().lower()


@dataclass
class Registry:
    """Sources, excerpts and claims of the evidence base."""

    sources: pd.DataFrame
    excerpts: dict[str, list[str]]
    claims: pd.DataFrame | None = None

    @property
    def source_ids(self) -> set[str]:
        return set(self.sources["source_id"])


def load_sources(path: str | Path) -> pd.DataFrame:
    frame = read_csv(path)
    _require_columns(frame, SOURCE_COLUMNS, path)
    seen: set[str] = set()
    for i, row in frame.iterrows():
        sid = row["source_id"]
        if pd.isna(sid) or not ID_PATTERN.match(str(sid)):
            raise InputError(
                f"invalid source id {sid!r}", file=str(path), row=i + 1, column="source_id"
            )
        if sid in seen:
            raise InputError(
                f"duplicate source id {sid!r}", file=str(path), row=i + 1, column="source_id"
            )
        seen.add(sid)
        for column in ("citation", "url"):
            if pd.isna(row[column]):
                raise InputError("empty", file=str(path), row=i + 1, column=column)
        if not str(row["url"]).startswith(("http://", "https://")):
            raise InputError(
                f"not a web address: {row['url']!r}", file=str(path), row=i + 1, column="url"
            )
        if row["design"] not in DESIGNS:
            raise InputError(
                f"unknown design {row['design']!r}; one of {', '.join(DESIGNS)}",
                file=str(path),
                row=i + 1,
                column="design",
            )
    return frame


def load_excerpts(path: str | Path) -> dict[str, list[str]]:
    """Stored page excerpts by source id (``excerpts.jsonl``, one JSON object a line)."""
    path = Path(path)
    excerpts: dict[str, list[str]] = {}
    if not path.exists():
        raise InputError("file not found", file=str(path))
    for number, raw in enumerate(path.read_bytes().splitlines(), start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InputError(
                f"not UTF-8 text (byte {error.start} of the line)", file=str(path), row=number
            ) from None
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(f"invalid JSON: {error.msg}", file=str(path), row=number) from None
        for key in ("source_id", "excerpt"):
            if not isinstance(record.get(key), str):
                raise InputError("missing or not text", file=str(path), row=number, column=key)
        excerpts.setdefault(record["source_id"], []).append(normalise_text(record["excerpt"]))
    return excerpts


def load_claims(path: str | Path, seed_text: str | None = None) -> pd.DataFrame:
    frame = read_csv(path)
    _require_columns(frame, CLAIM_COLUMNS, path)
    seed = normalise_text(seed_text) if seed_text else None
    seen: set[str] = set()
    for i, row in frame.iterrows():
        cid = row["id"]
        if pd.isna(cid) or not ID_PATTERN.match(str(cid)):
            raise InputError(f"invalid claim id {cid!r}", file=str(path), row=i + 1, column="id")
        if cid in seen:
            raise InputError(f"duplicate claim id {cid!r}", file=str(path), row=i + 1, column="id")
        seen.add(cid)
        for column in ("speaker", "quote"):
            if pd.isna(row[column]):
                raise InputError("empty", file=str(path), row=i + 1, column=column)
        if seed is not None and normalise_text(row["quote"]) not in seed:
            raise InputError(
                "quote is not verbatim in the article and comments",
                file=str(path),
                row=i + 1,
                column="quote",
            )
    return frame


def quote_problem(registry: Registry, source_id: str, quote: str) -> str | None:
    """None when every part of ``quote`` (parts joined by "...") is in a stored excerpt of the
    source (whitespace and typographic quotes aside); else what is wrong, in one line."""
    if source_id not in registry.source_ids:
        return f"unknown source id {source_id!r} (not in sources.csv)"
    stored = registry.excerpts.get(source_id, [])
    if not stored:
        return f"no stored excerpt for source {source_id!r} (excerpts.jsonl)"
    for part in (normalise_text(p) for p in re.split(r"\s*\.\.\.\s*|\s*…\s*", quote)):
        if part and not any(part in text for text in stored):
            return f"quote not found verbatim in the stored excerpt of {source_id!r}: {part[:60]!r}"
    return None


def _require_columns(frame, columns, path):
    for column in columns:
        if column not in frame.columns:
            raise InputError("missing column", file=str(path), column=column)


def validate_sheet(
    path: str | Path,
    measure: str,
    registry: Registry,
    *,
    subgroup: str | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Check a data sheet; return it (numbers as floats) and a list of warnings.

    Checks: provenance columns present and filled on every row; source id known; the quote
    found verbatim (whitespace and typographic quotes aside) in a stored excerpt of that
    source; the columns ``measure`` needs present; numbers numeric and in range (counts
    >= 0, events <= n, SD >= 0, n > 0, SE > 0); risk-of-bias level known.
    """
    path = Path(path)
    frame = read_csv(path)
    if len(frame) == 0:
        raise InputError("no studies (k = 0)", file=str(path))
    _require_columns(frame, PROVENANCE_COLUMNS, path)
    warnings: list[str] = []
    needed = MEASURE_COLUMNS[measure]
    has_arms = all(c in frame.columns for c in needed)
    has_generic = "yi" in frame.columns and ("vi" in frame.columns or "sei" in frame.columns)
    if not has_arms and not has_generic:
        missing = next(c for c in needed if c not in frame.columns)
        raise InputError(f"missing column for measure {measure}", file=str(path), column=missing)
    if subgroup and subgroup not in frame.columns:
        raise InputError("missing subgroup column", file=str(path), column=subgroup)
    for column in NUMERIC_COLUMNS:
        if column in frame.columns:
            values = frame[column]
            converted = pd.to_numeric(values, errors="coerce")
            bad = converted.isna() & values.notna()
            if bad.any():
                row = int(np.flatnonzero(bad.to_numpy())[0])
                raise InputError(
                    f"not a number: {values.iloc[row]!r}",
                    file=str(path),
                    row=row + 1,
                    column=column,
                )
            frame[column] = converted
    repeated = frame.duplicated(keep="first")
    if repeated.any():
        row = int(repeated.to_numpy().nonzero()[0][0]) + 1
        raise InputError(
            "the same row is given twice (a study entered twice would be pooled twice)",
            file=str(path),
            row=row,
            column="study",
        )
    for i, row in frame.iterrows():
        for column in PROVENANCE_COLUMNS:
            if pd.isna(row[column]) or not str(row[column]).strip():
                raise InputError("empty provenance", file=str(path), row=i + 1, column=column)
        sid = row["source_id"]
        if sid not in registry.source_ids:
            raise InputError(
                f"unknown source id {sid!r} (not in sources.csv)",
                file=str(path),
                row=i + 1,
                column="source_id",
            )
        problem = quote_problem(registry, sid, row["quote"])
        if problem:
            column = "quote" if problem.startswith("quote") else "source_id"
            raise InputError(problem, file=str(path), row=i + 1, column=column)
        if "rob" in frame.columns and not pd.isna(row["rob"]) and row["rob"] not in ROB_LEVELS:
            raise InputError(
                f"risk of bias must be one of {', '.join(ROB_LEVELS)}",
                file=str(path),
                row=i + 1,
                column="rob",
            )
        if (
            "design" in frame.columns
            and not pd.isna(row["design"])
            and row["design"] not in DESIGNS
        ):
            raise InputError(
                f"unknown design {row['design']!r}", file=str(path), row=i + 1, column="design"
            )
        warning = _numbers_in_quote(frame, i, row)
        if warning:
            warnings.append(f"{path}: row {i + 1}: {warning}")
    _check_ranges(frame, path)
    return frame, warnings


def _format_number(value: float) -> list[str]:
    if float(value).is_integer():
        return [str(int(value))]
    text = repr(float(value))
    return [text, text.lstrip("0"), f"{value:.2f}".rstrip("0")]


def _numbers_in_quote(frame, i, row) -> str | None:
    """A row without a derivation should show its numbers in its quote."""
    if "derivation" in frame.columns and not pd.isna(row.get("derivation")):
        return None
    quote = normalise_text(str(row["quote"])).replace(",", "")
    quote = re.sub(r"(?<=\d)[ \u2009\u202f](?=\d{3}\b)", "", quote)  # "15 391" -> "15391"
    missing = []
    for column in ("n1", "mean1", "sd1", "n2", "mean2", "sd2", "events1", "events2", "events", "n"):
        if column in frame.columns and not pd.isna(row[column]):
            forms = _format_number(abs(row[column]))
            if not any(f in quote for f in forms):
                missing.append(column)
    if missing:
        return "numbers not shown verbatim in the quote and no derivation given: " + ", ".join(
            missing
        )
    return None


def _check_ranges(frame: pd.DataFrame, path: Path) -> None:
    def fail(mask, column, message):
        if mask.any():
            row = int(np.flatnonzero(mask.to_numpy())[0])
            value = frame[column].iloc[row]
            raise InputError(f"{message} ({value:g})", file=str(path), row=row + 1, column=column)

    for column in ("n1", "n2", "n"):
        if column in frame.columns:
            fail(frame[column] <= 0, column, "group size must be positive")
    for column in ("events1", "events2", "events"):
        if column in frame.columns:
            fail(frame[column] < 0, column, "count must not be negative")
            fail(frame[column] % 1 != 0, column, "count must be a whole number")
    for events, n in (("events1", "n1"), ("events2", "n2"), ("events", "n")):
        if events in frame.columns and n in frame.columns:
            fail(frame[events] > frame[n], events, f"events larger than {n}")
    for column in ("sd1", "sd2"):
        if column in frame.columns:
            fail(frame[column] < 0, column, "standard deviation must not be negative")
    if "sei" in frame.columns:
        fail(frame["sei"] <= 0, "sei", "standard error must be positive")
    if "vi" in frame.columns:
        fail(frame["vi"] <= 0, "vi", "sampling variance must be positive")


# ------------------------------------------------------------------------------------------
# Frictionless Data Package
# ------------------------------------------------------------------------------------------
