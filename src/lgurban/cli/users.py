"""`lgurban users create|list|revoke|set-quota|usage`: users, their API tokens, their limits."""

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


@users_app.command("set-quota")
def users_set_quota(
    name: str,
    limit: Annotated[str, typer.Argument(help="sandboxes or runs_per_hour")],
    value: Annotated[str, typer.Argument(help="a whole number (0 = no limit), or 'default'")],
) -> None:
    """Give user NAME their own value for LIMIT, over the server's default ('default' removes it)."""
    from lgurban.errors import AppError

    if value != "default" and not value.isdigit():
        raise fail(f"VALUE must be a whole number (0 = no limit) or 'default', not {value!r}")
    try:
        number = None if value == "default" else int(value)
        asyncio.run(_with_session(lambda s: _set_quota(s, name, limit, number)))
    except AppError as exc:
        raise fail(exc.message) from exc
    shown = "the server's default" if value == "default" else value
    typer.echo(f"user {name}: {limit} = {shown} (a running server applies it within 10 s)")


async def _set_quota(session: AsyncSession, name: str, limit: str, value: int | None) -> None:
    from sqlalchemy import select

    from lgurban.db.models import User
    from lgurban.db.quotas import set_quota
    from lgurban.errors import NotFound

    user = (await session.execute(select(User).where(User.name == name))).scalar_one_or_none()
    if user is None:
        raise NotFound(f"no user named {name!r}")
    await set_quota(session, user.id, limit, value)


@users_app.command("usage")
def users_usage() -> None:
    """Every user's usage against their limits (runs in the last hour; sandbox and run limits)."""
    for line in asyncio.run(_with_session(_usage_lines)):
        typer.echo(line)


async def _usage_lines(session: AsyncSession) -> list[str]:
    from sqlalchemy import select

    from lgurban.db.models import User
    from lgurban.db.quotas import limits_of, runs_usage

    settings = settings_or_exit()
    lines = ["user\truns last hour / limit\tsandboxes limit"]
    for user in (await session.execute(select(User).order_by(User.name))).scalars():
        limits = await limits_of(session, settings, user.id)
        runs = await runs_usage(session, user.id, limits["runs_per_hour"])
        cap = lambda v: str(v) if v else "no limit"  # noqa: E731
        lines.append(f"{user.name}\t{runs.used} / {cap(limits['runs_per_hour'])}\t{cap(limits['sandboxes'])}")
    return lines
