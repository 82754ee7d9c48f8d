"""The Frictionless Data Package of ``data/raw/``: its descriptor (every CSV a typed tabular
resource with its sha256, sources.source_id a primary key and every other source_id a foreign
key to it; text files plain resources) and the hash check every workflow step runs."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

from .data import NUMERIC_COLUMNS, read_csv
from .errors import InputError


def sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


_FIELD_TYPES = {c: "number" for c in NUMERIC_COLUMNS} | {
    "year": "integer",
    # published_pooled.csv and propositions.csv
    "estimate": "number",
    "ci_lower": "number",
    "ci_upper": "number",
    "k": "integer",
    "participants": "integer",
    "value": "number",
    "band_lower": "number",
    "band_upper": "number",
}


def describe_csv(path: Path, root: Path) -> dict:
    with open(path, newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    name = path.relative_to(root).with_suffix("").as_posix().replace("/", "-").replace("_", "-")
    schema: dict = {"fields": [{"name": c, "type": _FIELD_TYPES.get(c, "string")} for c in header]}
    if name == "sources":
        schema["primaryKey"] = ["source_id"]
    elif "source_id" in header:
        # every row names a source of sources.csv (empty allowed: an item of our own analysis)
        schema["foreignKeys"] = [
            {"fields": ["source_id"], "reference": {"resource": "sources", "fields": ["source_id"]}}
        ]
    return {
        "name": name,
        "path": path.relative_to(root).as_posix(),
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "hash": f"sha256:{sha256(path)}",
        "schema": schema,
    }


def build_datapackage(root: str | Path) -> dict:
    """A Data Package descriptor for every CSV and JSON file under ``root``."""
    root = Path(root)
    resources = []
    for path in sorted(root.rglob("*")):
        if path.name == "datapackage.json" or not path.is_file():
            continue
        if path.suffix == ".csv":
            resources.append(describe_csv(path, root))
        elif path.suffix in (".json", ".jsonl", ".txt"):
            resources.append(
                {
                    "name": path.relative_to(root)
                    .as_posix()
                    .replace("/", "-")
                    .replace("_", "-")
                    .replace(".", "-"),
                    "path": path.relative_to(root).as_posix(),
                    # a plain (not tabular) resource: the stored page text, one JSON object
                    # per line for excerpts.jsonl; Frictionless checks its bytes and hash
                    "type": "file" if path.suffix == ".jsonl" else "text",
                    "format": path.suffix.lstrip("."),
                    "mediatype": {
                        ".jsonl": "application/jsonl",
                        ".json": "application/json",
                        ".txt": "text/plain",
                    }[path.suffix],
                    "encoding": "utf-8",
                    "hash": f"sha256:{sha256(path)}",
                }
            )
    return {
        "profile": "data-package",
        "name": "rls-evidence-raw",
        "title": "Published summary data on restless legs syndrome, with provenance",
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}],
        "resources": resources,
    }


def write_datapackage(root: str | Path) -> Path:
    root = Path(root)
    target = root / "datapackage.json"
    target.write_text(json.dumps(build_datapackage(root), indent=2) + "\n", encoding="utf-8")
    return target


def check_hash(path: str | Path, package_path: str | Path) -> None:
    """The file's sha256 must equal the one its Data Package resource records."""
    path, package_path = Path(path), Path(package_path)
    try:
        package = json.loads(package_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise InputError(f"cannot read data package: {error}", file=str(package_path)) from None
    try:
        relative = path.resolve().relative_to(package_path.parent.resolve()).as_posix()
    except ValueError:
        raise InputError(
            f"outside the data package ({package_path.parent}): every hand-made input must be "
            "under it, described in datapackage.json",
            file=str(path),
        ) from None
    if not isinstance(package, dict):
        raise InputError("not a Data Package descriptor (a JSON object)", file=str(package_path))
    for resource in package.get("resources", []):
        if resource.get("path") == relative:
            expected = str(resource.get("hash", "")).removeprefix("sha256:")
            actual = sha256(path)
            if expected != actual:
                raise InputError(
                    f"sha256 {actual[:12]}... does not match datapackage.json "
                    f"({expected[:12]}...); if the change is intended run "
                    "'rlsevidence datapackage data/raw'",
                    file=str(path),
                )
            header = list(read_csv(path).columns) if path.suffix == ".csv" else None
            if header is not None:
                declared = [f["name"] for f in resource.get("schema", {}).get("fields", [])]
                if declared != header:
                    raise InputError(
                        "columns differ from the schema in datapackage.json", file=str(path)
                    )
            return
    raise InputError(f"not described in {package_path}", file=str(path))
