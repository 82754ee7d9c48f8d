"""Project hygiene: formatting, linting, pins, and the integrity of the real data."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    path = BIN / name
    return str(path) if path.exists() else shutil.which(name) or name


def test_ruff_lint_and_format():
    subprocess.run([tool("ruff"), "check", "."], cwd=ROOT, check=True)
    subprocess.run([tool("ruff"), "format", "--check", "."], cwd=ROOT, check=True)


def test_snakefmt():
    subprocess.run([tool("snakefmt"), "--check", "Snakefile", "workflow"], cwd=ROOT, check=True)


def test_snakemake_lint_is_clean():
    proc = subprocess.run(
        [sys.executable, "-m", "snakemake", "--lint"], cwd=ROOT, capture_output=True, text=True
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "Lints for" not in output, output
    assert "good condition" in output


def _pins_pyproject() -> dict[str, str]:
    text = (ROOT / "pyproject.toml").read_text()
    return {
        m.group(1).lower(): m.group(2) for m in re.finditer(r'"([A-Za-z0-9_.-]+)==([^"]+)"', text)
    }


def _pins_conda(path: Path) -> dict[str, str]:
    env = yaml.safe_load(path.read_text())
    pins = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and "=" in dep:
            name, version = dep.split("=", 1)
            pins[name.lower()] = version
    return pins


def test_environment_yml_pins_the_same_versions_as_pyproject():
    pyproject = _pins_pyproject()
    for path in (ROOT / "environment.yml",):
        conda = _pins_conda(path)
        conda.pop("python")
        for name, version in conda.items():
            assert pyproject.get(name) == version, (
                f"{path.name}: {name} {version} vs {pyproject.get(name)}"
            )
    runtime = {"numpy", "scipy", "pandas", "statsmodels", "matplotlib", "seaborn", "snakemake"}
    assert runtime <= set(_pins_conda(ROOT / "environment.yml"))
    assert pyproject["snakemake"].startswith("9.")


def test_lock_file_agrees_with_pyproject():
    lock = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            lock[name.lower()] = version.strip()
    for name, version in _pins_pyproject().items():
        assert lock.get(name) == version, name


def test_claim_quotes_are_verbatim_in_the_article_and_comments():
    import pandas as pd

    from rlsevidence.data import normalise_text

    article = normalise_text((ROOT / "data/raw/article-and-comments.txt").read_text())
    claims = pd.read_csv(ROOT / "data/raw/claims.csv", dtype=str, keep_default_na=False)
    assert len(claims) > 40
    for quote in claims["quote"]:
        assert normalise_text(quote) in article, quote


def test_every_sheet_of_the_config_validates_and_every_number_is_traceable():
    from rlsevidence.config import load_analyses
    from rlsevidence.data import validate_sheet
    from rlsevidence.jobs.validate import load_registry

    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    registry = load_registry(str(ROOT / config["sources"]), str(ROOT / config["excerpts"]))
    for analysis, entry in load_analyses(ROOT / config["analyses"]).items():
        frame, _ = validate_sheet(ROOT / entry["data"], entry["measure"], registry)
        assert len(frame) >= 1, analysis


def test_datapackage_hashes_match_the_files():
    from rlsevidence.datapackage import check_hash

    package = ROOT / "data/raw/datapackage.json"
    described = json.loads(package.read_text())["resources"]
    files = {r["path"] for r in described}
    on_disk = {
        p.relative_to(ROOT / "data/raw").as_posix()
        for p in (ROOT / "data/raw").rglob("*")
        if p.is_file()
    }
    assert files == on_disk - {"datapackage.json"}
    for resource in described:
        check_hash(ROOT / "data/raw" / resource["path"], package)


def test_yaml_is_loaded_safely_everywhere():
    for path in list((ROOT / "src").rglob("*.py")) + list((ROOT / "workflow").rglob("*.py")):
        text = path.read_text()
        assert "yaml.load(" not in text and "yaml.unsafe_load" not in text, path


@pytest.mark.parametrize("bad", ["../etc", "Sibo", "a-b", "1abc", "x" * 65, "a/b"])
def test_ids_used_in_paths_are_checked(bad):
    from rlsevidence.data import check_id
    from rlsevidence.errors import InputError

    with pytest.raises(InputError):
        check_id(bad)


def test_frictionless_validates_the_data_package():
    # The Frictionless Framework users validate Data Packages with (tools/setup-frictionless.sh
    # installs it; run-tests.sh runs that): types, hashes, the source_id foreign keys.
    import subprocess

    tool = ROOT / ".venv-frictionless/bin/frictionless"
    if not tool.exists():
        pytest.skip("frictionless is not installed (run tools/setup-frictionless.sh)")
    proc = subprocess.run(
        [str(tool), "validate", "data/raw/datapackage.json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_slurm_profile_names_only_rules_of_the_workflow():
    # The cluster profile (profiles/slurm) groups and sizes rules by name: a renamed rule
    # must not leave it pointing at nothing. (Running it needs a SLURM cluster and
    # snakemake-executor-plugin-slurm; see profiles/slurm/config.yaml.)
    profile = yaml.safe_load((ROOT / "profiles/slurm/config.yaml").read_text())
    rules = set(re.findall(r"^rule (\w+):", _all_rules(), re.M))
    assert profile["executor"] == "slurm"
    assert set(profile["groups"]) <= rules
    assert set(profile["set-resources"]) <= rules
    assert set(profile["group-components"]) == set(profile["groups"].values())


def _all_rules() -> str:
    return "\n".join(p.read_text() for p in sorted((ROOT / "workflow/rules").glob("*.smk")))
