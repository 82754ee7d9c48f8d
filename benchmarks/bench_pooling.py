"""Throughput of the vectorised engine, and the speed of one rma() fit, against metafor and
statsmodels.

Batch (issue 3): pools the same 10,000 simulated meta-analyses (k = 10, seeded) with
- rlsevidence.pooling.rma_batch, REML with Hartung-Knapp (without and with the Q-profile
  CI for tau^2), and PM;
- R metafor: a loop of rma(yi, vi, method="REML", test="knha") (only if Rscript is found);
- statsmodels: a loop of combine_effects(method_re="iterated") (Paule-Mandel), compared with
  our PM.
Goal: >= 100x the metafor loop and >= 10x statsmodels on a 2-core machine.

One fit (issue 14): the time per call of rma(yi=..., vi=..., method=...) (the scalar path, always
with the Q-profile tau^2 CI and the full MetaResult) for REML and PM on the first 2,000 of
those analyses, against a loop of statsmodels' combine_effects(method_re="iterated") (PM; it
has no REML, so our REML is compared with it too) and a loop of metafor's rma(yi, vi,
method=...) (which computes no tau^2 CI; confint() does). Goal: at least as fast as
statsmodels and >= 5x faster than metafor, per fit.

Prints meta-analyses per second or ms per fit, the ratios, and the largest disagreement of the
estimates.

Usage: python benchmarks/bench_pooling.py [--n 10000] [--k 10] [--n-single 2000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
from statsmodels.stats.meta_analysis import combine_effects

from rlsevidence import scalar
from rlsevidence.pooling import INVERSE_VARIANCE_METHODS as METHODS
from rlsevidence.pooling import rma, rma_batch

R_LOOP = r"""
suppressMessages(library(metafor))
args <- commandArgs(trailingOnly = TRUE)
y <- as.matrix(read.csv(args[1], header = FALSE)); v <- as.matrix(read.csv(args[2], header = FALSE))
method <- args[4]; test <- args[5]
est <- numeric(nrow(y)); tau2 <- numeric(nrow(y))
elapsed <- system.time(for (i in seq_len(nrow(y))) {
  r <- tryCatch(rma(y[i, ], v[i, ], method = method, test = test), error = function(e) NULL)
  if (is.null(r)) { est[i] <- NA; tau2[i] <- NA } else { est[i] <- r$beta[1]; tau2[i] <- r$tau2 }
})[["elapsed"]]
write.csv(data.frame(est = est, tau2 = tau2), args[3], row.names = FALSE)
cat(elapsed, "\n")
"""


def simulate(n: int, k: int, seed: int = 20261124):
    rng = np.random.default_rng(seed)
    vi = rng.uniform(0.02, 0.3, size=(n, k))
    tau2 = rng.choice([0.0, 0.05, 0.2], size=(n, 1))
    yi = 0.3 + rng.normal(0, np.sqrt(tau2), size=(n, k)) + rng.normal(0, np.sqrt(vi))
    return yi, vi


def timed(fn, repeat: int = 3):
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def per_fit(calls: dict, n: int, repeat: int = 5) -> dict:
    """ms per call of each ``fn(i)`` (i < n) in ``calls``: the best of ``repeat`` loops, taken
    in turns so that a slow spell of the machine does not favour one of them."""
    best = dict.fromkeys(calls, float("inf"))
    for _ in range(repeat):
        for name, fn in calls.items():
            start = time.perf_counter()
            for i in range(n):
                fn(i)
            best[name] = min(best[name], time.perf_counter() - start)
    return {name: value / n * 1e3 for name, value in best.items()}


def run_metafor(yi, vi, method: str = "REML", test: str = "knha"):
    if shutil.which("Rscript") is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        np.savetxt(tmp / "y.csv", yi, delimiter=",", fmt="%.17g")
        np.savetxt(tmp / "v.csv", vi, delimiter=",", fmt="%.17g")
        (tmp / "loop.R").write_text(R_LOOP)
        proc = subprocess.run(
            [
                "Rscript",
                str(tmp / "loop.R"),
                str(tmp / "y.csv"),
                str(tmp / "v.csv"),
                str(tmp / "out.csv"),
                method,
                test,
            ],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            print("metafor loop failed:", proc.stderr[-500:])
            return None
        elapsed = float(proc.stdout.split()[-1])
        out = np.genfromtxt(tmp / "out.csv", delimiter=",", skip_header=1, missing_values="NA")
        return elapsed, out[:, 0], out[:, 1]


def main() -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--n-single", type=int, default=2_000)
    parser.add_argument("--output", default="benchmarks/results/pooling.json")
    args = parser.parse_args()
    yi, vi = simulate(args.n, args.k)
    n = args.n
    report: dict = {"n": n, "k": args.k}

    t_reml, reml = timed(lambda: rma_batch(yi, vi, "REML", hk=True, tau2_ci=False))
    t_reml_ci, _ = timed(lambda: rma_batch(yi, vi, "REML", hk=True, tau2_ci=True))
    t_pm, pm = timed(lambda: rma_batch(yi, vi, "PM", tau2_ci=False))
    report["ours_reml_hk_per_s"] = n / t_reml
    report["ours_reml_hk_with_tau2_ci_per_s"] = n / t_reml_ci
    report["ours_pm_per_s"] = n / t_pm

    start = time.perf_counter()
    sm_tau2 = np.array([combine_effects(yi[i], vi[i], method_re="iterated").tau2 for i in range(n)])
    t_sm = time.perf_counter() - start
    report["statsmodels_pm_per_s"] = n / t_sm
    report["ratio_vs_statsmodels_pm"] = t_sm / t_pm
    report["ratio_vs_statsmodels_pm_with_tau2_ci"] = (
        t_sm / timed(lambda: rma_batch(yi, vi, "PM"))[0]
    )
    report["max_abs_diff_tau2_vs_statsmodels"] = float(
        np.max(np.abs(pm.tau2 - np.maximum(sm_tau2, 0)))
    )

    metafor = run_metafor(yi, vi)
    if metafor is not None:
        t_mf, est, tau2 = metafor
        report["metafor_reml_knha_per_s"] = n / t_mf
        report["ratio_vs_metafor"] = t_mf / t_reml
        report["ratio_vs_metafor_with_tau2_ci"] = t_mf / t_reml_ci
        ok = np.isfinite(est)
        report["metafor_failed_to_converge"] = int((~ok).sum())
        report["ours_flagged_not_converged"] = int((~reml.converged).sum())
        # metafor's default Fisher-scoring threshold is 1e-5, so agreement is to about that.
        report["max_abs_diff_estimate_vs_metafor"] = float(np.max(np.abs(reml.estimate - est)[ok]))
        report["max_abs_diff_tau2_vs_metafor"] = float(np.max(np.abs(reml.tau2 - tau2)[ok]))
    else:
        report["metafor"] = "Rscript not found: metafor comparison skipped"

    report.update(single_fits(yi[: args.n_single], vi[: args.n_single]))

    for key, value in report.items():
        print(f"{key:42s} {value:,.6g}" if isinstance(value, float) else f"{key:42s} {value}")
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(report, indent=2) + "\n")
    return report


def single_fits(yi, vi) -> dict:
    """ms per rma() fit (the scalar path) against statsmodels' and metafor's loops (issue 14)."""
    n, k = yi.shape
    Y, V = yi.tolist(), vi.tolist()
    calls = {m: lambda i, m=m: rma(yi=yi[i], vi=vi[i], method=m) for m in METHODS}
    # The split of REML and PM: estimate and inference, and the Q-profile CI for tau^2.
    for m in ("REML", "PM"):
        for ci in (False, True):
            calls[(m, ci)] = lambda i, m=m, ci=ci: scalar.fit(
                Y[i], V[i], m, False, 95.0, "metafor", ci
            )
    calls["statsmodels"] = lambda i: combine_effects(yi[i], vi[i], method_re="iterated")
    timing = per_fit(calls, n)
    ours = {m: timing[m] for m in METHODS}
    split = {(m, ci): timing[(m, ci)] for m in ("REML", "PM") for ci in (False, True)}
    sm = timing["statsmodels"]
    metafor = {}
    for m in ("REML", "PM"):
        if (run := run_metafor(yi, vi, m, test="z")) is not None:
            metafor[m] = run[0] / n * 1e3

    print(f"\nOne fit, k = {k}, {n:,} seeded analyses: ms per fit (best of 5 loops)")
    print("  ours: rma(), always with the Q-profile tau² CI, returning the full MetaResult")
    for m, value in ours.items():
        print(f"    {m:5s} {value:8.4f}")
    for m in ("REML", "PM"):
        fit, with_ci = split[(m, False)], split[(m, True)]
        print(
            f"    {m:5s} = estimate and inference {fit:.4f} + tau² CI {with_ci - fit:.4f}"
            f" + input and MetaResult {ours[m] - with_ci:.4f}"
        )
    print(f"  statsmodels combine_effects(method_re='iterated'), PM, no tau² CI: {sm:.4f}")
    for m, value in metafor.items():
        print(f"  metafor rma(yi, vi, method='{m}'), no tau² CI (confint() does it): {value:.4f}")
    if not metafor:
        print("  metafor: Rscript not found, skipped")
    print("Ratios: their ms per fit / ours (> 1: ours is faster, although ours also computes the")
    print("Q-profile tau² CI and theirs do not)")
    print(f"  statsmodels PM / our PM    {sm / ours['PM']:6.2f}  (goal >= 1)")
    ratio = sm / ours["REML"]
    print(f"  statsmodels PM / our REML  {ratio:6.2f}  (goal >= 1; statsmodels has no REML)")
    for m, value in metafor.items():
        print(f"  metafor {m:4s} / our {m:4s}  {value / ours[m]:6.2f}  (goal >= 5)")

    out: dict = {"single_n": n}
    out.update({f"single_ours_{m.lower()}_ms": value for m, value in ours.items()})
    for (m, ci), value in split.items():
        out[f"single_scalar_fit_{m.lower()}{'_with_tau2_ci' if ci else ''}_ms"] = value
    out["single_statsmodels_pm_ms"] = sm
    out["single_ratio_statsmodels_pm_over_ours_pm"] = sm / ours["PM"]
    out["single_ratio_statsmodels_pm_over_ours_reml"] = sm / ours["REML"]
    for m, value in metafor.items():
        out[f"single_metafor_{m.lower()}_ms"] = value
        out[f"single_ratio_metafor_over_ours_{m.lower()}"] = value / ours[m]
    return out


if __name__ == "__main__":
    main()
