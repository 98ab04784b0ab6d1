"""Issue 13 #1: web sign-in. A token becomes a session cookie; changes by cookie need the CSRF header."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, update

from lgurban.auth import revoke_user
from lgurban.db.models import ApiToken, AuthSession, utcnow
from lgurban.db.session import session_scope
from tests.factories import api_client, make_user


def _browser(app: FastAPI, base_url: str = "http://127.0.0.1:8000") -> httpx.AsyncClient:
    """A cookie-keeping client without any Authorization header, like the web app in a browser."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url)


@pytest.fixture
async def browser(token_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with _browser(token_app) as c:
        yield c


async def _sign_in(client: httpx.AsyncClient, token: str) -> httpx.Response:
    r = await client.post("/api/auth/session", json={"token": token})
    assert r.status_code == 204, r.text
    return r


def _csrf(client: httpx.AsyncClient) -> dict[str, str]:
    return {"X-CSRF-Token": client.cookies["csrf_token"]}


async def test_sign_in_sets_session_cookies_and_me_answers(token_app, browser) -> None:  # type: ignore[no-untyped-def]
    made = await make_user(token_app.state.resources.sessionmaker)
    assert (await browser.get("/api/me")).status_code == 401
    r = await _sign_in(browser, made.token)
    cookies = {c.split("=", 1)[0]: c.lower() for c in r.headers.get_list("set-cookie")}
    assert set(cookies) == {"lgurban_session", "csrf_token"}
    session_cookie = cookies["lgurban_session"]
    assert "httponly" in session_cookie and "samesite=lax" in session_cookie and "path=/" in session_cookie
    assert "secure" not in session_cookie  # plain HTTP on loopback (make run)
    assert "httponly" not in cookies["csrf_token"]  # the web app reads it
    assert made.token not in r.headers.get("set-cookie", "")  # the cookie is a session id, not the token
    me = await browser.get("/api/me")
    assert me.status_code == 200
    assert me.json() == {"id": str(made.id), "name": made.name, "auth_mode": "token"}


async def test_cookies_are_secure_off_loopback(token_app) -> None:  # type: ignore[no-untyped-def]
    made = await make_user(token_app.state.resources.sessionmaker)
    for base in ("https://lgurban.example.org", "http://lgurban.example.org"):
        async with _browser(token_app, base) as c:
            r = await _sign_in(c, made.token)
            assert all("secure" in v.lower() for v in r.headers.get_list("set-cookie"))


async def test_cookie_change_needs_the_csrf_header(token_app, browser) -> None:  # type: ignore[no-untyped-def]
    await _sign_in(browser, (await make_user(token_app.state.resources.sessionmaker)).token)
    refused = await browser.post("/api/threads", json={"title": "x"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "CSRF_FAILED"
    wrong = await browser.post("/api/threads", json={"title": "x"}, headers={"X-CSRF-Token": "guess"})
    assert wrong.status_code == 403
    assert (await browser.get("/api/threads")).json()["items"] == []  # nothing was made
    ok = await browser.post("/api/threads", json={"title": "ok"}, headers=_csrf(browser))
    assert ok.status_code == 201, ok.text
    patched = await browser.patch(
        f"/api/threads/{ok.json()['id']}", json={"title": "y"}, headers=_csrf(browser)
    )
    assert patched.status_code == 200


async def test_csrf_token_of_another_session_is_refused(token_app) -> None:  # type: ignore[no-untyped-def]
    sm = token_app.state.resources.sessionmaker
    async with _browser(token_app) as a, _browser(token_app) as b:
        await _sign_in(a, (await make_user(sm)).token)
        await _sign_in(b, (await make_user(sm)).token)
        theirs = b.cookies["csrf_token"]
        a.cookies.set("csrf_token", theirs, domain="127.0.0.1")
        r = await a.post("/api/threads", json={}, headers={"X-CSRF-Token": theirs})
        assert r.status_code == 403
        assert r.json()["error"]["code"] == "CSRF_FAILED"


async def test_bearer_requests_need_no_csrf_header(token_app) -> None:  # type: ignore[no-untyped-def]
    made = await make_user(token_app.state.resources.sessionmaker)
    async with api_client(token_app, made.token) as c:
        assert (await c.post("/api/threads", json={"title": "api"})).status_code == 201
        assert (await c.get("/api/me")).json()["name"] == made.name


async def test_sign_out_revokes_the_session_everywhere(token_app, browser) -> None:  # type: ignore[no-untyped-def]
    await _sign_in(browser, (await make_user(token_app.state.resources.sessionmaker)).token)
    stolen = browser.cookies["lgurban_session"]
    refused = await browser.delete("/api/auth/session")
    assert refused.status_code == 403  # sign-out by cookie is a change too
    r = await browser.delete("/api/auth/session", headers=_csrf(browser))
    assert r.status_code == 204
    assert (await browser.get("/api/me")).status_code == 401
    async with _browser(token_app) as other:
        other.cookies.set("lgurban_session", stolen, domain="127.0.0.1")
        assert (await other.get("/api/me")).status_code == 401
    # signing out again, or without a session at all, is not an error
    assert (await browser.delete("/api/auth/session")).status_code == 204


async def test_sign_in_rotates_the_session_id(token_app, browser) -> None:  # type: ignore[no-untyped-def]
    made = await make_user(token_app.state.resources.sessionmaker)
    await _sign_in(browser, made.token)
    first = browser.cookies["lgurban_session"]
    await _sign_in(browser, made.token)
    assert browser.cookies["lgurban_session"] != first
    async with _browser(token_app) as old:
        old.cookies.set("lgurban_session", first, domain="127.0.0.1")
        assert (await old.get("/api/me")).status_code == 401
    assert (await browser.get("/api/me")).status_code == 200


async def test_a_disabled_users_session_stops_working(token_app, browser) -> None:  # type: ignore[no-untyped-def]
    sm = token_app.state.resources.sessionmaker
    made = await make_user(sm)
    await _sign_in(browser, made.token)
    async with session_scope(sm) as session:
        await revoke_user(session=session, name=made.name)
    r = await browser.get("/api/me")
    assert r.status_code == 401
    again = await browser.post("/api/auth/session", json={"token": made.token})
    assert again.status_code == 401
    assert again.json()["error"]["code"] == "INVALID_TOKEN"


async def test_an_expired_session_stops_working(token_app, browser) -> None:  # type: ignore[no-untyped-def]
    sm = token_app.state.resources.sessionmaker
    made = await make_user(sm)
    await _sign_in(browser, made.token)
    async with session_scope(sm) as session:
        await session.execute(
            update(AuthSession)
            .where(AuthSession.user_id == made.id)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    r = await browser.get("/api/threads")
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "UNAUTHORIZED"


async def test_bad_sign_ins_are_4xx_and_the_token_is_never_logged(
    token_app, browser, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    secret = "lgu_not-a-real-token-but-secret"
    r = await browser.post("/api/auth/session", json={"token": secret})
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "INVALID_TOKEN"
    for body in ({}, {"token": ""}, {"token": 5}, {"token": "x" * 501}, []):
        bad = await browser.post("/api/auth/session", json=body)
        assert bad.status_code == 422, (body, bad.text)
    assert (await browser.post("/api/auth/session", content=b"{not json")).status_code == 422
    assert secret not in caplog.text
    assert secret not in r.text


async def test_failed_sign_ins_are_rate_limited_per_address(settings_factory) -> None:  # type: ignore[no-untyped-def]
    app = create_limited_app(settings_factory)
    async with app.router.lifespan_context(app), _browser(app) as c:
        made = await make_user(app.state.resources.sessionmaker)
        for _ in range(3):
            assert (await c.post("/api/auth/session", json={"token": "wrong"})).status_code == 401
        limited = await c.post("/api/auth/session", json={"token": made.token})
        assert limited.status_code == 429
        assert limited.json()["error"]["code"] == "TOO_MANY_SIGN_INS"
        assert "wrong" not in limited.text
        async with session_scope(app.state.resources.sessionmaker) as session:
            rows = (await session.execute(select(AuthSession).where(AuthSession.user_id == made.id))).all()
        assert rows == []


def create_limited_app(settings_factory) -> FastAPI:  # type: ignore[no-untyped-def]
    from lgurban.app import create_app

    return create_app(settings_factory(auth_mode="token", auth_sign_in_max_failures=3))


async def test_local_mode_is_unchanged(client: httpx.AsyncClient) -> None:
    me = await client.get("/api/me")
    assert me.status_code == 200
    assert me.json()["auth_mode"] == "local"
    assert (await client.post("/api/threads", json={})).status_code == 201  # no CSRF, no sign-in
    r = await client.post("/api/auth/session", json={"token": "x"})
    assert r.status_code == 409


async def test_sse_get_stream_works_with_the_cookie(token_app, browser) -> None:  # type: ignore[no-untyped-def]
    await _sign_in(browser, (await make_user(token_app.state.resources.sessionmaker)).token)
    thread = (await browser.post("/api/threads", json={}, headers=_csrf(browser))).json()
    r = await browser.get(
        f"/api/threads/{thread['id']}/runs/active/events", headers={"Accept": "text/event-stream"}
    )
    assert r.status_code == 204  # no run in progress: the stream route answered this user, not 401


async def test_expired_sessions_are_pruned_at_the_next_sign_in(token_app, browser) -> None:  # type: ignore[no-untyped-def]
    sm = token_app.state.resources.sessionmaker
    made = await make_user(sm)
    await _sign_in(browser, made.token)
    async with session_scope(sm) as session:
        await session.execute(
            update(AuthSession).where(AuthSession.user_id == made.id).values(expires_at=utcnow())
        )
    await _sign_in(browser, made.token)
    async with session_scope(sm) as session:
        rows = (await session.execute(select(AuthSession).where(AuthSession.user_id == made.id))).all()
    assert len(rows) == 1


async def test_revoking_the_token_ends_its_sessions(token_app, browser) -> None:  # type: ignore[no-untyped-def]
    sm = token_app.state.resources.sessionmaker
    made = await make_user(sm)
    await _sign_in(browser, made.token)
    async with session_scope(sm) as session:
        await session.execute(update(ApiToken).where(ApiToken.user_id == made.id).values(revoked_at=utcnow()))
    assert (await browser.get("/api/me")).status_code == 401


async def test_a_bearer_header_wins_over_a_cookie(token_app, browser) -> None:  # type: ignore[no-untyped-def]
    sm = token_app.state.resources.sessionmaker
    cookie_user, bearer_user = await make_user(sm), await make_user(sm)
    await _sign_in(browser, cookie_user.token)
    headers = {"Authorization": f"Bearer {bearer_user.token}"}
    assert (await browser.get("/api/me", headers=headers)).json()["name"] == bearer_user.name
    assert (await browser.post("/api/threads", json={}, headers=headers)).status_code == 201  # no CSRF
