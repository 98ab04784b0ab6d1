"""`lgurban db upgrade|downgrade`: Alembic migrations of the application's tables."""

from __future__ import annotations

from typing import Annotated

import typer

from lgurban.cli.common import settings_or_exit

db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)


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
