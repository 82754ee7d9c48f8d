"""What a run of the workflow costs, against what its work costs (issue 14).

In one run, in a temporary copy of the repository (its own package on PYTHONPATH, the
project's profile: 2 cores, jobs in threads), it measures:

1. ``full``: the whole workflow from clean;
2. ``noop``: a second run with nothing to do;
3. ``one_sheet_edit``: one sheet changed (a space added to a note), its hash refreshed with
   ``rlsevidence datapackage data/raw`` (timed apart as ``rehash``), then the run;
4. ``template_edit``: the report template changed (a comment added), then the run;
5. ``floor``: the same work in one plain Python process: every job call of a recorded run
   replayed in order (``rlsevidence.jobs.rule_jobs.replay``), with no Snakemake;
6. ``full_x5`` and ``floor_x5``: the same at five times the analyses (a generated analysis
   sheet repeating each analysis five times on the same data).

Each time is printed in seconds and as a ratio to the floor, with the machine's cores and
CPU; the result is written to ``benchmarks/results/workflow.json`` and ``workflow.txt``.
Not a test: speed goals live here (run it with ``python benchmarks/bench_workflow.py``).

Goals (2 cores): full <= 2 x floor; no-op <= 1.5 s; one-sheet edit <= 5 s; cost per analysis
falling as analyses are added; plots <= 1/3 of the floor.
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COPY = ("Snakefile", "workflow", "config", "data", "profiles", "src")
RECORD_ENV = "RLSEVIDENCE_RECORD_JOBS"


def environment(workdir: Path, **extra: str) -> dict:
    env = dict(os.environ)
    env.pop(RECORD_ENV, None)  # recorded only when asked (floor)
    env.update(PYTHONPATH=str(workdir / "src"), **extra)
    return env


def timed(command: list[str], workdir: Path, **extra: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        command, cwd=workdir, check=True, capture_output=True, env=environment(workdir, **extra)
    )
    return time.perf_counter() - start


def snakemake(workdir: Path, *args: str, **extra: str) -> float:
    return timed([sys.executable, "-m", "snakemake", "--quiet", *args], workdir, **extra)


def clean(workdir: Path) -> None:
    for name in ("results", "logs", ".snakemake"):
        shutil.rmtree(workdir / name, ignore_errors=True)


def floor(workdir: Path, *args: str) -> tuple[float, dict]:
    """Record a run's job calls (one core), then replay them in one fresh process."""
    record = workdir / "jobs.pickle"
    record.unlink(missing_ok=True)
    clean(workdir)
    snakemake(workdir, "--cores", "1", *args, **{RECORD_ENV: str(record)})
    clean(workdir)
    script = (
        "import json, sys, time\n"
        "start = time.perf_counter()\n"
        "from rlsevidence.jobs import rule_jobs\n"
        "n = rule_jobs.replay(sys.argv[1])\n"
        "print(json.dumps({'jobs': n, 'seconds': time.perf_counter() - start}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(record)],
        cwd=workdir, check=True, capture_output=True, text=True, env=environment(workdir),
    )  # fmt: skip
    result = json.loads(out.stdout.strip().splitlines()[-1])
    per_rule: dict[str, float] = {}
    for log in (workdir / "logs").rglob("*.log"):
        lines = log.read_text(encoding="utf-8").strip().splitlines()
        if lines and lines[-1].startswith("INFO finished in"):
            rule = log.parent.name if log.parent.name != "logs" else log.stem
            per_rule[rule] = per_rule.get(rule, 0.0) + float(lines[-1].split()[3])
    return result["seconds"], {"jobs": result["jobs"], "seconds_by_rule_folder": per_rule}


def five_times(workdir: Path) -> str:
    """An analysis sheet with every analysis five times (ids suffixed _x2.._x5)."""
    source = workdir / "config/analyses.tsv"
    with source.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    out = []
    for copy in range(1, 6):
        for row in rows:
            row = dict(row)
            if copy > 1:
                row["id"] = f"{row['id']}_x{copy}"
            out.append(row)
    target = workdir / "config/analyses_x5.tsv"
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=list(rows[0]), delimiter="\t", lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(out)
    return "config/analyses_x5.tsv"


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": cpu or platform.processor(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": datetime.date.today().isoformat(),
    }


def main() -> dict:
    report: dict = {"machine": machine()}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp) / "repo"
        workdir.mkdir()
        for name in COPY:
            source = ROOT / name
            (shutil.copytree if source.is_dir() else shutil.copy2)(source, workdir / name)
        analyses = sum(1 for _ in (workdir / "config/analyses.tsv").open()) - 1

        seconds = {}
        seconds["floor"], report["floor_detail"] = floor(workdir)
        clean(workdir)
        seconds["full"] = snakemake(workdir)
        seconds["noop"] = snakemake(workdir)
        sheet = workdir / "data/raw/sheets/iron_irls.csv"
        lines = sheet.read_text(encoding="utf-8").splitlines(keepends=True)
        lines[1] = lines[1].rstrip("\n") + " \n"
        sheet.write_text("".join(lines), encoding="utf-8")
        seconds["rehash"] = timed(
            [sys.executable, "-m", "rlsevidence.cli", "datapackage", "data/raw"], workdir
        )
        seconds["one_sheet_edit"] = snakemake(workdir)
        template = workdir / "src/rlsevidence/templates/report.html.j2"
        template.write_text(template.read_text(encoding="utf-8") + "{# edited #}\n", "utf-8")
        seconds["template_edit"] = snakemake(workdir)

        x5 = five_times(workdir)
        seconds["floor_x5"], report["floor_x5_detail"] = floor(
            workdir, "--config", f"analyses={x5}"
        )
        clean(workdir)
        seconds["full_x5"] = snakemake(workdir, "--config", f"analyses={x5}")

    floor_s = seconds["floor"]
    plots = report["floor_detail"]["seconds_by_rule_folder"].get("plots", 0.0)
    jobs_total = sum(report["floor_detail"]["seconds_by_rule_folder"].values())
    report["analyses"] = {"x1": analyses, "x5": 5 * analyses}
    report["seconds"] = {k: round(v, 2) for k, v in seconds.items()}
    report["ratio_to_floor"] = {
        k: round(v / floor_s, 2) for k, v in seconds.items() if not k.endswith("_x5")
    }
    report["ratio_to_floor"]["full_x5"] = round(seconds["full_x5"] / seconds["floor_x5"], 2)
    report["seconds_per_analysis"] = {
        "full_x1": round(seconds["full"] / analyses, 3),
        "full_x5": round(seconds["full_x5"] / (5 * analyses), 3),
    }
    report["plots_share_of_job_time"] = round(plots / jobs_total, 3) if jobs_total else None
    report["goals"] = {
        "full <= 2 x floor": seconds["full"] <= 2 * floor_s,
        "noop <= 1.5 s": seconds["noop"] <= 1.5,
        "one-sheet edit (run) <= 5 s": seconds["one_sheet_edit"] <= 5,
        "one-sheet edit with rehash <= 5 s": seconds["one_sheet_edit"] + seconds["rehash"] <= 5,
        "cost per analysis falls at 5x": report["seconds_per_analysis"]["full_x5"]
        < report["seconds_per_analysis"]["full_x1"],
        "plots <= 1/3 of the floor's job time": (report["plots_share_of_job_time"] or 1) <= 1 / 3,
    }
    lines = [f"{k:>16}: {v}" for k, v in report["machine"].items()]
    for key, value in report["seconds"].items():
        ratio = report["ratio_to_floor"].get(key)
        lines.append(f"{key:>16}: {value:7.2f} s" + (f"   {ratio:5.2f} x floor" if ratio else ""))
    lines.append(f"{'per analysis':>16}: {report['seconds_per_analysis']}")
    lines.append(f"{'plots share':>16}: {report['plots_share_of_job_time']}")
    lines += [
        f"{'goal':>16}: {'met' if ok else 'NOT met'}  {name}"
        for name, ok in report["goals"].items()
    ]
    text = "\n".join(lines)
    print(text)
    out = ROOT / "benchmarks/results"
    out.mkdir(exist_ok=True)
    (out / "workflow.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (out / "workflow.txt").write_text(text + "\n", encoding="utf-8")
    return report


if __name__ == "__main__":
    main()
