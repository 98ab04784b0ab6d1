"""The real app under uvicorn on a free port, driven over real HTTP."""

from __future__ import annotations

import httpx

from lgurban.db.session import make_engine, make_sessionmaker
from tests.factories import api_client, make_user


async def test_thread_lifecycle_over_http(live_server) -> None:  # type: ignore[no-untyped-def]
    async with httpx.AsyncClient(base_url=live_server.url, timeout=10) as http:
        health = await http.get("/api/health")
        assert health.status_code == 200
        assert health.json()["checks"]["db"] == "ok"
        made = await http.post("/api/threads", json={"title": "Traffico", "config": {"temperature": 0.3}})
        assert made.status_code == 201, made.text
        tid = made.json()["id"]
        listed = (await http.get("/api/threads", params={"limit": 200})).json()
        assert tid in [t["id"] for t in listed["items"]]
        patched = await http.patch(f"/api/threads/{tid}", json={"title": "Traffico 2024", "archived": True})
        assert patched.json()["title"] == "Traffico 2024"
        assert patched.json()["archived_at"] is not None
        assert (await http.delete(f"/api/threads/{tid}")).status_code == 204
        gone = await http.get(f"/api/threads/{tid}")
        assert gone.status_code == 404
        assert gone.json()["error"]["code"] == "THREAD_NOT_FOUND"
        bad = await http.post(
            "/api/threads", content=b"{not json", headers={"content-type": "application/json"}
        )
        assert bad.status_code == 422
        assert bad.json()["error"]["code"] == "VALIDATION_ERROR"
        schema = (await http.get("/openapi.json")).json()
        assert "/api/threads/{thread_id}" in schema["paths"]


async def test_token_mode_over_http(live_server_factory, settings_factory) -> None:  # type: ignore[no-untyped-def]
    settings = settings_factory(auth_mode="token")
    server = live_server_factory(settings)
    engine = make_engine(settings)
    try:
        new = await make_user(make_sessionmaker(engine), name=f"http-{server.port}")
    finally:
        await engine.dispose()
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        denied = await http.get("/api/threads")
        assert denied.status_code == 401
        assert denied.headers["www-authenticate"] == "Bearer"
        auth = {"Authorization": f"Bearer {new.token}"}
        made = await http.post("/api/threads", json={"title": "mine"}, headers=auth)
        assert made.status_code == 201
        # created means committed: another connection sees it at once
        got = await http.get(f"/api/threads/{made.json()['id']}", headers=auth)
        assert got.status_code == 200
        assert new.token not in got.text


async def test_an_unexpected_error_is_a_json_500_without_details(settings) -> None:  # type: ignore[no-untyped-def]
    from lgurban.app import create_app
    from tests.conftest import LiveServer

    app = create_app(settings)

    @app.get("/api/test-boom")
    async def boom() -> None:
        raise RuntimeError("secret internal detail /etc/passwd")

    app.router.routes.insert(0, app.router.routes.pop())  # ahead of the web app's catch-all route

    server = LiveServer(app).start()
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
            r = await http.get("/api/test-boom")
            assert r.status_code == 500
            assert r.json() == {"error": {"code": "INTERNAL_ERROR", "message": "Internal server error"}}
            assert "secret" not in r.text
            assert "Traceback" not in r.text
        # the server goes on serving (uvicorn closes the connection the error happened on, so a new one)
        async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
            assert (await http.get("/api/health")).status_code == 200
    finally:
        server.stop()


async def test_health_names_an_unmigrated_database(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from lgurban.app import create_app
    from lgurban.db.migrate import downgrade, upgrade
    from lgurban.settings import Settings

    settings = Settings(environment="test", data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        async with api_client(app) as c:
            r = await c.get("/api/health")
            assert r.status_code == 503
            assert r.json()["checks"]["db"] == "not migrated: run `lgurban db upgrade`"
            upgrade(settings)
            assert (await c.get("/api/health")).json()["checks"]["db"] == "ok"
            downgrade(settings, "base")  # behind the code again
            assert (await c.get("/api/health")).json()["checks"]["db"].startswith("not migrated")
