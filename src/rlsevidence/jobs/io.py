"""Reading and writing job files, and running a job under Snakemake (log, one-line errors)."""

from __future__ import annotations

import csv
import json
import logging
import math
import threading
import time
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


class JobError(Exception):
    """Bad input found by a job: its message is the one line naming file, row and column."""


_LOGGERS = ("rlsevidence", "py.warnings")


@contextmanager
def job_log(log_path: str | Path):
    """Run a job with its logging and warnings sent to its log file.

    Jobs run in threads of the Snakemake process, so the handler takes only the records of
    the calling thread and nothing global (``sys.stderr``, the root logger) is touched. Bad
    input (:class:`~rlsevidence.errors.InputError`) is logged and raised again as one line,
    ``error: <file>, row <r>, column '<c>': <what>``. The last line of every log is the job's
    time ("finished in 0.123 s"), which ``benchmarks/bench_workflow.py`` sums into the
    in-process floor.
    """
    Path(log_path).parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(log_path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    thread = threading.get_ident()
    handler.addFilter(lambda record: record.thread == thread)
    logging.captureWarnings(True)
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(logging.INFO)
        logger.propagate = False
        logger.addHandler(handler)
    start = time.perf_counter()
    try:
        yield
    except InputError as error:
        log.error("%s", error)
        raise JobError(f"error: {error}") from None
    finally:
        log.info("finished in %.3f s", time.perf_counter() - start)
        for name in _LOGGERS:
            logging.getLogger(name).removeHandler(handler)
        handler.close()


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
