"""Job: check one data sheet and write it as it will be pooled."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np

from ..errors import InputError
from .io import log

_PARSED: dict = {}
_PARSED_LOCK = threading.Lock()


def _stamp(path: str) -> tuple:
    stat = os.stat(path)
    return (str(Path(path).resolve()), stat.st_mtime_ns, stat.st_size)


def _sources_and_excerpts(sources: str, excerpts: str):
    """``sources.csv`` and ``excerpts.jsonl`` parsed once per process while they are unchanged
    (same path, size and modification time): the jobs of one run share them, which is where a
    run's cost per analysis falls as analyses are added. Callers must not modify them."""
    from ..data import load_excerpts, load_sources

    key = (_stamp(sources), _stamp(excerpts))
    with _PARSED_LOCK:
        if key not in _PARSED:
            _PARSED.clear()
            _PARSED[key] = (load_sources(sources), load_excerpts(excerpts))
        return _PARSED[key]


def load_registry(
    sources: str, excerpts: str, claims: str | None = None, article: str | None = None
):
    from ..data import Registry, load_claims

    registry = Registry(*_sources_and_excerpts(sources, excerpts))
    for sid in registry.sources["source_id"]:
        if sid not in registry.excerpts:
            row = int(np.flatnonzero(registry.sources["source_id"].to_numpy() == sid)[0]) + 1
            raise InputError(
                f"source {sid!r} has no stored excerpt in excerpts.jsonl",
                file=sources,
                row=row,
                column="source_id",
            )
    if claims:
        text = Path(article).read_text(encoding="utf-8") if article else None
        registry.claims = load_claims(claims, text)
    return registry


def validate_sheet(
    *,
    sheet: str,
    sources: str,
    excerpts: str,
    package: str,
    measure: str,
    subgroup: str | None,
    output: str,
    multiarm: str = "combine",
) -> list[str]:
    """Check one sheet and write it as it will be pooled (rows sharing a cohort entered
    once, multi-arm trials combined or split; see ``prepare.prepare_for_pooling``)."""
    from ..data import validate_sheet as check_sheet
    from ..datapackage import check_hash
    from ..effects import escalc
    from ..prepare import prepare_for_pooling

    check_hash(sheet, package)
    registry = load_registry(sources, excerpts)
    frame, warnings = check_sheet(sheet, measure, registry, subgroup=subgroup)
    frame, notes = prepare_for_pooling(frame, multiarm, file=sheet)
    for note in notes:
        log.info("%s", note)
    try:
        escalc(measure, frame)
    except InputError as error:
        raise error.located(file=sheet) from None
    for warning in warnings:
        log.warning(warning)
    if output:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        frame.to_csv(output, index=False)
    return warnings
