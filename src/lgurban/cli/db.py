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
