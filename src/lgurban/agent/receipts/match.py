"""Each figure of an answer matched against the numbers of the thread's tool outputs (issue 15, receipts).

`check_answer(text, sources)` → Check(receipts, unverified). A figure matches a source number when that
number, rounded to the precision the answer wrote, is the figure ("7,51 milioni" matches 7_512_345;
"12,5 %" matches 12.46 and also the fraction 0.1246); signs are ignored ("a drop of 5 %" matches -5.0).
When several outputs have the number the latest code cell wins, then the latest other output.
Pure: sorted source values and a binary search per figure reading.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from lgurban.agent.receipts.extract import Figure, extract_numbers

# numbers as programs print them: 1234.5, 1,234.5, 1.2e+06, -3 (and "1.234,5" when formatted Italian-style)
_SOURCE_NUMBER = re.compile(r"(?<![\w])\d(?:[\d.,]*\d)?(?:[eE][-+]?\d+)?")
_EPS = 1e-9


@dataclass(frozen=True)
class Source:
    """One recorded tool output: its text, the cell that printed it, the datasets behind it."""

    text: str
    execution_id: str | None = None
    dataset_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Receipt:
    text: str
    value: float
    execution_id: str | None
    dataset_ids: list[str]
    start: int
    end: int


@dataclass(frozen=True)
class Unverified:
    text: str
    start: int
    end: int


@dataclass
class Check:
    receipts: list[Receipt] = field(default_factory=list)
    unverified: list[Unverified] = field(default_factory=list)


@functools.lru_cache(maxsize=65_536)
def _source_values(token: str) -> tuple[float, ...]:
    """Every reading of a printed number (a separator may be either kind when the program formatted it)."""
    if "e" in token or "E" in token:
        try:
            return (float(token.replace(",", "")),)
        except ValueError:
            return ()
    if token.count(".") + token.count(",") == 0:
        return (float(token),)
    out = []
    for thousands, decimal in ((",", "."), (".", ",")):
        candidate = token.replace(thousands, "").replace(decimal, ".")
        if candidate.count(".") <= 1:
            try:
                out.append(float(candidate))
            except ValueError:
                pass
    return tuple(out)


@functools.lru_cache(maxsize=1_024)
def _numbers_of(text: str) -> frozenset[float]:
    """Every number `text` prints, unsigned, each reading (a tool output is checked again every answer)."""
    out: set[float] = set()
    for token in set(_SOURCE_NUMBER.findall(text)):
        if token.isdigit():
            out.add(float(token))
        else:
            out.update(abs(v) for v in _source_values(token))
    return frozenset(out)


class SourceIndex:
    """The numbers of every source, sorted, each with the best source that printed it."""

    def __init__(self, sources: Sequence[Source]) -> None:
        # worst first (the other outputs oldest first, then the cells oldest first): a better source that
        # printed the same number takes it over
        order = sorted(range(len(sources)), key=lambda i: (sources[i].execution_id is not None, i))
        best: dict[float, int] = {}
        for i in order:
            best.update(dict.fromkeys(_numbers_of(sources[i].text), i))
        self.sources = list(sources)
        self.values = sorted(best)
        self.owner = [best[v] for v in self.values]
        self.rank = {i: r for r, i in enumerate(order)}  # higher is better

    def find(self, value: float, step: float) -> Source | None:
        """The best source with a number that rounds to `value` at precision `step`."""
        half = step / 2 * (1 + _EPS) + _EPS
        lo = bisect.bisect_left(self.values, abs(value) - half)
        hi = bisect.bisect_right(self.values, abs(value) + half)
        if lo >= hi:
            return None
        return self.sources[max(self.owner[lo:hi], key=self.rank.__getitem__)]


def _match(figure: Figure, index: SourceIndex) -> tuple[float, Source] | None:
    for value, step in ((figure.value, figure.step), *figure.alternatives):
        found = index.find(value, step)
        if found is None and figure.percent:  # printed as a fraction: 0.125 for "12,5 %"
            found = index.find(value / 100, step / 100)
        if found is not None:
            return value, found
    return None


def check_answer(text: str, sources: Sequence[Source]) -> Check:
    """The receipts of `text`'s figures and the figures no source has (soft ones are never unverified)."""
    index = SourceIndex(sources)
    check = Check()
    for figure in extract_numbers(text):
        matched = _match(figure, index)
        if matched is not None:
            value, source = matched
            check.receipts.append(
                Receipt(
                    text=figure.text,
                    value=value,
                    execution_id=source.execution_id,
                    dataset_ids=list(source.dataset_ids),
                    start=figure.start,
                    end=figure.end,
                )
            )
        elif not figure.soft:
            check.unverified.append(Unverified(text=figure.text, start=figure.start, end=figure.end))
    return check
