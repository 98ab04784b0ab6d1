"""The Modal image every sandbox runs: Debian slim, the data libraries, driver.py baked in at /root/driver.py.

Library versions follow the host's own environment, so a cell behaves the same locally and on Modal.
"""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path
from typing import Any

DRIVER_LOCAL_PATH = Path(__file__).resolve().parent / "driver.py"
DRIVER_REMOTE_PATH = "/root/driver.py"
WORKDIR = "/workspace"

# what the driver uses when present, and what analysts reach for first
DATA_PACKAGES = ("pandas", "numpy", "pyarrow", "matplotlib", "geopandas", "shapely", "pyogrio", "folium")


def pinned(packages: tuple[str, ...] = DATA_PACKAGES) -> list[str]:
    """`name==version` for each package installed here, bare `name` for one that is not."""
    out = []
    for name in packages:
        try:
            out.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(name)
    return out


def python_version() -> str:
    return f"{sys.version_info.major}.{sys.version_info.minor}"


def build_image(modal: Any) -> Any:
    """The image definition (lazy: Modal builds it once and caches it by content)."""
    return (
        modal.Image.debian_slim(python_version=python_version())
        .pip_install(*pinned())
        .env({"MPLBACKEND": "Agg", "PYTHONUNBUFFERED": "1"})
        .add_local_file(DRIVER_LOCAL_PATH, DRIVER_REMOTE_PATH, copy=True)
    )
