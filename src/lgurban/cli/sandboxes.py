"""`lgurban sandboxes list|reap`: what this deployment has running on Modal (by its tags), and ending it.

A deployment is MODAL_APP_NAME: every sandbox the Modal backend starts carries the tag
lgurban-deployment=<MODAL_APP_NAME> (sandbox/modal_names.py). `reap` ends them all, so stop the process that
owns them first (the API with SANDBOX_BACKEND=modal, or the sandbox host), or its threads' next cells start
new sandboxes (their variables are lost either way; files stay on the Volumes)."""

from __future__ import annotations

import asyncio
from typing import Any

import typer

from lgurban.cli.common import fail, settings_or_exit
from lgurban.settings import Settings

sandboxes_app = typer.Typer(help="The deployment's Modal sandboxes.", no_args_is_help=True)


def _modal() -> Any:
    from lgurban.sandbox import modal_backend

    return modal_backend.load_sdk()


async def list_deployment(settings: Settings, modal: Any) -> list[tuple[str, str]]:
    """(sandbox id, thread id) of each sandbox of this deployment running on Modal now."""
    from lgurban.sandbox.modal_names import list_running

    return [(sb.object_id, sb.thread) for sb in await list_running(modal, settings.modal_app_name)]


async def reap_deployment(settings: Settings, modal: Any) -> list[str]:
    """Terminate every running sandbox of this deployment; the ids ended."""
    from lgurban.sandbox.modal_names import reap

    ended = await reap(modal, settings.modal_app_name, set(), settings.sandbox_transport_timeout_s)
    return [sb.object_id for sb in ended]


def _run(coro: Any) -> Any:
    try:
        return asyncio.run(coro)
    except Exception as exc:  # no token, Modal unreachable…
        raise fail(f"Modal: {type(exc).__name__}: {exc}") from exc


@sandboxes_app.command("list")
def list_command() -> None:
    """Show this deployment's sandboxes running on Modal (each is billed while it runs)."""
    settings = settings_or_exit()
    rows = _run(list_deployment(settings, _modal()))
    for object_id, thread in rows:
        typer.echo(f"{object_id}\tthread {thread}")
    typer.echo(f"{len(rows)} running in deployment {settings.modal_app_name!r}")


@sandboxes_app.command("reap")
def reap_command() -> None:
    """Terminate every sandbox this deployment has running on Modal."""
    settings = settings_or_exit()
    ended = _run(reap_deployment(settings, _modal()))
    for object_id in ended:
        typer.echo(f"terminated {object_id}")
    typer.echo(f"{len(ended)} terminated in deployment {settings.modal_app_name!r}")
