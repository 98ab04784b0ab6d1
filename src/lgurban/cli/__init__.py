"""The `lgurban` command: one module per command group, gathered into one typer `app`."""

from __future__ import annotations

import typer

from lgurban.cli.backup import backup, restore
from lgurban.cli.datasets import datasets_app
from lgurban.cli.db import db_app
from lgurban.cli.deploy import deploy_app
from lgurban.cli.mcp import mcp
from lgurban.cli.provider_keys import provider_keys_app
from lgurban.cli.sandbox_host import sandbox_host
from lgurban.cli.sandboxes import sandboxes_app
from lgurban.cli.serve import serve
from lgurban.cli.storage import storage_app
from lgurban.cli.users import users_app

__all__ = ["app"]

app = typer.Typer(help="LG-Urban: a self-hostable AI data analyst for urban open data.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(provider_keys_app, name="provider-keys")  # issue 13: users' own model keys
app.add_typer(storage_app, name="storage")
app.add_typer(datasets_app, name="datasets")
app.command()(serve)
app.command(name="sandbox-host")(sandbox_host)  # issue 11: sandboxes as a service
app.add_typer(sandboxes_app, name="sandboxes")  # issue 21: the deployment's Modal sandboxes
app.add_typer(deploy_app, name="deploy")  # issue 12: `lgurban deploy modal`
app.command()(backup)  # issue 12: database + local files to one archive
app.command()(restore)
app.command()(mcp)  # issue 22: MCP over stdio for desktop clients
