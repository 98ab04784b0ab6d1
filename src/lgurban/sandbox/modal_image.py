"""The Modal image every sandbox runs: Debian slim, the data libraries, driver.py baked in at /root/driver.py.

Library versions follow the host's own environment, so a cell behaves the same locally and on Modal.
`lgurban deploy modal` builds it once per release and records its id in the Modal Dict `lgurban-images` under
`<MODAL_APP_NAME>:<release>`; a server looks that id up (`published_image_id`) and never builds at start.
"""

from __future__ import annotations

import hashlib
import sys
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lgurban.errors import ConfigurationError

if TYPE_CHECKING:
    from lgurban.settings import Settings

DRIVER_LOCAL_PATH = Path(__file__).resolve().parent / "driver.py"
DRIVER_REMOTE_PATH = "/root/driver.py"
WORKDIR = "/workspace"

# what the driver uses when present, and what analysts reach for first
DATA_PACKAGES = (
    "pandas",
    "numpy",
    "pyarrow",
    "matplotlib",
    "geopandas",
    "shapely",
    "pyogrio",
    "folium",
    "ipython",  # cells run through IPython's shell: display(), MIME bundles, `!cmd` and magics
    "pillow",
)


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


REGISTRY = "lgurban-images"  # the Modal Dict: image name → published image id


class ImageNotPublished(ConfigurationError):
    """This release's sandbox image is not in the registry: `lgurban deploy modal` was not run for it."""


def release() -> str:
    """`<package version>-<hash of the image's inputs>`: a new pin or a new driver is a new release."""
    digest = hashlib.sha256()
    digest.update(python_version().encode())
    digest.update("\n".join(pinned()).encode())
    digest.update(DRIVER_LOCAL_PATH.read_bytes())
    return f"{metadata.version('lgurban')}-{digest.hexdigest()[:12]}"


def image_name(settings: Settings) -> str:
    return f"{settings.modal_app_name}:{release()}"


def not_published(name: str, why: str = "") -> ImageNotPublished:
    return ImageNotPublished(
        f"the Modal sandbox image {name} is not published{why}: run `lgurban deploy modal` with this release "
        "(MODAL_TOKEN_ID/MODAL_TOKEN_SECRET set), then start the server again"
    )


def published_image_id(modal: Any, settings: Settings) -> str:
    """The id of this release's published image (blocking SDK calls: for the CLI); ImageNotPublished naming
    the command when it is missing."""
    name = image_name(settings)
    try:
        image_id = modal.Dict.from_name(REGISTRY).get(name)
    except Exception as exc:  # the Dict itself is missing (never published), or Modal refused the token
        raise not_published(name, f" ({type(exc).__name__})") from exc
    if not image_id:
        raise not_published(name)
    return str(image_id)


async def published_image_id_aio(modal: Any, settings: Settings) -> str:
    """`published_image_id` for the event loop. Only "not found" means not published: an outage or a refused
    token raises as it is (the server then starts and reports the sandbox unavailable until Modal answers)."""
    name = image_name(settings)
    try:
        image_id = await modal.Dict.from_name(REGISTRY).get.aio(name)
    except modal.exception.NotFoundError as exc:
        raise not_published(name, " (no image registry in this Modal workspace)") from exc
    if not image_id:
        raise not_published(name)
    return str(image_id)
