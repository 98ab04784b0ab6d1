"""Start the real LG-Urban server for the browser tests, with fakes only at the outside edges.

Run from the repository root: `uv run python frontend/e2e/start_server.py [--seed-long N]`.
It migrates a fresh SQLite database in a temporary DATA_DIR, starts the fake OpenAI-compatible model
(tests/fakes/openai_server.py) and the fake Opendatasoft portal (tests/fakes/opendatasoft.py) when they
exist, wires them in through Settings (OPENAI_BASE_URL, OPENDATA_BASE_URL), optionally seeds a long
thread, serves the app with uvicorn on a free port, and prints one JSON line: {"url", ...}.
It runs until stdin closes or it gets SIGTERM, then removes the temporary directory.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import json
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))  # for tests.fakes

import uvicorn  # noqa: E402

from lgurban.app import create_app  # noqa: E402
from lgurban.db.migrate import upgrade  # noqa: E402
from lgurban.settings import Settings  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerThread:
    """uvicorn in a background thread, stopped cleanly."""

    def __init__(self, app: Any, port: int) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{port}"

    def start(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError(f"server on {self.url} did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def start_fakes(
    stack: contextlib.ExitStack, map_points: int = 0, portal_down: bool = False
) -> dict[str, Any]:
    """Start whichever outside-edge fakes exist; return the settings that point the app at them.
    `map_points`: the portal also serves `alberi`, a geo dataset of that many points (issue 16's figure).
    `portal_down`: the app gets the portal's address but nothing listens there until the test writes
    `portal up` on stdin (the portal unreachable, then back: issue 19)."""
    overrides: dict[str, Any] = {}
    try:
        llm = importlib.import_module("tests.fakes.openai_server")
    except ModuleNotFoundError:
        llm = None
    if llm is not None:
        server = stack.enter_context(llm.serve_e2e())  # scripted for the browser tests
        overrides.update(
            openai_base_url=server.url, openai_api_key="sk-fake", llm_model="openai:fake-analyst"
        )
        # tests script extra turns over HTTP (POST <root>/_script): no retries, so errors show at once
        overrides.update(llm_max_retries=0)
        overrides["_fake_llm_root"] = server.url.removesuffix("/v1")
    try:
        portal = importlib.import_module("tests.fakes.opendatasoft")
    except ModuleNotFoundError:
        portal = None
    if portal is not None:
        fake_portal = portal.FakePortal()
        if map_points:
            from tests.fakes.fixtures.opendatasoft_data import many_points

            fake_portal.add_dataset(many_points(map_points))
        fake_portal.port = free_port()
        if portal_down:
            overrides["_portal_up"] = lambda: fake_portal.start(fake_portal.port)
        else:
            fake_portal.start(fake_portal.port)
        stack.callback(fake_portal.stop)
        overrides.update(opendata_base_url=fake_portal.url)
    # issue 16: places by name (fake Nominatim) and the city's aerial photo tiles (fake XYZ server)
    from tests.fakes.nominatim import FakeNominatim
    from tests.fakes.tiles import FakeTiles

    geocoder = FakeNominatim().start()
    stack.callback(geocoder.stop)
    tiles = FakeTiles().start()
    stack.callback(tiles.stop)
    overrides.update(geocoder_url=geocoder.url, geocoder_min_interval_s=0.0, sit_tiles_url=tiles.template)
    overrides["_tiles_url"] = tiles.url
    return overrides


async def seed_long_thread(settings: Settings, count: int) -> str:
    """Write a thread of `count` messages straight into the database (for the 500-message figure)."""
    from lgurban.auth import get_or_create_user
    from lgurban.db.models import Message, Thread, utcnow
    from lgurban.db.session import make_engine, make_sessionmaker

    engine = make_engine(settings)
    try:
        async with make_sessionmaker(engine)() as session:
            user = await get_or_create_user(session=session, name=settings.local_user_name)
            start = utcnow() - timedelta(days=1)
            thread = Thread(owner_id=user.id, title=f"Long thread ({count} messages)", updated_at=start)
            session.add(thread)
            await session.flush()
            for i in range(count):
                role = "user" if i % 2 == 0 else "assistant"
                text = (
                    f"Question {i // 2 + 1}: how many cyclists passed counter {i}?"
                    if role == "user"
                    else f"Answer {i // 2 + 1}: **{i * 37 % 1000}** cyclists.\n\n"
                    f"| day | count |\n|---|---|\n| Mon | {i} |"
                )
                session.add(
                    Message(
                        thread_id=thread.id,
                        seq=i + 1,
                        role=role,
                        content=text,
                        created_at=start + timedelta(seconds=i),
                    )
                )
            await session.commit()
            return str(thread.id)
    finally:
        await engine.dispose()


async def make_token_user(settings: Settings) -> tuple[str, str]:
    """A user and its API token, as `lgurban users create ada` makes them."""
    from lgurban.auth import create_user_with_token
    from lgurban.db.session import make_engine, make_sessionmaker

    engine = make_engine(settings)
    try:
        async with make_sessionmaker(engine)() as session:
            new = await create_user_with_token(session=session, name="ada")
            await session.commit()
            return new.user.name, new.token
    finally:
        await engine.dispose()


def start_oidc(stack: contextlib.ExitStack, overrides: dict[str, Any]) -> dict[str, Any]:
    """AUTH_MODE=oidc against the fake provider (tests/fakes/oidc_provider.py); what the test needs of it."""
    from tests.fakes.oidc_provider import CLIENT_ID, CLIENT_SECRET, FakeOidcProvider

    provider = FakeOidcProvider().start()
    stack.callback(provider.stop)
    provider.user = {"sub": "e2e-ada", "email": "ada@example.org", "email_verified": True}
    provider.user["name"] = "Ada Lovelace"
    overrides.update(
        auth_mode="oidc",
        oidc_issuer=provider.issuer,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=CLIENT_SECRET,
        oidc_allowed_domains=["example.org"],
        oidc_provider_name="Fake IdP",
    )
    return {"oidc_issuer": provider.issuer, "oidc_user_name": provider.user["name"]}


def read_commands(stop: threading.Event, portal_up: Any) -> None:
    """Commands on stdin, one a line: `portal up` starts the portal (--portal-down); EOF stops the server."""
    for line in sys.stdin:
        if line.strip() == "portal up" and portal_up is not None:
            portal_up()
            print(json.dumps({"portal": "up"}), flush=True)
    stop.set()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed-long", type=int, default=0, help="seed a thread with this many messages")
    parser.add_argument(
        "--no-llm", action="store_true", help="no model provider at all (MODEL_NOT_CONFIGURED)"
    )
    parser.add_argument(
        "--auth-token", action="store_true", help="AUTH_MODE=token with one user; its token in the JSON line"
    )
    parser.add_argument(
        "--auth-oidc", action="store_true", help="AUTH_MODE=oidc against the fake OIDC provider"
    )
    parser.add_argument(
        "--map-points", type=int, default=0, help="the portal also serves `alberi`, a dataset of N points"
    )
    parser.add_argument(
        "--map-tiles", default="", help="MAP_TILES_URL (default none: a map then asks no host but the app)"
    )
    parser.add_argument(
        "--portal-down",
        action="store_true",
        help="the portal does not answer (connection refused) until `portal up` is written on stdin",
    )
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="lgurban-e2e-"))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with contextlib.ExitStack() as stack:
        stack.callback(shutil.rmtree, data_dir, ignore_errors=True)
        overrides = start_fakes(stack, args.map_points, args.portal_down)
        portal_up = overrides.pop("_portal_up", None)
        if args.no_llm:  # whatever the environment holds
            overrides.pop("_fake_llm_root", None)
            overrides.update(openai_api_key=None, openai_base_url=None, anthropic_api_key=None)
        fake_llm_root = overrides.pop("_fake_llm_root", None)
        tiles_url = overrides.pop("_tiles_url")
        if args.auth_token:
            overrides["auth_mode"] = "token"
        oidc = start_oidc(stack, overrides) if args.auth_oidc else {}
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            environment="test",
            data_dir=data_dir,
            database_url=f"sqlite:///{data_dir / 'lgurban.sqlite'}",
            frontend_dist=REPO / "frontend" / "dist",
            sandbox_exec_timeout_s=60,
            # issue 16: no basemap unless asked, so a map asks no host but the app (the browser tests check)
            map_tiles_url=args.map_tiles,
            **overrides,
        )
        upgrade(settings)
        info: dict[str, Any] = {"data_dir": str(data_dir), "fakes": sorted(overrides), **oidc}
        if args.auth_token:  # issue 13: the browser signs in with it
            info["user_name"], info["token"] = asyncio.run(make_token_user(settings))
        info["tiles_url"] = tiles_url  # the fake tile server: GET <tiles_url>/_requests
        if fake_llm_root:
            info["fake_llm_url"] = fake_llm_root
        if args.seed_long:
            info["long_thread_id"] = asyncio.run(seed_long_thread(settings, args.seed_long))
        server = ServerThread(create_app(settings), free_port()).start()
        stack.callback(server.stop)
        info["url"] = server.url
        print(json.dumps(info), flush=True)
        threading.Thread(target=read_commands, args=(stop, portal_up), daemon=True).start()
        stop.wait()


if __name__ == "__main__":
    main()
