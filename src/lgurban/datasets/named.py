"""The datasets a cell's code names by their workspace path (`datasets/<id>.parquet`)."""

from __future__ import annotations

import re

_DATASET_PATH = re.compile(r"datasets/([\w.\-]+?)\.(?:parquet|geoparquet|csv)")


def datasets_named(code: str) -> list[str]:
    """The dataset ids the code reads by path, each once, in the order they first appear."""
    return list(dict.fromkeys(_DATASET_PATH.findall(code)))
