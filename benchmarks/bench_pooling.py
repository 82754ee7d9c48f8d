"""Throughput of the vectorised engine against metafor's rma() loop and statsmodels.

Pools the same 10,000 simulated meta-analyses (k = 10, seeded) with:
- rlsevidence.pooling.rma_batch, REML with Hartung-Knapp (without and with the Q-profile
  CI for tau^2), and PM;
- R metafor: a loop of rma(yi, vi, method="REML", test="knha") (only if Rscript is found);
- statsmodels: a loop of combine_effects(method_re="iterated") (Paule-Mandel), compared with
  our PM.
Prints meta-analyses per second, the ratios, and the largest disagreement of the estimates.
Goal (issue 3): >= 100x the metafor loop and >= 10x statsmodels on a 2-core machine.

Usage: python benchmarks/bench_pooling.py [--n 10000] [--k 10]
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

from rlsevidence.pooling import rma_batch

R_LOOP = r"""
suppressMessages(library(metafor))
args <- commandArgs(trailingOnly = TRUE)
y <- as.matrix(read.csv(args[1], header = FALSE)); v <- as.matrix(read.csv(args[2], header = FALSE))
est <- numeric(nrow(y)); tau2 <- numeric(nrow(y))
elapsed <- system.time(for (i in seq_len(nrow(y))) {
  r <- tryCatch(rma(y[i, ], v[i, ], method = "REML", test = "knha"), error = function(e) NULL)
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


def run_metafor(yi, vi):
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
    parser.add_argument("--output", default="benchmarks/output/pooling.json")
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

    for key, value in report.items():
        print(f"{key:42s} {value:,.6g}" if isinstance(value, float) else f"{key:42s} {value}")
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(report, indent=2) + "\n")
    return report


if __name__ == "__main__":
    main()
