"""What each rule of the workflow runs: one function per rule, called from its ``run:`` block
as ``job.<rule>(input, output, params, wildcards, log)``.

Each function only passes the rule's files and settings to the step's job in this package
(no domain decision here), inside :func:`~rlsevidence.jobs.io.job_log`, which sends the job's
logging and warnings to its log file and turns bad input into one line.

Why ``run:`` and not ``script:``: a ``script:`` job is a new Python process that pays the
interpreter's start and every import (numpy, scipy, pandas, matplotlib: about 1-2 s) for
a few milliseconds of work; a full run was 89% such overhead. ``run:`` jobs run in threads of
the Snakemake process (the profile sets ``force-use-threads``), so each import is paid once
per run. See ARCHITECTURE.md, "Why jobs run in threads".

This module is imported when the workflow is parsed, so it imports nothing heavy itself:
each job imports its step when it runs.
"""

from __future__ import annotations

import functools
import os
import pickle
import threading

from .io import job_log

#: When set, every job's call is appended (pickled) to this file before it runs, so that
#: ``benchmarks/bench_workflow.py`` can replay the same calls in one plain Python process
#: (the in-process floor). Unset in normal runs.
RECORD_ENV = "RLSEVIDENCE_RECORD_JOBS"
_RECORD_LOCK = threading.Lock()


def recorded(function):
    """Record the job's call when :data:`RECORD_ENV` names a file (see there)."""

    @functools.wraps(function)
    def wrapper(input, output, params, wildcards, log):
        path = os.environ.get(RECORD_ENV)
        if path:
            call = pickle.dumps((function.__name__, input, output, params, wildcards, log))
            with _RECORD_LOCK, open(path, "ab") as handle:
                handle.write(len(call).to_bytes(8, "little") + call)
        return function(input, output, params, wildcards, log)

    return wrapper


def replay(path: str) -> int:
    """Run every recorded job call of ``path`` in this process, in the recorded order; return
    the number of jobs. The benchmark's in-process floor."""
    count = 0
    with open(path, "rb") as handle:
        while size := handle.read(8):
            name, *arguments = pickle.loads(handle.read(int.from_bytes(size, "little")))  # noqa: S301 - our own file
            globals()[name].__wrapped__(*arguments)
            count += 1
    return count


@recorded
def validate_registry(input, output, params, wildcards, log) -> None:
    from .registry import validate_registry as run

    with job_log(log[0]):
        run(
            sources=input.sources,
            excerpts=input.excerpts,
            claims=input.claims,
            propositions=input.propositions,
            claim_evidence=input.claim_evidence,
            published=input.published,
            not_found=input.not_found,
            article=input.article,
            package=input.package,
            analysis_ids=params.analyses,
            sheets=list(input.sheets),
            output=output[0],
        )


@recorded
def validate_sheet(input, output, params, wildcards, log) -> None:
    from .validate import validate_sheet as run

    with job_log(log[0]):
        run(
            sheet=input.sheet,
            sources=input.sources,
            excerpts=input.excerpts,
            package=params.package,
            measure=params.measure,
            subgroup=params.subgroup,
            multiarm=params.multiarm,
            output=output[0],
        )


@recorded
def effects(input, output, params, wildcards, log) -> None:
    from .effects import compute_effects

    settings = params.settings
    with job_log(log[0]):
        compute_effects(
            sheet=input[0],
            measure=settings["measure"],
            add=settings["add"],
            to=settings["to"],
            drop00=settings.get("drop00", False),
            output=output[0],
        )


@recorded
def pool(input, output, params, wildcards, log) -> None:
    from .pool import pool_analysis

    settings = params.settings
    with job_log(log[0]):
        pool_analysis(
            sheet=input.sheet,
            effects=input.effects,
            analysis=wildcards.analysis,
            measure=settings["measure"],
            method=settings["method"],
            hk=settings["hk"],
            level=settings["level"],
            pi_type=settings["pi_type"],
            add=settings["add"],
            to=settings["to"],
            subgroup=settings.get("subgroup"),
            outputs=dict(output.items()),
            tau_prior_scale=settings["tau_prior_scale"],
            bayes_max_k=settings["bayes_max_k"],
        )


@recorded
def plots(input, output, params, wildcards, log) -> None:
    from .plots import make_plots

    with job_log(log[0]):
        make_plots(
            sheet=input.sheet,
            effects=input.effects,
            pooled=input.pooled,
            meta=params.settings,
            forest=output.forest,
            funnel=output.funnel,
        )


@recorded
def grade(input, output, params, wildcards, log) -> None:
    from .grade import grade_analysis

    settings = params.settings
    with job_log(log[0]):
        grade_analysis(
            sheet=input.sheet,
            effects=input.effects,
            pooled=input.pooled,
            bias=input.bias,
            published=input.published,
            analysis=wildcards.analysis,
            measure=settings["measure"],
            design_kind=settings["design_kind"],
            indirectness=settings["indirectness"],
            indirectness_reason=settings["indirectness_reason"],
            mid=settings["mid"],
            mid_source=settings["mid_source"],
            thresholds=params.thresholds,
            output=output[0],
        )


def _first_or_none(files):
    """Our analysis's file, or None when the review's outcome has none (an empty input)."""
    return files[0] if files else None


@recorded
def reproduce(input, output, params, wildcards, log) -> None:
    from .reproduce import reproduce_analysis

    with job_log(log[0]):
        reproduce_analysis(
            analysis=wildcards.analysis,
            reproduces=params.reproduces,
            pooled=input.pooled,
            leave1out=input.leave1out,
            sheet=input.sheet,
            published=input.published,
            ours_pooled=_first_or_none(input.ours_pooled),
            ours_effects=_first_or_none(input.ours_effects),
            ours_sheet=_first_or_none(input.ours_sheet),
            output=output[0],
        )


@recorded
def claims(input, output, params, wildcards, log) -> None:
    from .claims import judge_claims

    meta = params.meta
    with job_log(log[0]):
        judge_claims(
            claims=input.claims,
            propositions=input.propositions,
            claim_evidence=input.claim_evidence,
            sources=input.sources,
            excerpts=input.excerpts,
            analyses={
                analysis: {"pooled": pooled, "grade": grade, "meta": meta[analysis]}
                for analysis, pooled, grade in zip(
                    params.analyses, input.pooled, input.grade, strict=True
                )
            },
            report_url=params.report_url,
            article=params.article,
            snapshot_date=params.snapshot,
            output=output.claims,
            output_jsonld=output.jsonld,
        )


#: The per-analysis inputs of the report (name for build_report, name of the rule's input),
#: each input a list in the order of ``params.analyses``.
REPORT_FILES = (
    ("pooled", "pooled"),
    ("grade", "grade"),
    ("bias", "bias"),
    ("forest", "forest"),
    ("funnel", "funnel"),
    ("sheet", "sheets"),
    ("effects", "effects"),
    ("leave1out", "leave1out"),
)


@recorded
def report(input, output, params, wildcards, log) -> None:
    from ..report import build_report

    meta = params.meta
    per_analysis = {name: list(getattr(input, files)) for name, files in REPORT_FILES}
    with job_log(log[0]):
        build_report(
            claims_json=input.claims,
            analyses={
                analysis: {name: per_analysis[name][i] for name, _ in REPORT_FILES}
                | {"meta": meta[analysis]}
                for i, analysis in enumerate(params.analyses)
            },
            sources=input.sources,
            published=input.published,
            not_found=input.not_found,
            reproductions=list(input.reproductions),
            jsonld=input.jsonld,
            article=input.article,
            config=params.config,
            output=output[0],
        )
