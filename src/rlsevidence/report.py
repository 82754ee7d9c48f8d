"""The reviewer's report: one self-contained HTML page (no CDN, works offline).

Text from data (quotes, names, study labels) is escaped by Jinja2's autoescaping; the only
markup inserted unescaped is SVG written by matplotlib, which escapes its own text.
"""

from __future__ import annotations

import importlib.metadata
import platform
import re
from pathlib import Path

import jinja2
import pandas as pd
from markupsafe import Markup

from .assess.rule import VERDICTS
from .jobs.io import read_json

PACKAGES = (
    "rlsevidence",
    "numpy",
    "scipy",
    "pandas",
    "statsmodels",
    "matplotlib",
    "seaborn",
    "snakemake",
)


META_DEFAULTS = {
    "question": "",
    "outcome": "",
    "effect_label": "",
    "design_kind": "",
    "indirectness": "none",
    "indirectness_reason": "",
    "mid": None,
    "mid_source": "",
    "data": "",
}


ROW_KEYS = (
    "study",
    "year",
    "source_id",
    "locator",
    "quote",
    "derivation",
    "design",
    "rob",
    "rob_reason",
)


def software_versions() -> dict:
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def _inline_svg(text: str) -> Markup:
    """matplotlib's SVG text, ready to inline: no XML prologue or metadata, role="img"."""
    text = re.sub(r"<\?xml[^>]*\?>\s*", "", text)
    text = re.sub(r"<!DOCTYPE[^>]*>\s*", "", text)
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    text = text.replace("<svg ", '<svg role="img" focusable="false" ', 1)
    return Markup(text)  # noqa: S704 - matplotlib output, its text is XML-escaped


def _records(frame: pd.DataFrame) -> list[dict]:
    return [
        {k: ("" if pd.isna(v) else v) for k, v in row.items()} for row in frame.to_dict("records")
    ]


def _total_participants(sheet: pd.DataFrame) -> float | None:
    numbers = sheet.apply(pd.to_numeric, errors="coerce")
    if {"n1", "n2"} <= set(sheet.columns):
        total = numbers["n1"].sum(min_count=1) + numbers["n2"].sum(min_count=1)
    elif "n" in sheet.columns:
        total = numbers["n"].sum(min_count=1)
    else:
        return None
    return None if pd.isna(total) else float(total)


def _leave_one_out(path, pooled: dict) -> list[dict]:
    """Leave-one-out rows on the natural scale (ratios and proportions back-transformed)."""
    from .transforms import backtransform

    if not path or not Path(path).exists():
        return []
    table = pd.read_csv(path)
    if table.empty or "estimate" not in table:
        return []
    rows = []
    for record in table.to_dict("records"):
        values = [record.get(k) for k in ("estimate", "ci_lower", "ci_upper")]
        natural = backtransform(pooled.get("measure", "GEN"), values)
        est, lo, hi = natural if natural is not None and pooled.get("measure") != "PFT" else values
        rows.append(
            {
                "omitted": record["omitted"],
                "k": record["k"],
                "estimate": est,
                "ci_lower": lo,
                "ci_upper": hi,
                "tau2": record.get("tau2"),
                "i2": record.get("i2"),
            }
        )
    return rows


def fmt(value, digits=3):
    if value is None or value == "":
        return "–"
    try:
        value = float(value)
    except (TypeError, ValueError):
        return str(value)
    if value != value:
        return "–"
    return f"{value:.{digits}g}"


def build_report(
    *,
    claims_json: str,
    analyses: dict,
    sources: str,
    published: str,
    not_found: str,
    config: dict,
    output: str,
    reproductions: list[str] | tuple = (),
) -> None:
    """``analyses``: id -> {pooled, grade, bias, forest, funnel, sheet, effects, title, ...}."""
    from .data import read_csv
    from .headline import headline, natural

    claims = read_json(claims_json)
    source_table = read_csv(sources).set_index("source_id")
    source_map = {
        sid: {k: ("" if pd.isna(v) else v) for k, v in row.items()}
        for sid, row in source_table.iterrows()
    }
    published_rows = _records(read_csv(published))
    sections = []
    for analysis_id, paths in analyses.items():
        pooled = read_json(paths["pooled"])
        grade = read_json(paths["grade"])
        bias = read_json(paths["bias"])
        sheet = read_csv(paths["sheet"])
        effects = pd.read_csv(paths["effects"])
        leave1out = _leave_one_out(paths.get("leave1out"), pooled)
        rows = [dict.fromkeys(ROW_KEYS, "") | row for row in _records(sheet)]
        for row, (_, eff) in zip(rows, effects.iterrows(), strict=True):
            row["_yi"] = eff["yi"]
            row["_sei"] = eff["sei"]
            row["_source"] = source_map.get(row.get("source_id"), {})
        head = headline(pooled)
        measure = pooled.get("measure", "GEN")
        head_view = head.to_dict() | {
            key: natural(measure, getattr(head, key))
            for key in ("estimate", "ci_lower", "ci_upper")
        }
        meta = dict(META_DEFAULTS, title=analysis_id) | dict(paths["meta"])
        meta["total_n"] = _total_participants(sheet)
        sections.append(
            {
                "id": analysis_id,
                "meta": meta,
                "pooled": pooled,
                "headline": head_view,
                "grade": grade,
                "bias": bias,
                "rows": rows,
                "leave1out": leave1out,
                "forest": _inline_svg(Path(paths["forest"]).read_text(encoding="utf-8")),
                "forest_alt": f"Forest plot for {paths['meta'].get('title', analysis_id)}",
                "funnel": _inline_svg(Path(paths["funnel"]).read_text(encoding="utf-8"))
                if (pooled.get("k") or 0) >= 10
                else None,
                "published": [p for p in published_rows if p.get("analysis_id") == analysis_id],
                "claims": [c["id"] for c in claims if analysis_id in c["analyses"]],
            }
        )
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("rlsevidence", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fmt"] = fmt
    template = env.get_template("report.html.j2")
    speakers = sorted({c["speaker"] for c in claims})
    counts = {v: sum(1 for c in claims if c["verdict"] == v) for v in VERDICTS}
    from .plots import evidence_map

    html = template.render(
        evidence_map=_inline_svg(evidence_map(claims, VERDICTS)),
        claims=claims,
        sections=sections,
        reproductions=[read_json(p) for p in reproductions],
        section_map={s["id"]: s for s in sections},
        speakers=speakers,
        verdicts=VERDICTS,
        counts=counts,
        not_found=_records(read_csv(not_found)),
        sources=source_map,
        config=config,
        versions=software_versions(),
    )
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    Path(output).write_text(html, encoding="utf-8")
