"""`lgurban db upgrade|downgrade`: Alembic migrations of the application's tables."""

from __future__ import annotations

from typing import Annotated

import typer

from lgurban.cli.common import fail, settings_or_exit

db_app = typer.Typer(help="Database migrations and checks.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Apply migrations up to REVISION (default: head)."""
    from lgurban.db.migrate import upgrade

    upgrade(settings_or_exit(), revision)
    typer.echo(f"database at {revision}")


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument()]) -> None:
    """Revert migrations down to REVISION."""
    from lgurban.db.migrate import downgrade

    downgrade(settings_or_exit(), revision)
    typer.echo(f"database at {revision}")


@db_app.command("check")
def db_check() -> None:
    """Connectivity test: server version, TLS (verified?), latency, migrations, checkpointer tables."""
    import asyncio

    from lgurban.db.check import run_check

    settings = settings_or_exit()
    try:
        report = asyncio.run(run_check(settings))
    except (OSError, ValueError) as exc:  # unreachable, refused certificate, bad URL parameter
        raise fail(f"database unreachable: {exc}") from exc
    except Exception as exc:
        raise fail(f"database check failed: {type(exc).__name__}: {exc}") from exc
    for line in report.lines():
        typer.echo(line)
    for problem in report.problems:
        typer.secho(f"problem: {problem}", fg="yellow", err=True)
    if report.problems:
        raise typer.Exit(1)
    typer.echo("ok")


@db_app.command("copy")
def db_copy(
    to: Annotated[
        str, typer.Option("--to", help="Target PostgreSQL URL (an empty database, or a partial copy).")
    ],
) -> None:
    """Copy this install's database (SQLite) and its LangGraph checkpoints into PostgreSQL; re-runnable."""
    import asyncio

    from lgurban.cli.db_copy import copy_database, target_settings

    source = settings_or_exit()
    if not to.startswith(("postgres://", "postgresql")):
        raise fail("--to must be a postgresql:// URL")
    target = target_settings(source, to)

    def progress(what: str, done: int, total: int) -> None:
        typer.echo(f"\r{what:<20} {done}/{total}", nl=done >= total, err=True)

    try:
        counts = asyncio.run(copy_database(source, target, progress))
    except (OSError, ValueError) as exc:
        raise fail(f"copy stopped (run it again to resume): {exc}") from exc
    short = {name: c for name, c in counts.items() if c[1] < c[0]}
    for name, (src, dst) in counts.items():
        typer.echo(f"{name:<20} source {src:>7}  target {dst:>7}")
    if short:
        raise fail("count check failed for: " + ", ".join(short) + " (run the copy again)")
    typer.echo("copy complete: every row is in the target")
