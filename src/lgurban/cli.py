"""The `lgurban` command: serve, database migrations, users and tokens."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from pydantic import ValidationError

from lgurban.settings import Settings
from lgurban.storage.cli import datasets_app, storage_app

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")

app = typer.Typer(help="LG-Urban: a self-hostable AI data analyst for urban open data.", no_args_is_help=True)
db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)
users_app = typer.Typer(help="Users and API tokens (for AUTH_MODE=token).", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(storage_app, name="storage")
app.add_typer(datasets_app, name="datasets")


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        # name each setting and what is wrong, never the values (they may be secrets)
        lines = []
        for err in exc.errors(include_input=False, include_url=False):
            where = ".".join(str(p) for p in err["loc"]).upper()
            lines.append(f"  {where + ': ' if where else ''}{err['msg']}")
        typer.secho("Invalid configuration:\n" + "\n".join(lines), fg="red", err=True)
        raise typer.Exit(2) from exc


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default: HOST setting).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: PORT setting).")] = None,
    log_level: Annotated[str | None, typer.Option(help="Log level.")] = None,
    workers: Annotated[
        int, typer.Option(min=1, help="Worker processes (each builds the app from the environment).")
    ] = 1,
) -> None:
    """Serve the API (and the built web app) with uvicorn."""
    overrides: dict[str, object] = {}
    if host is not None:
        overrides["host"] = host
    if port is not None:
        overrides["port"] = port
    settings = load_settings(**overrides)
    try:
        settings.check_bind(settings.host)
    except ValueError as exc:
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(2) from exc
    if workers > 1 and settings.sandbox_backend == "local":
        typer.secho(
            "--workers > 1 needs SANDBOX_BACKEND=modal: with the local sandbox each worker would hold its "
            "own sandboxes and a thread's variables would vanish between requests. Use one worker.",
            fg="red",
            err=True,
        )
        raise typer.Exit(2)
    import logging

    import uvicorn

    from lgurban.app import FRONTEND_DIST, create_app

    level = (log_level or settings.log_level).upper()
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    base = f"http://{settings.host}:{settings.port}"
    dist = settings.frontend_dist or FRONTEND_DIST
    ui = (
        f"web app at {base}/"
        if (dist / "index.html").exists()
        else f"web app not built ({dist} is missing; `make run` builds it), {base}/ says so"
    )
    typer.echo(f"LG-Urban on {base} (auth: {settings.auth_mode}): API docs at {base}/docs, {ui}")
    if workers > 1:  # uvicorn needs an import string to start the app in each worker process
        uvicorn.run(
            "lgurban.app:create_app",
            factory=True,
            workers=workers,
            host=settings.host,
            port=settings.port,
            log_level=level.lower(),
        )
    else:
        uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level=level.lower())


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Apply migrations up to REVISION (default: head)."""
    from lgurban.db.migrate import upgrade

    upgrade(load_settings(), revision)
    typer.echo(f"database at {revision}")


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument()]) -> None:
    """Revert migrations down to REVISION."""
    from lgurban.db.migrate import downgrade

    downgrade(load_settings(), revision)
    typer.echo(f"database at {revision}")


async def _with_session(fn: Callable[[AsyncSession], Awaitable[T]]) -> T:
    from sqlalchemy.exc import DBAPIError

    from lgurban.db.session import make_engine, make_sessionmaker, session_scope

    engine = make_engine(load_settings())
    try:
        async with session_scope(make_sessionmaker(engine)) as session:
            return await fn(session)
    except (DBAPIError, OSError) as exc:  # the database, not the command, is the problem: say what to check
        reason = type(getattr(exc, "orig", None) or exc).__name__
        typer.secho(
            f"The database did not answer as expected ({reason}). Check DATABASE_URL and that the server is "
            "up, and run `lgurban db upgrade` if this is a new database.",
            fg="red",
            err=True,
        )
        raise typer.Exit(1) from exc
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
        typer.secho(exc.message, fg="red", err=True)
        raise typer.Exit(1) from exc
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
        typer.secho(exc.message, fg="red", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"user {name} revoked ({count} token(s))")


if __name__ == "__main__":  # pragma: no cover
    app()
