"""`lgurban users create|list|revoke`: users and their API tokens (for AUTH_MODE=token)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from lgurban.cli.common import fail, settings_or_exit

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")

users_app = typer.Typer(help="Users and API tokens (for AUTH_MODE=token).", no_args_is_help=True)


async def _with_session(fn: Callable[[AsyncSession], Awaitable[T]]) -> T:
    from sqlalchemy.exc import DBAPIError

    from lgurban.db.session import make_engine, make_sessionmaker, session_scope

    engine = make_engine(settings_or_exit())
    try:
        async with session_scope(make_sessionmaker(engine)) as session:
            return await fn(session)
    except (DBAPIError, OSError) as exc:  # the database, not the command, is the problem: say what to check
        reason = type(getattr(exc, "orig", None) or exc).__name__
        raise fail(
            f"The database did not answer as expected ({reason}). Check DATABASE_URL and that the server is "
            "up, and run `lgurban db upgrade` if this is a new database."
        ) from exc
    finally:
        await engine.dispose()


@users_app.command("create")
def users_create(
    name: str, token_name: Annotated[str, typer.Option(help="A label for the token.")] = "default"
) -> None:
    """Create user NAME (or add a token to it) and print its API token once."""
    from lgurban.auth import create_user_with_token
    from lgurban.errors import AppError

    try:
        new = asyncio.run(
            _with_session(lambda s: create_user_with_token(session=s, name=name, token_name=token_name))
        )
    except AppError as exc:
        raise fail(exc.message) from exc
    typer.echo(f"user {name}: token (shown once, store it now):", err=True)
    sys.stdout.write(new.token + "\n")


@users_app.command("list")
def users_list() -> None:
    """List users and their active tokens."""
    from lgurban.auth import list_users

    for u in asyncio.run(_with_session(lambda s: list_users(session=s))):
        state = "revoked" if u.revoked else f"{u.tokens} active token(s)"
        typer.echo(f"{u.name}\t{u.created_at:%Y-%m-%d}\t{state}")


@users_app.command("revoke")
def users_revoke(name: str) -> None:
    """Disable user NAME and revoke all its tokens."""
    from lgurban.auth import revoke_user
    from lgurban.errors import AppError

    try:
        count = asyncio.run(_with_session(lambda s: revoke_user(session=s, name=name)))
    except AppError as exc:
        raise fail(exc.message) from exc
    typer.echo(f"user {name} revoked ({count} token(s))")
