"""`lgurban provider-keys rotate`: re-encrypt users' stored model keys with the current secret (issue 13)."""

from __future__ import annotations

import asyncio

import typer

from lgurban.cli.common import fail
from lgurban.cli.users import _with_session

provider_keys_app = typer.Typer(help="Users' own model API keys (stored encrypted).", no_args_is_help=True)


@provider_keys_app.command("rotate")
def rotate() -> None:
    """Re-encrypt every stored key with PROVIDER_KEYS_SECRET.

    Set the new secret as PROVIDER_KEYS_SECRET and the old one in PROVIDER_KEYS_PREVIOUS_SECRETS, run this,
    then the old secret can go (with PROVIDER_KEYS_SECRET unset, SECRET_KEY is the current secret)."""
    from lgurban import provider_keys
    from lgurban.cli.common import settings_or_exit
    from lgurban.errors import AppError

    settings = settings_or_exit()
    try:
        count = asyncio.run(_with_session(lambda s: provider_keys.rotate(s, settings)))
    except AppError as exc:
        raise fail(exc.message) from exc
    typer.echo(f"re-encrypted {count} provider key(s) with the current secret")
