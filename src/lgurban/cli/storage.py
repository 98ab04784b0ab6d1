"""`lgurban storage bootstrap`: create or check the S3 bucket(s) the object store uses;
`lgurban storage copy`: the local object store of an embedded install into a bucket."""

from __future__ import annotations

import asyncio

import typer

from lgurban.cli.common import fail, settings_or_exit

storage_app = typer.Typer(help="Object storage set-up.", no_args_is_help=True)


@storage_app.command("bootstrap")
def bootstrap_command() -> None:
    """Create/validate the S3 bucket(s): public access blocked, versioning, encryption, lifecycle rules."""
    from botocore.exceptions import BotoCoreError, ClientError

    from lgurban.errors import AppError
    from lgurban.storage.bootstrap import bootstrap

    settings = settings_or_exit()
    try:
        changes = asyncio.run(bootstrap(settings))
    except AppError as exc:
        raise fail(exc.message) from exc
    except ClientError as exc:
        error = exc.response.get("Error", {})
        raise fail(f"S3 refused: {error.get('Code')} {error.get('Message', '')}".strip()) from exc
    except BotoCoreError as exc:
        raise fail(f"cannot reach S3 ({type(exc).__name__}): check S3_ENDPOINT_URL / S3_REGION") from exc
    if not changes:
        typer.echo("bucket set-up already as required: nothing changed")
    for line in changes:
        typer.echo(f"changed: {line}")


@storage_app.command("copy")
def copy_command(
    to: str = typer.Option(
        ..., "--to", help="s3://BUCKET: the target (S3_ENDPOINT_URL, S3_REGION, keys from the env)"
    ),
) -> None:
    """Copy this install's local object store (DATA_DIR) into an S3 bucket; run again to resume."""
    from lgurban.storage import build_store
    from lgurban.storage.copy import copy_store
    from lgurban.storage.local import LocalStore
    from lgurban.storage.s3 import S3Store

    bucket = to.removeprefix("s3://").strip("/")
    if not to.startswith("s3://") or not bucket or "/" in bucket:
        raise fail("--to must be s3://BUCKET (keys keep their names; a prefix is not supported)", 2)
    settings = settings_or_exit()
    source = build_store(settings.model_copy(update={"storage_backend": "local"}))
    assert isinstance(source, LocalStore)
    target = S3Store.from_settings(settings.model_copy(update={"storage_backend": "s3", "s3_bucket": bucket}))

    def progress(done: int, total: int, key: str) -> None:
        if done == total or done % 100 == 0:
            typer.echo(f"{done}/{total} objects ({key})")

    async def run() -> None:
        try:
            report = await copy_store(source, target, progress=progress)
        finally:
            await target.close()
        typer.echo(
            f"{report.total} objects: {report.copied} copied ({report.bytes_copied / 1e6:.1f} MB), "
            f"{report.skipped} already there"
        )
        if report.missing:
            raise fail(
                f"{len(report.missing)} objects are not in the bucket: {', '.join(report.missing[:5])}"
            )
        typer.echo(f"check: all {report.total} objects are in s3://{bucket}")

    asyncio.run(run())
