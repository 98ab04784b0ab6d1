"""`lgurban deploy modal`: build the sandbox image once per release and publish it under a name.

The image (modal_image.build_image: the data libraries pinned to this release's lock, driver.py baked in) is
built in the Modal app MODAL_APP_NAME and its id — Modal's content-derived image id, the digest — is stored in
the Modal Dict `lgurban-images` under `<MODAL_APP_NAME>:<release>`, the release being the package version
plus a hash of what goes into the image. A server of that release finds its image by that name
(`published_image_id`) instead of building one at every start; `lgurban deploy modal --check` says whether it
is there and exits 1, naming the command to run, when it is not."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from lgurban.cli.common import fail, settings_or_exit
from lgurban.errors import ConfigurationError
from lgurban.sandbox.modal_image import REGISTRY, image_name, published_image_id, release
from lgurban.settings import Settings

__all__ = ["REGISTRY", "deploy_app", "image_name", "publish", "published_image_id", "release"]

deploy_app = typer.Typer(help="Publish what a cloud deployment needs.", no_args_is_help=True)


def publish(modal: Any, settings: Settings) -> tuple[str, str]:
    """Build the image in the app and record its id under the release's name: (name, image id)."""
    from lgurban.sandbox.modal_image import build_image

    app = modal.App.lookup(settings.modal_app_name, create_if_missing=True)
    image = build_image(modal)
    image.build(app)
    name = image_name(settings)
    modal.Dict.from_name(REGISTRY, create_if_missing=True).put(name, image.object_id)
    return name, str(image.object_id)


def _sdk() -> Any:
    from lgurban.sandbox.modal_backend import load_sdk

    return load_sdk()


@deploy_app.command("modal")
def deploy_modal(
    check: Annotated[
        bool, typer.Option("--check", help="Only say whether this release's image is published.")
    ] = False,
) -> None:
    """Build and publish the sandbox image of this release in Modal (once per release)."""
    settings = settings_or_exit()
    modal = _sdk()
    if check:
        try:
            image_id = published_image_id(modal, settings)
        except ConfigurationError as exc:
            raise fail(exc.message) from exc
        typer.echo(f"published: {image_name(settings)} → {image_id}")
        return
    try:
        name, image_id = publish(modal, settings)
    except Exception as exc:
        raise fail(
            f"publishing the Modal image failed: {type(exc).__name__}: {exc} "
            "(is a Modal token set? MODAL_TOKEN_ID/MODAL_TOKEN_SECRET or `modal token new`)"
        ) from exc
    typer.echo(f"published {name} → {image_id} (Modal app {settings.modal_app_name!r}, Dict {REGISTRY!r})")
