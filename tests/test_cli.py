"""The real `lgurban` command, run as a subprocess the way an operator runs it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from lgurban.app import create_app
from lgurban.settings import Settings
from tests.conftest import free_port

LGURBAN = str(Path(sys.executable).parent / "lgurban")
SETTING_NAMES = {name.upper() for name in Settings.model_fields}


def _env(**values: object) -> dict[str, str]:
    """The caller's environment without any LG-Urban setting, plus `values`."""
    env = {k: v for k, v in os.environ.items() if k.upper() not in SETTING_NAMES}
    env.update({k.upper(): str(v) for k, v in values.items()})
    return env


def lgurban(
    *args: str, cwd: Path, timeout: float = 120, **values: object
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LGURBAN, *args], cwd=cwd, env=_env(**values), capture_output=True, text=True, timeout=timeout
    )


def test_db_upgrade_on_a_fresh_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "fresh" / "data"
    r = lgurban("db", "upgrade", cwd=tmp_path, data_dir=data)
    assert r.returncode == 0, r.stderr
    assert (data / "lgurban.sqlite").is_file()
    r = lgurban("users", "list", cwd=tmp_path, data_dir=data)  # the tables are there
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""
    again = lgurban("db", "upgrade", cwd=tmp_path, data_dir=data)
    assert again.returncode == 0, again.stderr


def test_users_commands_on_an_unmigrated_database_say_what_to_do(tmp_path: Path) -> None:
    r = lgurban("users", "list", cwd=tmp_path, data_dir=tmp_path / "data")
    assert r.returncode == 1
    assert "run `lgurban db upgrade`" in r.stderr
    assert "Traceback" not in r.stderr


async def _status_with(app: FastAPI, token: str) -> int:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        r = await c.get("/api/threads", headers={"Authorization": f"Bearer {token}"})
        return r.status_code


async def test_users_create_list_revoke(db_url: str, tmp_path: Path, settings_factory) -> None:  # type: ignore[no-untyped-def]
    name = f"cli-{tmp_path.name[-12:]}".replace("_", "-")
    env = {"database_url": db_url, "data_dir": tmp_path / "data"}
    created = lgurban("users", "create", name, cwd=tmp_path, **env)
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert created.stdout == token + "\n"  # stdout is the token and nothing else
    assert token.startswith("lgu_") and len(token) > 40
    assert token not in created.stderr
    assert "shown once" in created.stderr

    listed = lgurban("users", "list", cwd=tmp_path, **env)
    assert listed.returncode == 0, listed.stderr
    line = next(ln for ln in listed.stdout.splitlines() if ln.startswith(name + "\t"))
    assert line.endswith("1 active token(s)")
    assert token not in listed.stdout

    app = create_app(settings_factory(auth_mode="token"))
    async with app.router.lifespan_context(app):
        assert await _status_with(app, token) == 200
        revoked = lgurban("users", "revoke", name, cwd=tmp_path, **env)
        assert revoked.returncode == 0, revoked.stderr
        assert "1 token(s)" in revoked.stdout
        assert await _status_with(app, token) == 401

    listed = lgurban("users", "list", cwd=tmp_path, **env)
    assert f"{name}\t" in listed.stdout
    assert next(ln for ln in listed.stdout.splitlines() if ln.startswith(name + "\t")).endswith("revoked")
    again = lgurban("users", "create", name, cwd=tmp_path, **env)
    assert again.returncode == 1
    assert "revoked" in again.stderr
    missing = lgurban("users", "revoke", "nobody-" + name, cwd=tmp_path, **env)
    assert missing.returncode == 1
    assert "no user named" in missing.stderr


@pytest.mark.parametrize("how", ["--host", "HOST"])
def test_serve_refuses_a_public_address_without_auth(tmp_path: Path, how: str) -> None:
    if how == "--host":
        r = lgurban("serve", "--host", "0.0.0.0", cwd=tmp_path, data_dir=tmp_path / "d")
    else:
        r = lgurban("serve", cwd=tmp_path, data_dir=tmp_path / "d", host="0.0.0.0")
    assert r.returncode != 0
    assert "Refusing to listen on 0.0.0.0 with AUTH_MODE=local" in r.stderr
    assert "Set AUTH_MODE=token" in r.stderr
    assert "lgurban users create NAME" in r.stderr
    assert "127.0.0.1" in r.stderr
    assert not (tmp_path / "d").exists()  # refused before doing anything


def test_serve_refuses_a_placeholder_secret_in_production(tmp_path: Path) -> None:
    r = lgurban(
        "serve", cwd=tmp_path, environment="production", secret_key="change-me",
        openai_api_key="sk-do-not-print-me", auth_mode="token", timeout=30,
    )  # fmt: skip
    assert r.returncode == 2
    assert "SECRET_KEY must be set" in r.stderr
    assert "change-me" not in r.stderr + r.stdout
    assert "sk-do-not-print-me" not in r.stderr + r.stdout


def test_serve_in_token_mode_on_all_interfaces_honours_settings(tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [LGURBAN, "serve", "--host", "0.0.0.0"],
        cwd=tmp_path,
        env=_env(auth_mode="token", port=port, data_dir=tmp_path / "data", log_level="WARNING"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, proc.communicate()
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/threads", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.1)
        assert r.status_code == 401  # up, and asking for a token
        health = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=5)
        assert health.status_code == 503  # a fresh DATA_DIR: served, but it says what is missing
        assert health.json()["checks"]["db"] == "not migrated: run `lgurban db upgrade`"
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=20)
    assert f"http://0.0.0.0:{port}" in out
    assert "auth: token" in out


def test_the_start_up_line_says_when_no_model_can_answer(tmp_path: Path) -> None:
    from lgurban.cli.serve import _banner
    from lgurban.settings import Settings

    bare = Settings(
        _env_file=None,
        environment="test",
        data_dir=tmp_path,
        openai_api_key=None,
        anthropic_api_key=None,
        openai_base_url=None,
    )  # type: ignore[call-arg]
    assert "no language model configured" in _banner(bare) and "OPENAI_API_KEY" in _banner(bare)
    keyed = Settings(
        _env_file=None,
        environment="test",
        data_dir=tmp_path,
        llm_model="openai:gpt-4.1-mini",
        openai_api_key="sk-x",
    )  # type: ignore[call-arg]
    assert "no language model" not in _banner(keyed)


async def test_users_set_quota_and_usage(db_url: str, tmp_path: Path, settings_factory) -> None:  # type: ignore[no-untyped-def]
    """issue 13: an operator gives one user their own limit; `usage` shows it beside what they used."""
    settings_factory()  # the database at head
    name = f"quota-{tmp_path.name[-12:]}".replace("_", "-")
    env = {"database_url": db_url, "data_dir": tmp_path / "data", "auth_mode": "token"}
    assert lgurban("users", "create", name, cwd=tmp_path, **env).returncode == 0
    r = lgurban("users", "set-quota", name, "runs_per_hour", "5", cwd=tmp_path, **env)
    assert r.returncode == 0, r.stderr
    assert "runs_per_hour = 5" in r.stdout
    usage = lgurban("users", "usage", cwd=tmp_path, **env)
    assert usage.returncode == 0, usage.stderr
    line = next(ln for ln in usage.stdout.splitlines() if ln.startswith(name + "\t"))
    assert line == f"{name}\t0 / 5\t8"  # sandboxes: the token-mode default, a quarter of SANDBOX_MAX_LIVE
    back = lgurban("users", "set-quota", name, "runs_per_hour", "default", cwd=tmp_path, **env)
    assert back.returncode == 0, back.stderr
    usage = lgurban("users", "usage", cwd=tmp_path, **env)
    assert f"{name}\t0 / 120\t8" in usage.stdout.splitlines()
    bad = lgurban("users", "set-quota", name, "gpus", "1", cwd=tmp_path, **env)
    assert bad.returncode == 1 and "sandboxes, runs_per_hour" in bad.stderr and "Traceback" not in bad.stderr
    nobody = lgurban("users", "set-quota", "nobody-here", "sandboxes", "1", cwd=tmp_path, **env)
    assert nobody.returncode == 1 and "no user named" in nobody.stderr
    word = lgurban("users", "set-quota", name, "sandboxes", "lots", cwd=tmp_path, **env)
    assert word.returncode == 1 and "whole number" in word.stderr
