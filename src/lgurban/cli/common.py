"""What every command group shares: failing with a message, and the settings or a clean exit."""

from __future__ import annotations

import typer

from lgurban.settings import InvalidSettings, Settings, load_settings


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print `message` in red on stderr; the caller raises the returned exit."""
    typer.secho(message, fg="red", err=True)
    return typer.Exit(code)


def settings_or_exit(**overrides: object) -> Settings:
    """The settings, or exit 2 naming what is wrong with them (never their values)."""
    try:
        return load_settings(**overrides)
    except InvalidSettings as exc:
        raise fail(str(exc), 2) from exc
