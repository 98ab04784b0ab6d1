"""Text every database can store and every JSON encoder can write: NUL and lone surrogates replaced.

PostgreSQL refuses NUL in text (and `\\u0000` in JSON); neither database nor UTF-8 can hold a lone
surrogate ("\\ud800", which JSON escapes can produce). Text from the user is refused at the API's edge;
text from elsewhere (a sandbox's output, a model's answer) goes through these before it is written."""

from __future__ import annotations

import dataclasses
import re
from typing import Any, TypeVar

T = TypeVar("T")

BAD_CHARS = re.compile("[\x00\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def has_bad_chars(text: str) -> bool:
    return BAD_CHARS.search(text) is not None


def clean_text(text: str) -> str:
    return BAD_CHARS.sub(REPLACEMENT, text) if BAD_CHARS.search(text) else text


def clean_json(value: T) -> T:
    """`value` with every string in it (keys too, dataclass fields too) cleaned; untouched when clean."""
    cleaned: T = _clean(value)
    return cleaned


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_clean(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _clean(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    return value
