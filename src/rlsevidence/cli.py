"""Command line: ``rlsevidence pool|bias|validate|datapackage|check-quotes``.

``rlsevidence pool FILE.csv --measure M --method X [--hk] [--level 95]`` prints one JSON
object with the keys fixed in the design; bad input exits with status 2 and one line on
stderr naming the file, the row and the column.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .errors import InputError


def _dump(obj) -> str:
    return json.dumps(obj, indent=2, allow_nan=False)


def _read(path: str):
    from .data import read_csv

    return read_csv(path)


def level_percent(text: str) -> float:
    """``--level``: a confidence level in percent (95); a fraction (0.95) is rejected with a
    clear message rather than read as 0.95%."""
    try:
        level = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if 0 < level < 1:
        raise argparse.ArgumentTypeError(
            f"{text} looks like a fraction; give the level in percent, e.g. --level {level * 100:g}"
        )
    if not 1 <= level < 100:
        raise argparse.ArgumentTypeError("the level must be a percentage between 1 and 100")
    return level


def cmd_pool(args) -> dict:
    from .analysis import pool_frame

    result, _ = pool_frame(
        _read(args.file),
        args.measure,
        args.method,
        hk=args.hk,
        level=args.level,
        pi_type=args.pi_type,
        add=args.add,
        to=args.to,
    )
    return result.to_dict()


def cmd_bias(args) -> dict:
    from .analysis import bias_frame

    return bias_frame(_read(args.file), args.measure, args.method).to_dict()


def cmd_datapackage(args) -> dict:
    from .datapackage import write_datapackage

    target = write_datapackage(args.directory)
    return {"written": str(target)}


def cmd_validate(args) -> dict:
    from .jobs.registry import validate_all

    return validate_all(args.config)


def cmd_check_quotes(args) -> dict:
    from .checkquotes import check_directory

    return check_directory(args.directory)


def _version() -> str:
    import importlib.metadata

    try:
        return importlib.metadata.version("rlsevidence")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    from .measures import MEASURES
    from .pooling import METHODS, PI_TYPES

    parser = argparse.ArgumentParser(prog="rlsevidence", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    pool = sub.add_parser("pool", help="pool one data sheet and print JSON")
    pool.add_argument("file")
    pool.add_argument("--measure", required=True, choices=MEASURES, type=str.upper)
    pool.add_argument("--method", required=True, choices=METHODS, type=str.upper)
    pool.add_argument("--hk", action="store_true", help="Hartung-Knapp adjustment")
    pool.add_argument("--level", type=level_percent, default=95.0, help="percent, e.g. 95")
    pool.add_argument("--pi-type", choices=PI_TYPES, default="metafor")
    pool.add_argument("--add", type=float, default=0.5, help="continuity correction")
    pool.add_argument("--to", choices=("only0", "all", "if0all", "none"), default="only0")
    pool.set_defaults(run=cmd_pool)
    bias = sub.add_parser("bias", help="small-study effects tests for one sheet")
    bias.add_argument("file")
    bias.add_argument("--measure", required=True, choices=MEASURES, type=str.upper)
    bias.add_argument("--method", default="REML", choices=METHODS, type=str.upper)
    bias.set_defaults(run=cmd_bias)
    package = sub.add_parser("datapackage", help="(re)write data/raw/datapackage.json")
    package.add_argument("directory", nargs="?", default="data/raw")
    package.set_defaults(run=cmd_datapackage)
    validate = sub.add_parser("validate", help="check every sheet, source and claim")
    validate.add_argument("--config", default="config/config.yaml")
    validate.set_defaults(run=cmd_validate)
    quotes = sub.add_parser(
        "check-quotes",
        help="second reading: every sheet number found again in its quote or derivation",
    )
    quotes.add_argument("directory", nargs="?", default="data/raw")
    quotes.set_defaults(run=cmd_check_quotes)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        output = args.run(args)
    except InputError as error:
        file = getattr(args, "file", None)
        print(f"error: {error.located(file=file)}", file=sys.stderr)
        return 2
    except FileNotFoundError as error:
        print(f"error: {Path(error.filename or '')}: file not found", file=sys.stderr)
        return 2
    try:
        print(_dump(output))
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader (e.g. `| head`) closed the pipe: not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
