"""`lgurban serve`: the API (and the built web app) under uvicorn, refusing unsafe set-ups first."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from lgurban.cli.common import fail, settings_or_exit
from lgurban.settings import Settings


def _checked_settings(host: str | None, port: int | None, workers: int) -> Settings:
    """The settings to serve with, or exit 2 before anything starts when they are unsafe."""
    overrides: dict[str, object] = {}
    if host is not None:
        overrides["host"] = host
    if port is not None:
        overrides["port"] = port
    settings = settings_or_exit(**overrides)
    try:
        settings.check_bind(settings.host)
    except ValueError as exc:
        raise fail(str(exc), 2) from exc
    if workers > 1 and (reasons := replica_unsafe(settings)):
        raise fail(
            "--workers > 1 needs a configuration that is safe with several processes: "
            + "; ".join(reasons)
            + ". Use one worker, or fix these.",
            2,
        )
    return settings


def replica_unsafe(settings: Settings) -> list[str]:
    """Why several API processes on these settings would not see the same state (empty: replica-safe)."""
    reasons = []
    if not settings.redis_url:
        reasons.append("REDIS_URL is not set (live run events and cancels would stay in one process)")
    if settings.is_sqlite:
        reasons.append("DATABASE_URL is SQLite (several processes need PostgreSQL)")
    if settings.sandbox_backend == "local":
        reasons.append(
            "SANDBOX_BACKEND=local keeps each process's sandboxes in it (a thread's variables would vanish "
            "between requests): use modal or host"
        )
    return reasons


def _banner(settings: Settings) -> str:
    """The start-up line: where the API, its docs and the web app are."""
    from lgurban.app import FRONTEND_DIST

    base = f"http://{settings.host}:{settings.port}"
    dist = settings.frontend_dist or FRONTEND_DIST
    ui = (
        f"web app at {base}/"
        if (dist / "index.html").exists()
        else f"web app not built ({dist} is missing; `make run` builds it), {base}/ says so"
    )
    line = f"LG-Urban on {base} (auth: {settings.auth_mode}): API docs at {base}/docs, {ui}"
    return line + _model_advice(settings)


def _model_advice(settings: Settings) -> str:
    """Said at start-up, not after the first question: what to set when no model can answer."""
    from lgurban.agent.providers import configured_providers, split_model_id

    provider, _ = split_model_id(settings.llm_model.strip())
    if provider in configured_providers(settings):
        return ""
    return (
        f"\nno language model configured for LLM_MODEL={settings.llm_model}: set OPENAI_API_KEY (or "
        "OPENAI_BASE_URL for an OpenAI-compatible server) or ANTHROPIC_API_KEY, and restart; the Notebook "
        "and Datasets panels work without one"
    )


def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default: HOST setting).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: PORT setting).")] = None,
    log_level: Annotated[str | None, typer.Option(help="Log level.")] = None,
    workers: Annotated[
        int, typer.Option(min=1, help="Worker processes (each builds the app from the environment).")
    ] = 1,
    migrate: Annotated[
        bool,
        typer.Option(help="Apply the database migrations first (locked: replicas may start together)."),
    ] = False,
) -> None:
    """Serve the API (and the built web app) with uvicorn."""
    settings = _checked_settings(host, port, workers)
    if migrate:
        from lgurban.db.migrate import upgrade

        upgrade(settings)
    import logging

    import uvicorn

    from lgurban.app import create_app

    level = (log_level or settings.log_level).upper()
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    extra: dict[str, Any] = {}
    if settings.log_format == "json":  # ops (issue 12): JSON from the server's first line on
        from lgurban.observability.logs import configure_json_logging

        configure_json_logging(level)
        extra["log_config"] = None
    typer.echo(_banner(settings))
    if workers > 1:  # uvicorn needs an import string to start the app in each worker process
        uvicorn.run(
            "lgurban.app:create_app",
            factory=True,
            workers=workers,
            host=settings.host,
            port=settings.port,
            log_level=level.lower(),
            **extra,
        )
    else:
        uvicorn.run(
            create_app(settings), host=settings.host, port=settings.port, log_level=level.lower(), **extra
        )
