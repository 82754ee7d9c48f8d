"""The reviewer's report: one self-contained HTML page (no CDN, works offline).

Text from data (quotes, names, study labels) is escaped by Jinja2's autoescaping; the only
markup inserted unescaped is SVG written by matplotlib, which escapes its own text.
"""

from __future__ import annotations

import html
import importlib.metadata
import json
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


def _inline_svg(text: str, prefix: str = "", label: str = "") -> Markup:
    """matplotlib's SVG text, ready to inline: no XML prologue or metadata, role="img", an
    accessible name, and its ids prefixed so that several plots on one page share none."""
    text = re.sub(r"<\?xml[^>]*\?>\s*", "", text)
    text = re.sub(r"<!DOCTYPE[^>]*>\s*", "", text)
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    if prefix:
        text = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', text)
        text = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", text)
        text = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', text)
    name = f' aria-label="{html.escape(label, quote=True)}"' if label else ""
    text = text.replace("<svg ", f'<svg role="img" focusable="false"{name} ', 1)
    return Markup(text)  # noqa: S704 - matplotlib output, its text is XML-escaped


def as_written(text) -> str:
    """A quote as its page shows it: HTML entities that were stored as text ("&gt;1.02")
    decoded once; Jinja escapes the result once when it is rendered."""
    return html.unescape(str(text)) if text is not None else ""


def source_link(source: dict) -> str:
    """The publisher's address through the DOI, else PubMed, else the stored page."""
    doi = str(source.get("doi") or "").strip()
    pmid = str(source.get("pmid") or "").strip().removesuffix(".0")
    if doi:
        return f"https://doi.org/{doi}"
    if pmid.isdigit():
        return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
    return str(source.get("url") or "")


def embedded_jsonld(path) -> Markup:
    """The ClaimReview records as a JSON-LD script body ("</" escaped, so that no text of a
    claim can close the script element)."""
    text = json.dumps(read_json(path), ensure_ascii=False, allow_nan=False, indent=1)
    return Markup(text.replace("</", "<\\/"))  # noqa: S704 - JSON, with "</" escaped


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


#: How a published measure is written (published_pooled.csv) -> our measure family.
PUBLISHED_FAMILY = {
    "MD": "MD",
    "WMD": "MD",
    "WMD MG/L": "MD",
    "SMD": "SMD",
    "OR": "OR",
    "RR": "RR",
    "HR": "GEN",
    "PREVALENCE %": "proportion",
}


def comparable(published: dict, pooled: dict) -> str:
    """``""`` when a published estimate measures what ours measures (same measure family),
    else what differs, in words: the report then shows no difference between the two."""
    theirs = PUBLISHED_FAMILY.get(str(published.get("measure") or "").strip().upper())
    ours = pooled.get("measure")
    family = "proportion" if ours in ("PR", "PLO", "PFT") else ours
    if str(published.get("estimate") or "").strip() == "":
        return "no published estimate to compare"
    if theirs is None:
        return f"published measure {published.get('measure')!s} is not one of ours"
    if theirs != family:
        return f"a different measure (published {published.get('measure')}, ours {ours})"
    return ""


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
    jsonld: str | None = None,
    article: str | None = None,
) -> None:
    """``analyses``: id -> {pooled, grade, bias, forest, funnel, sheet, effects, title, ...}."""
    from .data import read_csv
    from .describe import describe_headline
    from .headline import headline, natural
    from .sof import summary_row

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
        interval = [head_view[key] for key in ("estimate", "ci_lower", "ci_upper")]
        head_view["said"] = describe_headline(meta, pooled, *interval)
        head_view["said_short"] = describe_headline(meta, pooled, *interval, with_direction=False)
        meta["total_n"] = _total_participants(sheet)
        numbers = sheet.apply(pd.to_numeric, errors="coerce")
        control_risks = (
            (numbers["events2"] / numbers["n2"]).dropna().tolist()
            if {"events2", "n2"} <= set(sheet.columns)
            else []
        )
        sof = summary_row(
            meta.get("outcome") or meta["title"],
            meta["total_n"],
            grade,
            pooled,
            control_risks,
            head_view,
        ).to_dict()
        sections.append(
            {
                "id": analysis_id,
                "meta": meta,
                "pooled": pooled,
                "headline": head_view,
                "sof": sof,
                "grade": grade,
                "bias": bias,
                "rows": rows,
                "leave1out": leave1out,
                "forest": _inline_svg(
                    Path(paths["forest"]).read_text(encoding="utf-8"),
                    f"forest-{analysis_id}",
                    f"Forest plot for {paths['meta'].get('title', analysis_id)}",
                ),
                "forest_alt": f"Forest plot for {paths['meta'].get('title', analysis_id)}",
                "funnel": _inline_svg(
                    Path(paths["funnel"]).read_text(encoding="utf-8"),
                    f"funnel-{analysis_id}",
                    f"Funnel plot for {paths['meta'].get('title', analysis_id)}",
                )
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
    env.filters["as_written"] = as_written
    env.filters["source_link"] = source_link
    env.globals["comparable"] = comparable
    template = env.get_template("report.html.j2")
    speakers = sorted({c["speaker"] for c in claims})
    counts = {v: sum(1 for c in claims if c["verdict"] == v) for v in VERDICTS}
    from .article import RATING_WEIGHTS, mark_claims, overall_rating
    from .plots import evidence_map

    segments, unplaced = (
        mark_claims(Path(article).read_text(encoding="utf-8"), claims) if article else ([], [])
    )
    article_speakers = {c["speaker"] for c in claims if "article" in c["speaker"]}
    page = template.render(
        evidence_map=_inline_svg(
            evidence_map(claims, VERDICTS),
            "evidence-map",
            "Heat map of the number of claims per speaker (rows) and verdict (columns)",
        ),
        article_segments=segments,
        unplaced=unplaced,
        rating_weights=RATING_WEIGHTS,
        ratings={
            "all claims": overall_rating(claims),
            "the article (author and the sources it quotes)": overall_rating(
                claims, article_speakers
            ),
            "the reader comments": overall_rating(
                claims, {c["speaker"] for c in claims} - article_speakers
            ),
        },
        jsonld=embedded_jsonld(jsonld) if jsonld else None,
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
    Path(output).write_text(page, encoding="utf-8")
