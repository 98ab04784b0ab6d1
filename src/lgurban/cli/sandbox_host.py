"""`lgurban sandbox-host`: the fork server and every thread's sandbox, as a process of their own.

API replicas with SANDBOX_BACKEND=host and SANDBOX_HOST_URL reach it; they and the host share
SANDBOX_HOST_SECRET and the workspaces folder (DATA_DIR/workspaces). Restarting or adding API replicas keeps
every thread's variables; restarting the host loses them (files stay)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from lgurban.cli.common import fail, settings_or_exit

MIN_SECRET_CHARS = 16


def _listen_target(listen: str) -> dict[str, object]:
    """uvicorn's bind arguments for `unix:PATH` or `HOST:PORT`."""
    if listen.startswith("unix:"):
        path = listen.removeprefix("unix:").removeprefix("//")
        if not path:
            raise fail("--listen unix:PATH needs a socket path", 2)
        return {"uds": str(Path(path).resolve())}
    host, sep, port = listen.rpartition(":")
    if not sep or not port.isdigit():
        raise fail("--listen must be unix:PATH or HOST:PORT (e.g. 127.0.0.1:8790)", 2)
    return {"host": host.strip("[]") or "127.0.0.1", "port": int(port)}


def sandbox_host(
    listen: Annotated[str, typer.Option(help="unix:PATH or HOST:PORT to listen on.")],
    log_level: Annotated[str | None, typer.Option(help="Log level.")] = None,
) -> None:
    """Run the sandboxes as a service of their own (for API replicas with SANDBOX_BACKEND=host)."""
    settings = settings_or_exit()
    secret = settings.sandbox_host_secret.get_secret_value() if settings.sandbox_host_secret else ""
    if len(secret) < MIN_SECRET_CHARS:
        raise fail(
            f"SANDBOX_HOST_SECRET must be set to a random value of at least {MIN_SECRET_CHARS} characters "
            "(the API replicas send the same one)",
            2,
        )
    os.environ.pop("SANDBOX_HOST_SECRET", None)  # nothing this process starts inherits it
    target = _listen_target(listen)
    if settings.sandbox_backend == "host":
        raise fail("sandbox-host runs the sandboxes itself: set SANDBOX_BACKEND=local or modal for it", 2)
    import logging

    import uvicorn

    from lgurban.sandbox import build_backend
    from lgurban.sandbox.host_server import SandboxHostApp, TrackingBackend
    from lgurban.sandbox.manager import SandboxManager

    level = (log_level or settings.log_level).upper()
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # issue 21: the host may own every thread's Modal sandbox (exec stdio has one owner)
    backend = TrackingBackend(build_backend(settings))
    app = SandboxHostApp(SandboxManager(settings, backend), backend, secret)
    typer.echo(f"LG-Urban sandbox host on {listen} (workspaces in {settings.workspaces_dir})")
    uvicorn.run(app, log_level=level.lower(), lifespan="on", access_log=False, **target)  # type: ignore[arg-type]
