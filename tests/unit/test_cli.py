"""The command line fixed in the design: ``rlsevidence pool`` and ``rlsevidence bias``."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from rlsevidence.cli import main

POOL_KEYS = {
    "k", "measure", "method", "hk", "level", "estimate", "se", "ci_lower", "ci_upper",
    "pvalue", "tau2", "tau2_ci_lower", "tau2_ci_upper", "i2", "h2", "q", "q_df", "q_pvalue",
    "pi_lower", "pi_upper", "backtransformed",
}  # fmt: skip

BCG = """events1,n1,events2,n2
4,123,11,139
6,306,29,303
3,231,11,220
62,13598,248,12867
33,5069,47,5808
180,1541,372,1451
8,2545,10,629
505,88391,499,88391
29,7499,45,7277
17,1716,65,1665
186,50634,141,27338
5,2498,3,2341
27,16913,29,17854
"""


@pytest.fixture
def bcg(tmp_path):
    path = tmp_path / "bcg.csv"
    path.write_text(BCG)
    return path


def run(capsys, *args):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_pool_prints_the_fixed_keys_dat_bcg(capsys, bcg):
    # metafor: rma(yi, vi, data=escalc("RR", ai=tpos, bi=tneg, ci=cpos, di=cneg, data=dat.bcg),
    #              method="REML", test="knha") -> estimate -0.7145323, tau2 0.3132433
    code, out, _ = run(capsys, "pool", bcg, "--measure", "RR", "--method", "REML", "--hk")
    assert code == 0
    result = json.loads(out)
    assert POOL_KEYS <= set(result)
    assert result["k"] == 13 and result["hk"] is True
    assert result["estimate"] == pytest.approx(-0.7145323421581, rel=1e-9)
    assert result["tau2"] == pytest.approx(0.3132432581365, rel=1e-9)
    assert set(result["backtransformed"]) == {
        "estimate",
        "ci_lower",
        "ci_upper",
        "pi_lower",
        "pi_upper",
    }


def test_keys_that_do_not_apply_are_null_not_missing(capsys, bcg):
    code, out, _ = run(capsys, "pool", bcg, "--measure", "OR", "--method", "MH")
    result = json.loads(out)
    assert code == 0
    assert POOL_KEYS <= set(result)
    assert result["tau2"] is None and result["tau2_ci_lower"] is None


def test_bias_prints_egger_begg_trimfill(capsys, bcg):
    code, out, _ = run(capsys, "bias", bcg, "--measure", "RR")
    result = json.loads(out)
    assert code == 0
    assert set(result["egger"]) >= {"t", "df", "pvalue", "intercept"}
    assert set(result["begg"]) >= {"tau", "pvalue"}
    assert set(result["trimfill"]) >= {"k0", "side", "estimate"}
    # metafor: trimfill(rma(yi, vi, data=dat, method="REML")) -> k0 = 1, side "right"
    assert result["trimfill"]["k0"] == 1 and result["trimfill"]["side"] == "right"


@pytest.mark.parametrize(
    ("content", "measure", "row", "column"),
    [
        ("events1,n1,events2\n3,10,4\n", "RR", None, "n2"),  # missing column
        (
            "n1,mean1,sd1,n2,mean2,sd2\n10,5,2,10,4,1\n12,5,-2,10,4,1\n",
            "MD",
            2,
            "sd1",
        ),  # negative SD
        ("events1,n1,events2,n2\n3,10,4,12\n13,10,4,12\n", "OR", 2, "events1"),  # events > n
        ("events,n\n3,10\nthree,12\n", "PLO", 2, "events"),  # text in a number column
        ("events1,n1,events2,n2\n3,10,-1,12\n", "RD", 1, "events2"),  # negative count
    ],
)
def test_bad_input_is_one_line_naming_file_row_column(
    tmp_path, capsys, content, measure, row, column
):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    code, out, err = run(capsys, "pool", path, "--measure", measure, "--method", "DL")
    assert code != 0
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert str(path) in lines[0]
    assert f"column '{column}'" in lines[0]
    if row is not None:
        assert f"row {row}," in lines[0]


def test_k_zero_is_rejected(tmp_path, capsys):
    path = tmp_path / "empty.csv"
    path.write_text("events1,n1,events2,n2\n")
    code, _, err = run(capsys, "pool", path, "--measure", "OR", "--method", "DL")
    assert code != 0 and "k = 0" in err and len(err.strip().splitlines()) == 1


def test_console_script_runs(bcg):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "rlsevidence.cli",
            "pool",
            str(bcg),
            "--measure",
            "OR",
            "--method",
            "PETO",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    # metafor: rma.peto(ai=tpos, bi=tneg, ci=cpos, di=cneg, data=dat.bcg) -> -0.4744463
    assert json.loads(proc.stdout)["estimate"] == pytest.approx(-0.4744463109406, rel=1e-9)


def test_validate_checks_the_whole_data_package():
    from conftest import ROOT

    proc = subprocess.run(
        [sys.executable, "-m", "rlsevidence.cli", "validate"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["claims"] > 40 and summary["sources"] > 100
    assert summary["warnings"] == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty file: no header and no rows"),
        ("study,yi,yi,vi\na,1,1,1\n", "column 'yi': column header given twice"),
    ],
)
def test_empty_or_malformed_files_end_in_one_line(tmp_path, capsys, content, message):
    sheet = tmp_path / "s.csv"
    sheet.write_text(content)
    assert main(["pool", str(sheet), "--measure", "GEN", "--method", "REML"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0] and "Traceback" not in err[0]


def test_a_fractional_level_is_rejected_with_a_clear_line(bcg, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["pool", str(bcg), "--measure", "RR", "--method", "REML", "--level", "0.95"])
    assert exit_.value.code == 2
    assert "looks like a fraction; give the level in percent, e.g. --level 95" in (
        capsys.readouterr().err
    )


def test_version_and_a_closed_pipe(bcg):
    version = subprocess.run(
        [sys.executable, "-m", "rlsevidence.cli", "--version"], capture_output=True, text=True
    )
    assert version.returncode == 0 and version.stdout.startswith("rlsevidence ")
    # `rlsevidence pool ... | head -1`: the reader closes the pipe early; no traceback
    pool = subprocess.Popen(
        [sys.executable, "-m", "rlsevidence.cli", "pool", str(bcg), "--measure", "RR",
         "--method", "REML"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    pool.stdout.read(5)
    pool.stdout.close()
    pool.wait(timeout=120)
    assert b"Traceback" not in pool.stderr.read()
