"""LOG_FORMAT=json on a real `lgurban serve`: every line parses, requests carry their id, no secret shows."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import httpx

from tests.conftest import free_port
from tests.test_cli import LGURBAN, _env

SECRETS = {
    "secret_key": "sk3cr3t-signing-key-0123456789-abcdefghijkl",
    "openai_api_key": "sk-live-openai-key-do-not-log-0001",
    "anthropic_api_key": "sk-ant-key-do-not-log-0002",
}


def _wait_up(url: str, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, "server exited"
        try:
            if httpx.get(url + "/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)  # polling a process that starts up, not a sleep-as-sync between steps
    raise AssertionError("server did not start")


def test_json_lines_with_request_and_thread_ids_and_no_secrets(tmp_path: Path) -> None:
    port = free_port()
    env = _env(data_dir=tmp_path / "data", log_format="json", port=port, environment="development", **SECRETS)
    proc = subprocess.Popen(
        [LGURBAN, "serve", "--migrate"],
        cwd=tmp_path,
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_up(url, proc)
        created = httpx.post(url + "/api/threads", json={}, headers={"X-Request-ID": "caller-chosen-id-42"})
        assert created.headers["x-request-id"] == "caller-chosen-id-42"
        tid = created.json()["id"]
        got = httpx.get(f"{url}/api/threads/{tid}", headers={"X-Request-ID": 'bad id {with} "quotes"'})
        assert got.status_code == 200
        fresh = got.headers["x-request-id"]
        assert fresh != 'bad id {with} "quotes"' and len(fresh) == 32
        missing = httpx.get(f"{url}/api/threads/00000000-0000-0000-0000-000000000000")
        assert missing.status_code == 404 and missing.headers["x-request-id"]
        for body in (created.text, got.text, missing.text):
            assert not any(v in body for v in SECRETS.values())
        # issue 19: a shared link's token is a bearer secret; the access line keeps its id part only
        token = httpx.post(f"{url}/api/threads/{tid}/share").json()["token"]
        assert httpx.get(f"{url}/api/shared/{token}").status_code == 200
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert [ln for ln in lines if not ln.startswith("{")] == []
    records = [json.loads(ln) for ln in lines]  # every line is one JSON object
    assert all({"ts", "level", "logger", "message"} <= r.keys() for r in records)
    access = [r for r in records if r["logger"] == "lgurban.access"]
    post = next(r for r in access if r["method"] == "POST" and r["path"] == "/api/threads")
    assert (post["request_id"] == "caller-chosen-id-42" and post["status"] == 201) or post["status"] == 200
    one = next(r for r in access if r["path"] == f"/api/threads/{tid}")
    assert one["request_id"] == fresh and one["thread_id"] == tid and isinstance(one["duration_ms"], float)
    assert any(r["status"] == 404 for r in access)
    assert any(r["logger"].startswith("uvicorn") for r in records)  # the server's own lines, as JSON too
    assert not any(v in err for v in SECRETS.values())
    share_id, signature = token.split(".")
    assert signature not in err
    assert any(r["path"] == f"/api/shared/{share_id}.…" and r["status"] == 200 for r in access)
