"""The numbers an answer states, Italian and English formats alike (issue 15, receipts).

`extract_numbers(text)` → [Figure(text, start, end, value, step, alternatives, percent, soft)].

What counts as a figure (decided here, documented in docs/receipts.md):
- integers and decimals with "." or "," as either the decimal or the thousands separator ("1.234,5",
  "1,234.5", "1 234" with a no-break or thin space), percentages ("12%", "12,5 %", "12 per cento",
  "12 percent"), scale words ("1,2 milioni", "7.51 million", "3 mila", "2 miliardi", "12k", "3,4 mln");
- a number with one separator followed by exactly three digits ("1.234", "1,234") is ambiguous: the answer's
  language decides the reading (Italian: "." groups thousands; English: "," does) and the other reading is
  kept in `alternatives`, so a match against either is found;
- not figures (skipped): list and heading ordinals at the start of a line ("1." / "2)"), dates ("12/03/2024",
  "2024-03-12"), times ("10:30"), bare years (four digits 1800-2199 with no separator, decimals, percent
  or scale), numbers glued to letters ("PM10", "CO2", "A14", "3rd", "1°"), numbers inside code spans, code
  blocks, markdown links (text and target) and URLs;
- a bare integer 0-10 without percent or scale is `soft`: it gets a receipt when a tool output has it but is
  never reported as unverified ("the 3 largest districts" is language as often as it is a figure).

`step` is the precision written: "7,51 milioni" → value 7_510_000, step 10_000; an integer's trailing zeros
count as rounding down to two significant digits ("1.200" → step 100, "2000" → step 100).
Pure and fast: one regular-expression pass over the text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

SCALES = {
    "mila": 1e3, "thousand": 1e3, "k": 1e3, "K": 1e3,
    "milione": 1e6, "milioni": 1e6, "mln": 1e6, "million": 1e6, "millions": 1e6, "M": 1e6,
    "miliardo": 1e9, "miliardi": 1e9, "mld": 1e9, "billion": 1e9, "billions": 1e9, "bn": 1e9,
}  # fmt: skip
_SCALE_WORDS = "|".join(sorted((s for s in SCALES if len(s) > 1), key=len, reverse=True))

# masked before numbers are looked for: the same length of spaces keeps every offset
_MASKS = re.compile(
    r"```.*?(?:```|\Z)"  # fenced code
    r"|`[^`\n]*`"  # inline code
    r"|!?\[[^\]\n]*\]\([^)\s]*\)"  # a markdown link or image, text and target
    r"|https?://\S+"  # a bare URL
    r"|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b"  # 12/03/2024, 12.03.2024
    r"|\b\d{4}-\d{1,2}-\d{1,2}\b"  # ISO dates
    r"|\b\d{1,2}:\d{2}(?::\d{2})?\b"  # times
    r"|^[ \t]*(?:#{1,6}[ \t]*)?(?:[-*+][ \t]+)?\d{1,3}[.)](?=[ \t])",  # list and heading ordinals
    re.S | re.M,
)

_NUMBER = re.compile(
    r"(?<![\w.,\-−/])"  # not inside a word, an id or another number
    r"(?P<sign>[-−](?=\d))?"
    r"(?P<body>\d{1,3}(?:(?P<grp>[.,\u00a0\u202f])\d{3})(?:(?P=grp)\d{3})*(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    r"(?:(?P<pct>\s?%|\s(?:per\s?cento|percent)\b)"
    rf"|\s?(?P<scale>{_SCALE_WORDS})\b|(?P<glued>[kKM])(?![\w]))?"
    r"(?![\w°ºª]|[.,]\d)",
)

_IT_WORDS = re.compile(
    r"\b(?:il|lo|la|gli|le|di|del|della|dei|delle|che|sono|è|nel|nella|con|una|uno|anno|totale|circa)\b", re.I
)
# unambiguous number formats: a decimal comma or dotted thousands read Italian, the reverse English
_IT_FORMAT = re.compile(r"\d,\d{1,2}(?![\d])|\d\.\d{3}\.\d{3}")
_EN_FORMAT = re.compile(r"\d\.\d{1,2}(?![\d])|\d,\d{3},\d{3}")
_EN_WORDS = re.compile(r"\b(?:the|of|and|is|are|in|with|for|was|were|total|about|year|which)\b", re.I)


@dataclass(frozen=True)
class Figure:
    """One number of the answer: where it is, the value meant, the precision written."""

    text: str
    start: int
    end: int
    value: float
    step: float
    alternatives: tuple[tuple[float, float], ...] = field(default=())  # other readings: (value, step)
    percent: bool = False
    soft: bool = False


def language(text: str) -> str:
    """Which language the text reads as, "it" or "en" (its common words and its unambiguous numbers)."""
    italian = len(_IT_WORDS.findall(text)) + len(_IT_FORMAT.findall(text))
    english = len(_EN_WORDS.findall(text)) + len(_EN_FORMAT.findall(text))
    return "it" if italian > english else "en"


def _mask(text: str) -> str:
    return _MASKS.sub(lambda m: " " * len(m.group(0)), text)


def _readings(body: str, lang: str) -> list[tuple[float, int]]:
    """(value, decimals) for each way to read `body`, the language's reading first."""
    body = body.replace("\u00a0", "").replace("\u202f", "")
    dots, commas = body.count("."), body.count(",")
    if dots and commas:  # the last separator is the decimal one
        dec = "." if body.rfind(".") > body.rfind(",") else ","
        whole, frac = body.replace("," if dec == "." else ".", "").split(dec)
        return [(float(f"{whole}.{frac}"), len(frac))]
    if dots + commas == 0:
        return [(float(body), 0)]
    sep = "." if dots else ","
    if dots + commas > 1:  # repeated: thousands
        return [(float(body.replace(sep, "")), 0)]
    whole, frac = body.split(sep)
    decimal = (float(f"{whole}.{frac}"), len(frac))
    if len(frac) != 3 or whole == "0":
        return [decimal]
    grouped = (float(whole + frac), 0)
    groups_here = (sep == "." and lang == "it") or (sep == "," and lang == "en")
    return [grouped, decimal] if groups_here else [decimal, grouped]


def _step(value: float, decimals: int, scale: float) -> float:
    if decimals:
        return 10.0**-decimals * scale
    digits = str(int(abs(value)))
    zeros = len(digits) - len(digits.rstrip("0")) if digits != "0" else 0
    zeros = min(zeros, max(len(digits) - 2, 0))  # keep two significant digits
    return 10.0**zeros * scale


def _tidy(value: float, step: float) -> float:
    """`value` without the float noise of the scale product (7.51 * 1e6 → 7_510_000.0)."""
    return round(value, max(0, math.ceil(-math.log10(step))) + 1)


def _figure(m: re.Match[str], lang: str) -> Figure | None:
    body = m.group("body")
    scale_word = m.group("scale") or m.group("glued")
    scale = SCALES[scale_word] if scale_word else 1.0
    percent = bool(m.group("pct"))
    sign = -1.0 if m.group("sign") else 1.0
    readings = [(sign * v * scale, _step(v, d, scale)) for v, d in _readings(body, lang)]
    readings = [(_tidy(v, s), s) for v, s in readings]
    value, step = readings[0]
    bare = not (percent or scale_word) and body.isdigit()
    if bare and len(body) == 4 and 1800 <= int(body) <= 2199:
        return None  # a year
    return Figure(
        text=m.group(0),
        start=m.start(),
        end=m.end(),
        value=value,
        step=step,
        alternatives=tuple(readings[1:]),
        percent=percent,
        soft=bare and int(body) <= 10,
    )


def extract_numbers(text: str) -> list[Figure]:
    """Every figure `text` states, in order (see the module docstring for what is skipped)."""
    lang = language(text)
    found = (_figure(m, lang) for m in _NUMBER.finditer(_mask(text)))
    return [f for f in found if f is not None]
