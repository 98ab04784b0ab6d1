"""A small OpenID Connect provider on loopback speaking the real wire protocol (issue 13, AUTH_MODE=oidc).

- `GET /.well-known/openid-configuration`: discovery (issuer = the server's own URL);
- `GET /authorize`: the authorization endpoint; it "signs in" `provider.user` at once (no page) and redirects
  to the redirect_uri with `code` and `state`, or `error=access_denied` when `provider.deny` is set. It
  insists on response_type=code, the client and redirect URI, scope openid, a nonce and an S256 challenge;
- `POST /token`: the token endpoint: client authentication (client_secret_basic or client_secret_post), the
  code once, the same redirect_uri, and S256(code_verifier) == the code_challenge (PKCE); an RS256 ID token;
- `GET /jwks`: the public RSA key.

Knobs for tests: `user` (the claims of whoever signs in), `id_token_changes` (claims to override in the next
ID tokens: a wrong `aud`, an `exp` in the past, another `nonce`), `deny`, `down` (every endpoint answers
503), `requests` (what was asked, by path); over HTTP (a browser test), `POST /_user {claims}` sets `user`.
`FakeOidcProvider().start()` → `.issuer`; `.stop()`.
Run by hand (`--redirect-uri` may repeat; none: any loopback callback):
`uv run python -m tests.fakes.oidc_provider --port 8200 --redirect-uri http://127.0.0.1:8000/api/auth/oidc/callback`
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import secrets
import socket
import threading
import time
from typing import Any
from urllib.parse import urlencode

import uvicorn
from joserfc import jwt
from joserfc.jwk import RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

CLIENT_ID = "lgurban-test"
CLIENT_SECRET = "fake-oidc-client-secret-0123456789"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")


class FakeOidcProvider:
    def __init__(
        self,
        *,
        port: int | None = None,
        client_id: str = CLIENT_ID,
        client_secret: str | None = CLIENT_SECRET,
        redirect_uris: tuple[str, ...] = (),
    ) -> None:
        self.port = port or _free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.client_id, self.client_secret = client_id, client_secret
        self.redirect_uris = set(redirect_uris)  # empty: any loopback callback
        self.key = self.new_key("fake-1")
        self.forged_with: RSAKey | None = None  # sign ID tokens with this key (not in the JWKS) instead
        self.user: dict[str, Any] = {
            "sub": "u-1",
            "email": "ada@example.org",
            "email_verified": True,
            "name": "Ada",
        }
        self.id_token_changes: dict[str, Any] = {}
        self.deny = False
        self.down = False
        self.requests: list[str] = []
        self._codes: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self.app = Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self._discovery),
                Route("/authorize", self._authorize),
                Route("/token", self._token, methods=["POST"]),
                Route("/jwks", self._jwks),
                Route("/_user", self._set_user, methods=["POST"]),
            ]
        )
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @staticmethod
    def new_key(kid: str) -> RSAKey:
        return RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"})

    def rotate_key(self, kid: str) -> None:
        """A new signing key, alone in the JWKS from now on (what a provider's key rotation looks like)."""
        self.key = self.new_key(kid)

    # --- endpoints ---
    async def _discovery(self, request: Request) -> Response:
        if blocked := self._log(request):
            return blocked
        return JSONResponse(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
                "scopes_supported": ["openid", "email", "profile"],
            }
        )

    async def _jwks(self, request: Request) -> Response:
        if blocked := self._log(request):
            return blocked
        return JSONResponse({"keys": [self.key.as_dict(private=False)]})

    async def _authorize(self, request: Request) -> Response:
        if blocked := self._log(request):
            return blocked
        q = request.query_params
        redirect_uri = q.get("redirect_uri", "")
        problems = [
            q.get("response_type") != "code" and "response_type must be code",
            q.get("client_id") != self.client_id and "unknown client_id",
            not self._redirect_ok(redirect_uri) and "redirect_uri not registered",
            "openid" not in q.get("scope", "").split() and "scope must include openid",
            not q.get("nonce") and "nonce required",
            not q.get("state") and "state required",
            (q.get("code_challenge_method") != "S256" or not q.get("code_challenge"))
            and "PKCE S256 required",
        ]
        if found := [p for p in problems if p]:
            return JSONResponse({"error": "invalid_request", "error_description": "; ".join(found)}, 400)
        if self.deny:
            return self._back(
                redirect_uri, error="access_denied", error_description="the user said no", state=q["state"]
            )
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = {
                "redirect_uri": redirect_uri,
                "challenge": q["code_challenge"],
                "nonce": q["nonce"],
                "user": dict(self.user),
            }
        return self._back(redirect_uri, code=code, state=q["state"])

    async def _token(self, request: Request) -> Response:
        if blocked := self._log(request):
            return blocked
        form = await request.form()
        client_id, secret = str(form.get("client_id") or ""), form.get("client_secret")
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("basic "):
            client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        if client_id != self.client_id or secret != self.client_secret:  # a public client sends no secret
            return JSONResponse({"error": "invalid_client"}, 401)
        with self._lock:
            grant = self._codes.pop(str(form.get("code") or ""), None)  # a code works once
        if form.get("grant_type") != "authorization_code" or grant is None:
            return JSONResponse({"error": "invalid_grant", "error_description": "unknown or used code"}, 400)
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return JSONResponse({"error": "invalid_grant", "error_description": "redirect_uri differs"}, 400)
        if s256(str(form.get("code_verifier") or "")) != grant["challenge"]:
            return JSONResponse(
                {"error": "invalid_grant", "error_description": "PKCE verification failed"}, 400
            )
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
        }
        claims |= grant["user"] | self.id_token_changes
        key = self.forged_with or self.key
        id_token = jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, key)
        body = {
            "access_token": secrets.token_urlsafe(24),
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        }
        return JSONResponse(body, headers={"Cache-Control": "no-store"})

    async def _set_user(self, request: Request) -> Response:
        """Control over HTTP (a browser test in another process): who signs in next."""
        self.user = dict(await request.json())
        return JSONResponse(self.user)

    # --- helpers ---
    def _log(self, request: Request) -> Response | None:
        with self._lock:
            self.requests.append(request.url.path)
        return JSONResponse({"error": "temporarily_unavailable"}, 503) if self.down else None

    def _redirect_ok(self, uri: str) -> bool:
        if self.redirect_uris:
            return uri in self.redirect_uris
        return uri.startswith(("http://127.0.0.1:", "http://localhost:", "http://testserver/"))

    @staticmethod
    def _back(redirect_uri: str, **params: str) -> Response:
        return RedirectResponse(f"{redirect_uri}?{urlencode(params)}", status_code=302)

    # --- life-cycle ---
    def start(self) -> FakeOidcProvider:
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True, name="fake-oidc")
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("fake OIDC provider did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8200)
    parser.add_argument("--redirect-uri", action="append", default=[])
    args = parser.parse_args()
    provider = FakeOidcProvider(port=args.port, redirect_uris=tuple(args.redirect_uri))
    print(f"issuer {provider.issuer} client {provider.client_id} secret {provider.client_secret}", flush=True)
    uvicorn.run(provider.app, host="127.0.0.1", port=provider.port, log_level="warning")


if __name__ == "__main__":
    main()
