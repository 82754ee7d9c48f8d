"""Second reading of every number in the data sheets (``rlsevidence check-quotes``).

A number in a sheet row is accepted when a second reader can find it again:

1. **verbatim**: it appears in the row's quote (thousands separators, signs and trailing
   zeros aside: 1,022 = 1022; -4.0 = 4.0 = 4);
2. **in words**: the quote spells it ("Thirty of 39", "One hundred twenty-four");
3. **recomputed**: the row's ``derivation`` gives it as ``column = expression`` and the
   expression, evaluated here, reproduces it (to the precision printed). Expressions may use
   + - * / ^, parentheses, ``sqrt``, ``ln``/``log``, ``exp``, ``round``, ``abs``, ``Phi^-1(p)``
   (standard normal quantile), ``t(p, df=n)`` (Student t quantile) and names defined earlier
   in the same derivation (``z = Phi^-1(1-0.0015/2) = 3.1747, sei = 3.5/z``).

Anything else fails with one line naming the file, the row and the column. The quote itself
must be in the stored excerpt of its source (checked by ``validate``).
"""

from __future__ import annotations

import ast
import csv
import math
import operator
import re
from dataclasses import dataclass
from pathlib import Path

from .data import NUMERIC_COLUMNS
from .errors import InputError

#: The numbers of a sheet row a second reader must find again (not ``year``).
NUMBER_COLUMNS = tuple(c for c in NUMERIC_COLUMNS if c != "year")
_UNITS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {
    w: 10 * i
    for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
}


@dataclass
class Finding:
    file: str
    row: int
    column: str
    value: float
    how: str  # verbatim / in words / recomputed / missing

    @property
    def ok(self) -> bool:
        return self.how != "missing"


def _plain(text: str) -> str:
    from .data import normalise_text

    text = normalise_text(text)
    text = re.sub(r"(?<=\d)[,\u2009\u202f ](?=\d{3}\b)", "", text)  # 1,022 / 15 391
    return text


def numbers_in(text: str) -> list[float]:
    """Every number written with digits in ``text`` (signs dropped)."""
    return [float(m) for m in re.findall(r"\d+(?:\.\d+)?", _plain(text))]


def numbers_in_words(text: str) -> list[int]:
    """Whole numbers spelled in words ("one hundred twenty-four" -> 124)."""
    words = re.findall(r"[a-z]+", _plain(text).replace("-", " "))
    found, current, active = [], 0, False
    for word in [*words, "."]:
        if word in _UNITS:
            current += _UNITS[word]
            active = True
        elif word in _TENS:
            current += _TENS[word]
            active = True
        elif word == "hundred" and active:
            current *= 100
        elif word == "thousand" and active:
            current *= 1000
        elif word == "and" and active:
            continue
        else:
            if active:
                found.append(current)
            current, active = 0, False
    return found


def _same(value: float, candidate: float) -> bool:
    """Equal at the precision the value is written with (e.g. 1.27553 vs 1.275529...)."""
    text = repr(abs(value))
    decimals = len(text.split(".")[1]) if "." in text and not text.endswith(".0") else 0
    return abs(abs(value) - abs(candidate)) <= 0.5 * 10 ** (-decimals) + 1e-9


def _ndtri(p: float) -> float:
    from scipy.special import ndtri

    return float(ndtri(p))


def _t_quantile(p: float, df: float) -> float:
    from scipy.special import stdtrit

    return float(stdtrit(df, p))


_FUNCTIONS = {
    "sqrt": math.sqrt,
    "ln": math.log,
    "log": math.log,
    "exp": math.exp,
    "round": round,
    "abs": abs,
    "ndtri": _ndtri,
    "tq": _t_quantile,
}
_OPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}


def _eval(node, names: dict[str, float]) -> float:
    if isinstance(node, ast.Expression):
        return _eval(node.body, names)
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_eval(node.left, names), _eval(node.right, names))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_eval(node.operand, names))
    if isinstance(node, ast.Name) and node.id in names:
        return names[node.id]
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _FUNCTIONS
        and all(isinstance(k.arg, str) for k in node.keywords)
    ):
        args = [_eval(a, names) for a in node.args] + [_eval(k.value, names) for k in node.keywords]
        return float(_FUNCTIONS[node.func.id](*args))
    raise ValueError("not an arithmetic expression")


def evaluate(expression: str, names: dict[str, float] | None = None) -> float | None:
    """The value of the longest prefix of ``expression`` that is arithmetic, or None."""
    text = expression.replace("^", "**").replace("\u2212", "-").replace("×", "*")
    text = re.sub(r"Phi\*\*-1\s*\(", "ndtri(", text)
    text = re.sub(r"\bt\(", "tq(", text)
    cuts = [m.start() for m in re.finditer(r"\s|$|;|,\s|=", text)]
    for cut in sorted(set(cuts), reverse=True):
        candidate = text[:cut].strip()
        if not candidate or not re.search(r"\d|[a-z]", candidate):
            continue
        try:
            value = _eval(ast.parse(candidate, mode="eval"), names or {})
        except (SyntaxError, ValueError, ZeroDivisionError, TypeError, OverflowError):
            continue
        if math.isfinite(value):
            return value
    return None


def derived_values(derivation: str) -> dict[str, list[float]]:
    """``name = expression`` pairs of a derivation, evaluated in order (later ones may use
    names defined earlier). A name may carry a parenthesised label: ``n2 (men) = ...``."""
    names: dict[str, float] = {}
    out: dict[str, list[float]] = {}
    pattern = re.compile(r"\b([A-Za-z][A-Za-z0-9_]*)\s*(?:\([^()=]*\)\s*)?=(?!=)\s*")
    for match in pattern.finditer(derivation):
        value = evaluate(derivation[match.end() :], names)
        if value is None:
            continue
        name = match.group(1)
        names[name] = value
        out.setdefault(name, []).append(value)
    return out


def check_row(row: dict, *, file: str, number: int) -> list[Finding]:
    """How each number of one sheet row is found again (see the module docstring)."""
    quote = row.get("quote") or ""
    in_quote = numbers_in(quote)
    in_words = numbers_in_words(quote)
    derived = derived_values(row.get("derivation") or "")
    findings = []
    for column in NUMBER_COLUMNS:
        text = (row.get(column) or "").strip()
        if not text:
            continue
        try:
            value = float(text)
        except ValueError:
            continue  # validate reports text in a number column
        if any(_same(value, q) for q in in_quote):
            how = "verbatim"
        elif value.is_integer() and int(abs(value)) in in_words:
            how = "in words"
        elif any(_same(value, d) for d in derived.get(column, [])):
            how = "recomputed"
        else:
            how = "missing"
        findings.append(Finding(file, number, column, value, how))
    return findings


def check_sheet(path: str | Path) -> list[Finding]:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    findings = []
    for number, row in enumerate(rows, 1):
        findings += check_row(row, file=str(path), number=number)
    return findings


def check_directory(root: str | Path) -> dict:
    """Check every sheet under ``root/sheets``: each quote is in the stored excerpt of its
    source (``root/sources.csv``, ``root/excerpts.jsonl``) and each number is found again.
    Raise InputError at the first failure, else return counts per way of finding."""
    from .data import Registry, load_excerpts, load_sources, quote_problem

    root = Path(root)
    registry = Registry(load_sources(root / "sources.csv"), load_excerpts(root / "excerpts.jsonl"))
    counts = {"verbatim": 0, "in words": 0, "recomputed": 0}
    sheets = sorted(root.glob("sheets/*.csv"))
    for sheet in sheets:
        with open(sheet, newline="", encoding="utf-8") as handle:
            for number, row in enumerate(csv.DictReader(handle), 1):
                problem = quote_problem(
                    registry, row.get("source_id") or "", row.get("quote") or ""
                )
                if problem:
                    column = "quote" if problem.startswith("quote") else "source_id"
                    raise InputError(problem, file=str(sheet), row=number, column=column)
        for finding in check_sheet(sheet):
            if not finding.ok:
                raise InputError(
                    f"{finding.value:g} is neither in the quote (as digits or words) nor "
                    "recomputed by the derivation",
                    file=finding.file,
                    row=finding.row,
                    column=finding.column,
                )
            counts[finding.how] += 1
    return {"sheets": len(sheets), "numbers": counts}
