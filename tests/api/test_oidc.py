"""Issue 13 #1, AUTH_MODE=oidc: sign-in through an OpenID Connect provider (a fake on loopback, real HTTP).

The browser is an httpx client of the app that follows redirects by hand: app → provider → app.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from lgurban import auth as auth_module
from lgurban.app import create_app
from lgurban.auth import revoke_user
from lgurban.db.models import UserIdentity
from lgurban.db.session import session_scope
from lgurban.settings import InvalidSettings, load_settings
from tests.factories import api_client, make_user
from tests.fakes.oidc_provider import CLIENT_ID, CLIENT_SECRET, FakeOidcProvider, s256

APP = "http://127.0.0.1:8000"


@pytest.fixture(scope="session")
def oidc_server() -> Iterator[FakeOidcProvider]:
    provider = FakeOidcProvider().start()
    yield provider
    provider.stop()


@pytest.fixture
def provider(oidc_server: FakeOidcProvider) -> Iterator[FakeOidcProvider]:
    """The provider, signing in a user no other test has seen."""
    tag = uuid.uuid4().hex[:10]
    oidc_server.user = {
        "sub": f"sub-{tag}",
        "email": f"ada-{tag}@example.org",
        "email_verified": True,
        "name": f"Ada {tag}",
    }
    oidc_server.id_token_changes, oidc_server.deny, oidc_server.down = {}, False, False
    oidc_server.requests.clear()
    yield oidc_server
    oidc_server.id_token_changes, oidc_server.deny, oidc_server.down = {}, False, False
    oidc_server.forged_with = None


@pytest.fixture
async def oidc_app(settings_factory, provider: FakeOidcProvider) -> AsyncIterator[FastAPI]:  # type: ignore[no-untyped-def]
    settings = settings_factory(
        auth_mode="oidc",
        oidc_issuer=provider.issuer,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=CLIENT_SECRET,
        oidc_allowed_domains="example.org",
        oidc_allowed_emails="grace@elsewhere.net",
        oidc_provider_name="Fake IdP",
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


def _browser(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=APP)


async def _to_provider(browser: httpx.AsyncClient, next_path: str = "/") -> str:
    """GET /api/auth/oidc/login, then the provider's /authorize: the callback URL the provider sends back."""
    r = await browser.get("/api/auth/oidc/login", params={"next": next_path})
    assert r.status_code == 302, r.text
    async with httpx.AsyncClient() as outside:
        at_provider = await outside.get(r.headers["location"])
    assert at_provider.status_code == 302, at_provider.text
    return at_provider.headers["location"]


async def _sign_in(browser: httpx.AsyncClient, next_path: str = "/") -> httpx.Response:
    callback = await _to_provider(browser, next_path)
    return await browser.get(callback.removeprefix(APP))


def _error(r: httpx.Response) -> dict[str, Any]:
    found: dict[str, Any] = r.json()["error"]
    return found


async def test_code_flow_with_pkce_gives_a_cookie_session_with_csrf(oidc_app, provider) -> None:  # type: ignore[no-untyped-def]
    async with _browser(oidc_app) as browser:
        assert (await browser.get("/api/me")).status_code == 401
        login = await browser.get("/api/auth/oidc/login", params={"next": "/t/somewhere"})
        assert login.status_code == 302
        sent = parse_qs(urlsplit(login.headers["location"]).query)
        assert login.headers["location"].startswith(provider.issuer + "/authorize?")
        assert sent["code_challenge_method"] == ["S256"] and sent["client_id"] == [CLIENT_ID]
        assert sent["redirect_uri"] == [f"{APP}/api/auth/oidc/callback"]
        assert "code_verifier" not in sent and CLIENT_SECRET not in login.headers["location"]
        flow_cookie = login.headers["set-cookie"].lower()
        assert "httponly" in flow_cookie and "path=/api/auth/oidc" in flow_cookie
        async with httpx.AsyncClient() as outside:
            callback = (await outside.get(login.headers["location"])).headers["location"]
        done = await browser.get(callback.removeprefix(APP))
        assert done.status_code == 302, done.text
        assert done.headers["location"] == "/t/somewhere"
        assert {"lgurban_session", "csrf_token"} <= set(browser.cookies.keys())
        assert "lgurban_oidc" not in browser.cookies  # the flow is over
        me = await browser.get("/api/me")
        assert me.status_code == 200
        assert me.json()["name"] == provider.user["name"] and me.json()["auth_mode"] == "oidc"
        refused = await browser.post("/api/threads", json={"title": "x"})
        assert refused.status_code == 403 and _error(refused)["code"] == "CSRF_FAILED"
        made = await browser.post(
            "/api/threads", json={"title": "ok"}, headers={"X-CSRF-Token": browser.cookies["csrf_token"]}
        )
        assert made.status_code == 201, made.text
        out = await browser.delete(
            "/api/auth/session", headers={"X-CSRF-Token": browser.cookies["csrf_token"]}
        )
        assert out.status_code == 204
        assert (await browser.get("/api/me")).status_code == 401
    assert provider.requests.count("/token") == 1


async def test_first_sign_in_creates_the_user_and_the_next_finds_it(oidc_app, provider) -> None:  # type: ignore[no-untyped-def]
    async with _browser(oidc_app) as first:
        assert (await _sign_in(first)).status_code == 302
        first_id = (await first.get("/api/me")).json()["id"]
    provider.user["email"] = provider.user["email"].replace("ada-", "ada.l-")  # changed at the provider
    async with _browser(oidc_app) as second:
        assert (await _sign_in(second)).status_code == 302
        assert (await second.get("/api/me")).json()["id"] == first_id
    async with session_scope(oidc_app.state.resources.sessionmaker) as session:
        rows = (
            (await session.execute(select(UserIdentity).where(UserIdentity.subject == provider.user["sub"])))
            .scalars()
            .all()
        )
        assert (
            len(rows) == 1 and rows[0].email == provider.user["email"] and rows[0].issuer == provider.issuer
        )
    provider.user = provider.user | {"sub": provider.user["sub"] + "-other"}  # same name, another account
    async with _browser(oidc_app) as third:
        assert (await _sign_in(third)).status_code == 302
        me = (await third.get("/api/me")).json()
        assert me["id"] != first_id and me["name"] == f"{provider.user['name']} (2)"


@pytest.mark.parametrize(
    ("changes", "code", "words"),
    [
        ({"aud": "someone-else"}, "OIDC_TOKEN_INVALID", "'aud'"),
        ({"exp": 1_000_000_000}, "OIDC_TOKEN_EXPIRED", "expired"),
        ({"nonce": "not-the-one-we-sent"}, "OIDC_TOKEN_INVALID", "'nonce'"),
        ({"iss": "https://impostor.example"}, "OIDC_TOKEN_INVALID", "'iss'"),
    ],
)
async def test_a_bad_id_token_is_refused(oidc_app, provider, changes, code, words) -> None:  # type: ignore[no-untyped-def]
    provider.id_token_changes = changes
    async with _browser(oidc_app) as browser:
        r = await _sign_in(browser)
        assert r.status_code == 401, r.text
        assert _error(r)["code"] == code and words in _error(r)["message"]
        assert "lgurban_session" not in browser.cookies
        assert (await browser.get("/api/me")).status_code == 401
    async with session_scope(oidc_app.state.resources.sessionmaker) as session:
        found = await session.execute(
            select(UserIdentity).where(UserIdentity.subject == provider.user["sub"])
        )
        assert found.first() is None  # no user is made by a refused sign-in


async def test_a_token_signed_with_another_key_is_refused_and_a_rotated_key_is_found(
    oidc_app, provider
) -> None:  # type: ignore[no-untyped-def]
    async with _browser(oidc_app) as browser:
        assert (await _sign_in(browser)).status_code == 302  # the app has read (and keeps) the JWKS
    provider.forged_with = FakeOidcProvider.new_key("fake-1")  # same kid, not the provider's key
    async with _browser(oidc_app) as browser:
        r = await _sign_in(browser)
        assert r.status_code == 401 and _error(r)["code"] == "OIDC_TOKEN_INVALID", r.text
    provider.forged_with = None
    old_key = provider.key
    provider.rotate_key(f"fake-{uuid.uuid4().hex[:6]}")
    try:
        async with _browser(oidc_app) as browser:
            r = await _sign_in(browser)
            assert r.status_code == 302, r.text  # an unknown kid: the JWKS is read again
    finally:
        provider.key = old_key
    assert provider.requests.count("/jwks") == 2


async def test_a_public_client_signs_in_with_pkce_alone(settings_factory) -> None:  # type: ignore[no-untyped-def]
    public = FakeOidcProvider(client_id="public-app", client_secret=None).start()
    try:
        public.user = {
            "sub": uuid.uuid4().hex,
            "email": "lin@example.org",
            "email_verified": True,
            "name": (name := f"Lin {uuid.uuid4().hex[:8]}"),
        }
        settings = settings_factory(
            auth_mode="oidc", oidc_issuer=public.issuer, oidc_client_id="public-app", oidc_allowed_domains="*"
        )
        application = create_app(settings)
        async with application.router.lifespan_context(application), _browser(application) as browser:
            assert (await _sign_in(browser)).status_code == 302
            assert (await browser.get("/api/me")).json()["name"] == name
    finally:
        public.stop()


async def test_a_wrong_or_missing_state_is_refused(oidc_app, provider) -> None:  # type: ignore[no-untyped-def]
    async with _browser(oidc_app) as browser:
        callback = await _to_provider(browser)
        query = parse_qs(urlsplit(callback).query)
        wrong = await browser.get(
            "/api/auth/oidc/callback", params={"code": query["code"][0], "state": "forged"}
        )
        assert wrong.status_code == 400 and _error(wrong)["code"] == "OIDC_STATE_MISMATCH"
    async with _browser(oidc_app) as other_browser:  # a callback this browser never started (login CSRF)
        r = await other_browser.get(callback.removeprefix(APP))
        assert r.status_code == 400 and _error(r)["code"] == "OIDC_STATE_MISMATCH"
        assert (await other_browser.get("/api/me")).status_code == 401
    assert "/token" not in provider.requests  # the code was never traded


async def test_only_allowed_emails_sign_in(oidc_app, provider) -> None:  # type: ignore[no-untyped-def]
    cases = [
        ({"email": "eve@evil.example", "email_verified": True}, 403),
        ({"email": provider.user["email"], "email_verified": False}, 403),
        ({"email": "mallory@sub.example.org", "email_verified": True}, 403),  # that domain only
        ({"email": "Grace@Elsewhere.net"}, 302),  # listed address, any case
    ]
    for changes, status in cases:
        provider.user = provider.user | changes | {"sub": uuid.uuid4().hex}
        async with _browser(oidc_app) as browser:
            r = await _sign_in(browser)
            assert r.status_code == status, (changes, r.text)
            if status == 403:
                assert _error(r)["code"] == "EMAIL_NOT_ALLOWED"
                assert (await browser.get("/api/me")).status_code == 401


async def test_the_provider_saying_no(oidc_app, provider) -> None:  # type: ignore[no-untyped-def]
    provider.deny = True
    async with _browser(oidc_app) as browser:
        r = await _sign_in(browser)
        assert r.status_code == 401 and _error(r)["code"] == "OIDC_SIGN_IN_FAILED"
        assert "access_denied" in _error(r)["message"]


async def test_the_provider_down(oidc_app, provider) -> None:  # type: ignore[no-untyped-def]
    provider.down = True  # before this app read its discovery document
    async with _browser(oidc_app) as browser:
        r = await browser.get("/api/auth/oidc/login")
        assert r.status_code == 503 and _error(r)["code"] == "OIDC_PROVIDER_UNAVAILABLE"
        page = await browser.get("/api/auth/oidc/login", headers={"Accept": "text/html,*/*"})
        assert page.status_code == 303  # a browser goes back to the sign-in page, which says why
        assert page.headers["location"] == "/?sign_in_error=OIDC_PROVIDER_UNAVAILABLE"
        provider.down = False
        callback = await _to_provider(browser)
        provider.down = True  # between the sign-in page and the code's exchange
        r = await browser.get(callback.removeprefix(APP))
        assert r.status_code == 503 and _error(r)["code"] == "OIDC_PROVIDER_UNAVAILABLE"
        assert (await browser.get("/api/me")).status_code == 401


async def test_a_revoked_user_cannot_sign_in_and_its_session_ends(oidc_app, provider) -> None:  # type: ignore[no-untyped-def]
    async with _browser(oidc_app) as browser:
        await _sign_in(browser)
        name = (await browser.get("/api/me")).json()["name"]
        async with session_scope(oidc_app.state.resources.sessionmaker) as session:
            await revoke_user(session=session, name=name)
        assert (await browser.get("/api/me")).status_code == 401
        r = await _sign_in(browser)
        assert r.status_code == 403 and _error(r)["code"] == "USER_DISABLED"


async def test_bearer_tokens_and_the_config_in_oidc_mode(oidc_app, provider) -> None:  # type: ignore[no-untyped-def]
    made = await make_user(oidc_app.state.resources.sessionmaker)
    async with api_client(oidc_app, made.token) as client:
        assert (await client.get("/api/threads")).status_code == 200
        assert (await client.post("/api/auth/session", json={"token": made.token})).status_code == 409
    async with _browser(oidc_app) as browser:
        config = await browser.get("/api/auth/config")
        assert config.json() == {
            "auth_mode": "oidc",
            "oidc_provider": "Fake IdP",
            "oidc_login_url": "/api/auth/oidc/login",
        }
        assert (
            await browser.get("/api/auth/oidc/login", params={"next": "//evil.example"})
        ).status_code == 302
        callback = await _to_provider(browser, "//evil.example")
        assert (await browser.get(callback.removeprefix(APP))).headers["location"] == "/"  # no open redirect


async def test_no_secret_code_or_token_in_the_logs(oidc_app, provider, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    async with _browser(oidc_app) as browser:
        callback = await _to_provider(browser)
        assert (await browser.get(callback.removeprefix(APP))).status_code == 302
        session_id = browser.cookies["lgurban_session"]
    code = parse_qs(urlsplit(callback).query)["code"][0]
    # the test's browser (httpx/httpcore in this process) logs the URLs it follows: those are not the server's
    server = ("lgurban", "authlib", "httpx2", "joserfc", "sqlalchemy", "aiosqlite", "asyncpg", "uvicorn")
    server_logs = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith(server))
    assert "/token" in server_logs  # the exchange was logged (as a request line), and is looked at
    for secret in (CLIENT_SECRET, code, session_id):
        assert secret not in server_logs
    assert CLIENT_SECRET in oidc_app.state.resources.settings.secret_values()


async def test_the_fake_provider_checks_pkce_and_the_client(provider) -> None:  # type: ignore[no-untyped-def]
    verifier = "v" * 50
    params = {
        "response_type": "code", "client_id": CLIENT_ID, "redirect_uri": f"{APP}/cb", "scope": "openid",
        "state": "s", "nonce": "n", "code_challenge": s256(verifier), "code_challenge_method": "S256",
    }  # fmt: skip
    async with httpx.AsyncClient(base_url=provider.issuer) as c:
        form = {"grant_type": "authorization_code", "redirect_uri": f"{APP}/cb", "client_id": CLIENT_ID}
        code = parse_qs(urlsplit((await c.get("/authorize", params=params)).headers["location"]).query)[
            "code"
        ][0]
        wrong = await c.post(
            "/token", data=form | {"code": code, "code_verifier": "x" * 50, "client_secret": CLIENT_SECRET}
        )
        assert wrong.status_code == 400 and "PKCE" in wrong.json()["error_description"]
        code = parse_qs(urlsplit((await c.get("/authorize", params=params)).headers["location"]).query)[
            "code"
        ][0]
        bad_client = await c.post(
            "/token", data=form | {"code": code, "code_verifier": verifier, "client_secret": "no"}
        )
        assert bad_client.status_code == 401
        no_pkce = await c.get("/authorize", params={k: v for k, v in params.items() if k != "code_challenge"})
        assert no_pkce.status_code == 400


def test_oidc_mode_needs_its_settings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    base = {"_env_file": None, "data_dir": tmp_path, "auth_mode": "oidc"}
    with pytest.raises(InvalidSettings, match="OIDC_ISSUER and OIDC_CLIENT_ID"):
        load_settings(**base)
    with pytest.raises(InvalidSettings, match="OIDC_ISSUER must be an https:// URL"):
        load_settings(**base, oidc_issuer="http://id.example", oidc_client_id="x", oidc_allowed_domains="*")
    with pytest.raises(InvalidSettings, match="OIDC_ALLOWED_EMAILS or OIDC_ALLOWED_DOMAINS"):
        load_settings(**base, oidc_issuer="https://id.example", oidc_client_id="x")
    ok = load_settings(**base, oidc_issuer="https://id.example", oidc_client_id="x", oidc_allowed_domains="*")
    assert ok.oidc_allowed_domains == ["*"]


async def test_a_name_taken_at_the_same_moment_is_a_conflict_not_a_crash(
    oidc_app, provider, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    taken = await make_user(oidc_app.state.resources.sessionmaker)

    async def same_name(session: object, wanted: str) -> str:  # what a parallel first sign-in would have left
        return taken.name

    monkeypatch.setattr(auth_module, "_free_name", same_name)
    async with _browser(oidc_app) as browser:
        r = await _sign_in(browser)
        assert r.status_code == 409 and _error(r)["code"] == "CONFLICT", r.text
    monkeypatch.undo()
    async with _browser(oidc_app) as browser:
        assert (await _sign_in(browser)).status_code == 302  # and the next try works
