"""`lgurban storage bootstrap`: create or check the S3 bucket(s) the object store uses."""

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
