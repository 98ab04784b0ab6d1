"""What changed between a cell's recorded run and its re-run: the text it showed, the numbers that moved.

A cell's shown text is its stdout, its text results (text/plain) and its error (name: value); other outputs
(figures, HTML, JSON) are compared by content hash. stderr is left out: warnings name temporary paths and
timings that differ from run to run without the analysis changing.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from lgurban.execution.models import ExecutionOut

MAX_SHOWN = 4000  # characters of old/new text kept in a change
# a number as printed: sign, digits with optional thousands separators, decimals, exponent
NUMBER = re.compile(r"(?<![\w.])[-+]?\d+(?:[,_]\d{3})*(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w])")
_TEXT_MIMES = ("text/plain",)


@dataclass
class Moved:
    old: str
    new: str


@dataclass
class CellChange:
    old: str
    new: str
    numbers: list[Moved] = field(default_factory=list)


def shown_text(cell: ExecutionOut) -> str:
    """What a reader of the cell sees as text: stdout, text results, the error."""
    parts = [cell.stdout.rstrip("\n")] if cell.stdout.strip() else []
    parts += [o.data for o in cell.outputs if o.mime in _TEXT_MIMES]
    if cell.error is not None:
        parts.append(f"{cell.error.name}: {cell.error.value}")
    return "\n".join(parts)


def _others(cell: ExecutionOut) -> list[tuple[str, str]]:
    """(mime, sha256) of the outputs that are not plain text, in order."""
    return [
        (o.mime, hashlib.sha256(o.data.encode("utf-8", "surrogatepass")).hexdigest()[:16])
        for o in cell.outputs
        if o.mime not in _TEXT_MIMES
    ]


def _skeleton(text: str) -> str:
    return " ".join(NUMBER.sub("#", text).split())


def moved_numbers(old: str, new: str) -> list[Moved] | None:
    """The numbers that differ, pairwise, when both texts say the same around them (else None)."""
    if _skeleton(old) != _skeleton(new):
        return None
    pairs = zip(NUMBER.findall(old), NUMBER.findall(new), strict=True)
    return [Moved(a, b) for a, b in pairs if a != b]


def _bounded(text: str) -> str:
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + f"\n[… {len(text) - MAX_SHOWN:,} more]"


def compare(old: ExecutionOut, new: ExecutionOut) -> CellChange | None:
    """None when the re-run showed the same; else the old and new text and the numbers that moved."""
    old_text, new_text = shown_text(old), shown_text(new)
    old_rich, new_rich = _others(old), _others(new)
    if old_text == new_text and old_rich == new_rich and old.ok == new.ok:
        return None
    numbers = moved_numbers(old_text, new_text) or []
    if old_text == new_text:  # only a figure or another rich output differs
        old_text = ", ".join(f"[{m} {h}]" for m, h in old_rich) or "(no rich output)"
        new_text = ", ".join(f"[{m} {h}]" for m, h in new_rich) or "(no rich output)"
    return CellChange(_bounded(old_text), _bounded(new_text), numbers)
