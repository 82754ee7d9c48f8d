"""Code fingerprints: which of the package's code a workflow job depends on.

Every rule carries the fingerprint of its job's code as a parameter, so Snakemake reruns a
job when that code changes (its code trigger only sees the rule's own script). The
fingerprint covers the job module and, transitively, every module of this package it imports
(at the top or inside a function), and the report's templates for the report job only; so
editing the report template reruns only the report, and editing ``pooling.py`` reruns every
job that pools.
"""

from __future__ import annotations

import ast
import functools
import hashlib
from pathlib import Path

ROOT = Path(__file__).parent
#: Files that a module uses without importing them.
DATA_FILES = {"report.py": ("templates/*.j2",)}


def _module_file(dotted: str) -> Path | None:
    path = ROOT.joinpath(*dotted.split("."))
    if path.with_suffix(".py").is_file():
        return path.with_suffix(".py")
    if (path / "__init__.py").is_file():
        return path / "__init__.py"
    return None


def _package_of(path: Path) -> list[str]:
    return list(path.relative_to(ROOT).parent.parts)


def imported_modules(path: Path) -> set[Path]:
    """The package's own modules that ``path`` imports (relative or ``rlsevidence.*``)."""
    stat = path.stat()
    return set(_imported_modules(path, stat.st_mtime_ns, stat.st_size))


@functools.cache
def _imported_modules(path: Path, mtime_ns: int, size: int) -> frozenset[Path]:
    """Parsed once per file version: the workflow fingerprints nine jobs that share most
    modules, and parsing each module once per job cost half a second per run."""
    found: set[Path] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = _package_of(path)
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                prefix = ".".join([*base, *(node.module.split(".") if node.module else [])])
            elif node.module and node.module.split(".")[0] == "rlsevidence":
                prefix = ".".join(node.module.split(".")[1:])
            else:
                continue
            targets = [f"{prefix}.{alias.name}".strip(".") for alias in node.names]
            targets.append(prefix)
        elif isinstance(node, ast.Import):
            targets = [
                ".".join(a.name.split(".")[1:])
                for a in node.names
                if a.name.split(".")[0] == "rlsevidence"
            ]
        for dotted in targets:
            if dotted and (file := _module_file(dotted)) is not None:
                found.add(file)
        # every package on the way is imported too (its __init__ runs)
    for file in list(found):
        parts = file.relative_to(ROOT).parts[:-1]
        for i in range(1, len(parts) + 1):
            init = ROOT.joinpath(*parts[:i], "__init__.py")
            if init.is_file():
                found.add(init)
    return frozenset(found)


def dependencies(entry: str) -> list[Path]:
    """``entry`` (a path relative to the package, e.g. ``jobs/pool.py``) and every module of
    the package it needs, with the data files those modules read."""
    todo = [ROOT / entry, ROOT / "__init__.py"]
    seen: set[Path] = set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        todo.extend(imported_modules(path) - seen)
    files = set(seen)
    for path in seen:
        for pattern in DATA_FILES.get(path.relative_to(ROOT).as_posix(), ()):
            files.update(ROOT.glob(pattern))
    return sorted(files)


def code_fingerprint(entry: str) -> str:
    """sha256 (16 hex digits) of the code ``entry`` depends on."""
    digest = hashlib.sha256()
    for path in dependencies(entry):
        stat = path.stat()
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(_file_digest(path, stat.st_mtime_ns, stat.st_size))
    return digest.hexdigest()[:16]


@functools.cache
def _file_digest(path: Path, mtime_ns: int, size: int) -> bytes:
    """sha256 of one file version (read once however many jobs depend on it)."""
    return hashlib.sha256(path.read_bytes()).digest()
