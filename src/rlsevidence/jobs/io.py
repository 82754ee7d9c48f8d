"""Reading and writing job files, and running a job under Snakemake (log, one-line errors)."""

from __future__ import annotations

import csv
import json
import logging
import math
import sys
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError

log = logging.getLogger("rlsevidence")


def write_json(path: str | Path, obj) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(
        json.dumps(obj, indent=2, ensure_ascii=False, allow_nan=False) + "\n", encoding="utf-8"
    )


def read_json(path: str | Path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


@contextmanager
def snakemake_step(log_path: str | Path):
    """Send logging and stderr to the rule's log; report bad input as one line and exit 1."""
    original_stderr = sys.stderr
    Path(log_path).parent.mkdir(parents=True, exist_ok=True)
    handle = open(log_path, "w", encoding="utf-8")  # noqa: SIM115
    sys.stderr = handle
    logging.basicConfig(
        stream=handle, level=logging.INFO, format="%(levelname)s %(message)s", force=True
    )
    try:
        yield
    except InputError as error:
        line = f"error: {error}"
        print(line, file=handle)
        print(line, file=original_stderr)
        handle.close()
        sys.stderr = original_stderr
        sys.exit(1)
    finally:
        if not handle.closed:
            handle.close()
        sys.stderr = original_stderr


def read_rows(path: str) -> list[dict]:
    """A CSV as a list of dicts (the csv module: the light jobs do not import pandas)."""

    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def to_number(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def has_effect(row: dict) -> bool:
    """A row of ``results/effects/{id}.csv`` with a finite effect and variance (a study that
    is pooled; rows escalc could not compute are left out of every model)."""
    return math.isfinite(to_number(row["yi"])) and math.isfinite(to_number(row["vi"]))
