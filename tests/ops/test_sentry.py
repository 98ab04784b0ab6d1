"""SENTRY_DSN (issue 12): an unexpected error reaches Sentry — a fake ingest server speaking its envelope
protocol — and no secret setting's value is in what was sent."""

from __future__ import annotations

import gzip
import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import sentry_sdk

from lgurban.app import create_app
from lgurban.observability.sentry import FILTERED, scrub
from tests.conftest import wait_until

API_KEY = "sk-live-0123456789abcdefSECRET"
DB_PASSWORD = "pg-pass-4242"


class FakeSentry:
    """POST /api/<project>/envelope/ → the envelope's items, decoded."""

    def __init__(self) -> None:
        self.bodies: list[str] = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.headers.get("Content-Encoding") == "gzip":
                    raw = gzip.decompress(raw)
                owner.bodies.append(raw.decode())
                self.send_response(200)
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.dsn = f"http://publickey@127.0.0.1:{self.server.server_address[1]}/42"

    def events(self) -> list[dict[str, Any]]:
        out = []
        for body in self.bodies:
            for line in body.splitlines()[1:]:
                try:
                    item = json.loads(line)
                except ValueError:
                    continue
                if isinstance(item, dict) and "exception" in item:
                    out.append(item)
        return out


@pytest.fixture
def fake_sentry() -> Iterator[FakeSentry]:
    fake = FakeSentry()
    yield fake
    sentry_sdk.get_client().close()
    # no DSN: reporting off again for the rest of the run, and nothing patched
    sentry_sdk.init(default_integrations=False, auto_enabling_integrations=False)
    fake.server.shutdown()
    fake.server.server_close()


USER_KEY = "sk-user-own-key-0123456789abcdef"


async def test_an_unexpected_error_is_reported_without_any_secret(
    settings_factory: Any, fake_sentry: FakeSentry, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_factory(
        sentry_dsn=fake_sentry.dsn,
        openai_api_key=API_KEY,
        secret_key="k" * 40,
        sandbox_host_secret="host-secret-abcdef",
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        service = app.state.resources.artifacts

        async def broken(**_: Any) -> Any:
            key = API_KEY  # a local variable Sentry would show
            user_key = USER_KEY  # a user's own provider key: no setting, so the scrubber cannot know it
            assert user_key
            raise RuntimeError(f"upstream refused key {key} and postgres://u:{DB_PASSWORD}@db/x")

        monkeypatch.setattr(service, "list", broken)
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            tid = (await client.post("/api/threads", json={})).json()["id"]
            r = await client.get(
                f"/api/threads/{tid}/artifacts", headers={"Authorization": f"Bearer {API_KEY}"}
            )
            # reporting on, a file upload still streams to the route (nothing reads the body before it)
            up = await client.post(
                f"/api/threads/{tid}/files", files={"file": ("a.csv", b"x,y\n1,2\n", "text/csv")}
            )
            assert up.status_code == 201, up.text
        assert r.status_code == 500 and API_KEY not in r.text
        sentry_sdk.flush(timeout=5)
        await wait_until(lambda: fake_sentry.events(), timeout=10)
    [event] = fake_sentry.events()
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    sent = "\n".join(fake_sentry.bodies)
    assert API_KEY not in sent and "host-secret-abcdef" not in sent and "k" * 40 not in sent
    assert FILTERED in json.dumps(event["exception"])  # the message was scrubbed, not dropped
    # no frame carries its local variables (they could hold any user's key, issue 13)
    frames = [f for v in event["exception"]["values"] for f in (v.get("stacktrace") or {}).get("frames", [])]
    assert frames and not any("vars" in f for f in frames) and USER_KEY not in sent


def test_scrub_replaces_every_secret_wherever_it_is() -> None:
    event = {"a": [f"x{API_KEY}y", {"b": (DB_PASSWORD, 3)}], "n": 1}
    assert scrub(event, [API_KEY, DB_PASSWORD]) == {"a": [f"x{FILTERED}y", {"b": [FILTERED, 3]}], "n": 1}


def test_secret_values_include_url_passwords(settings_factory: Any) -> None:
    settings = settings_factory(database_url=f"postgresql://app:{DB_PASSWORD}@db.example:5432/x")
    assert DB_PASSWORD in settings.secret_values()
