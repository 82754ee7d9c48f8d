"""The analysis sheet (``config/analyses.tsv``): one row per analysis, like a samples sheet.

Columns are the keys of an analysis (see ``config/README.md``); an empty cell means "use
the default" from ``defaults:`` in ``config/config.yaml``, so each default is written once.
The ``reproduces`` block of a reproduction is given in the columns ``reproduces_source_id``,
``reproduces_outcome``, ``reproduces_updated_by`` and ``reproduces_missing``. Cells are typed
here (booleans, numbers); the result is then checked against the JSON schema of an analysis.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from .errors import InputError

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
REQUIRED = ("id", "data", "measure", "method", "hk")
BOOLEAN = ("hk", "drop00")
INTEGER = ("bayes_max_k",)
NUMBER = ("level", "add", "mid", "tau_prior_scale")
NESTED = "reproduces_"


def _typed(column: str, text: str, *, file: str, row: int):
    if column in BOOLEAN:
        if text.lower() not in ("true", "false"):
            raise InputError("must be true or false", file=file, row=row, column=column)
        return text.lower() == "true"
    if column in INTEGER or column in NUMBER:
        try:
            number = float(text)
        except ValueError:
            raise InputError(f"not a number: {text!r}", file=file, row=row, column=column) from None
        if column in INTEGER or re.fullmatch(r"[-+]?\d+", text):
            return int(number)
        return number  # written with a decimal point: stays a float, as YAML reads it
    return text


def load_analyses(path: str | Path) -> dict[str, dict]:
    """The analyses of the sheet, in its order, as ``{id: {key: value}}``."""
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", file=str(path)) from None
    if not rows:
        raise InputError("no analyses", file=str(path))
    for column in REQUIRED:
        if column not in rows[0]:
            raise InputError("missing column", file=str(path), column=column)
    analyses: dict[str, dict] = {}
    for number, row in enumerate(rows, 1):
        if None in row:
            raise InputError("more cells than columns", file=str(path), row=number)
        analysis = (row.get("id") or "").strip()
        if not ID_PATTERN.match(analysis):
            raise InputError(f"invalid id {analysis!r}", file=str(path), row=number, column="id")
        if analysis in analyses:
            raise InputError(f"duplicate id {analysis!r}", file=str(path), row=number, column="id")
        entry: dict = {}
        nested: dict = {}
        for column, cell in row.items():
            text = (cell or "").strip()
            if column == "id" or not text:
                continue
            if column.startswith(NESTED):
                nested[column[len(NESTED) :]] = text
            else:
                entry[column] = _typed(column, text, file=str(path), row=number)
        for column in REQUIRED[1:]:
            if column not in entry:
                raise InputError("empty", file=str(path), row=number, column=column)
        if nested:
            entry["reproduces"] = nested
        analyses[analysis] = entry
    return analyses


def validate_analyses(analyses: dict[str, dict], schema: str | Path, *, file: str) -> None:
    """Check every analysis (as :func:`load_analyses` gives it) against the JSON schema of an
    analysis; the first failure is one line naming the analysis and the key. One validator for
    all rows: loading the schema once per row cost about a second per workflow start."""
    import yaml
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(yaml.safe_load(Path(schema).read_text(encoding="utf-8")))
    for number, (analysis, entry) in enumerate(analyses.items(), 1):
        error = next(iter(validator.iter_errors(entry)), None)
        if error is not None:
            where = ".".join(str(p) for p in error.absolute_path) or "(row)"
            raise InputError(
                f"analysis {analysis!r}: {error.message}", file=file, row=number, column=where
            )


def load_config(path: str | Path = "config/config.yaml") -> dict:
    """``config.yaml`` (loaded safely) with its analysis sheet read in."""
    import yaml

    config = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    config["analyses"] = load_analyses(config["analyses"])
    return config
