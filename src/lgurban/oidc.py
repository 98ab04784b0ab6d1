"""AUTH_MODE=oidc (issue 13): sign-in through any OpenID Connect provider, with authlib and joserfc.

The authorization code flow with PKCE (S256), a state and a nonce. What the callback needs to check them
travels in a short-lived cookie sealed with the server's key (any replica can finish a sign-in another one
started). The ID token is checked against the provider's JWKS: signature (asymmetric algorithms only), iss,
aud, exp, nonce.
Nothing here logs or returns the client secret, a code, or a token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import AsyncOAuth2Client, OAuthError
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import (
    ExpiredTokenError,
    InvalidClaimError,
    InvalidKeyIdError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import KeySet

from lgurban.errors import (
    EmailNotAllowed,
    OidcProviderUnavailable,
    OidcSignInFailed,
    OidcStateMismatch,
    OidcTokenExpired,
    OidcTokenInvalid,
)
from lgurban.settings import Settings

log = logging.getLogger(__name__)
FLOW_TTL_S = 600  # from "Sign in with…" to the callback
METADATA_TTL_S = 3600  # discovery and JWKS are re-read this often (and the JWKS at once for an unknown key)
LEEWAY_S = 60  # clock difference tolerated on exp / iat
ASYMMETRIC = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")


def provider_name(settings: Settings) -> str:
    """What the sign-in button names: OIDC_PROVIDER_NAME, or the issuer's host."""
    return settings.oidc_provider_name or urlsplit(settings.oidc_issuer or "").hostname or "your provider"


def safe_next(path: str | None) -> str:
    """Where to go after signing in: a path of this app only (no open redirect to another site)."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path


@dataclass(frozen=True)
class Flow:
    """One sign-in in progress: what the callback checks the provider's answer against."""

    state: str
    nonce: str
    verifier: str  # PKCE code_verifier; the provider only saw its S256 challenge
    next_path: str
    expires: int

    @classmethod
    def start(cls, next_path: str | None) -> Flow:
        return cls(
            generate_token(32),
            generate_token(32),
            generate_token(64),
            safe_next(next_path),
            int(time.time()) + FLOW_TTL_S,
        )


def _mac(key: bytes, payload: bytes) -> str:
    digest = hmac.new(key, b"lgurban-oidc-flow\0" + payload, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def seal_flow(flow: Flow, key: bytes) -> str:
    payload = base64.urlsafe_b64encode(json.dumps(asdict(flow)).encode()).rstrip(b"=")
    return f"{payload.decode()}.{_mac(key, payload)}"


def open_flow(sealed: str | None, state: str | None, key: bytes) -> Flow:
    """The flow this browser started, if `state` is its state and it is recent; OidcStateMismatch if not."""
    if not sealed:
        raise OidcStateMismatch(
            "no sign-in was started from this browser (or its cookie was lost); start again"
        )
    payload, _, mac = sealed.partition(".")
    if not hmac.compare_digest(mac, _mac(key, payload.encode())):
        raise OidcStateMismatch("the sign-in cookie was altered; start again")
    try:
        flow = Flow(**json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))
    except (ValueError, TypeError):
        raise OidcStateMismatch("the sign-in cookie is unreadable; start again") from None
    if flow.expires < time.time():
        raise OidcStateMismatch("the sign-in took too long; start again")
    if not state or not hmac.compare_digest(state, flow.state):
        raise OidcStateMismatch("the provider's answer does not belong to this sign-in (state mismatch)")
    return flow


@dataclass(frozen=True)
class Claims:
    """Who the provider signed in, from a validated ID token."""

    issuer: str
    subject: str
    email: str | None
    email_verified: bool | None
    name: str

    def check_allowed(self, settings: Settings) -> None:
        """OIDC_ALLOWED_EMAILS / _DOMAINS: EmailNotAllowed unless the verified address is listed."""
        domains = {d.lower().lstrip("@") for d in settings.oidc_allowed_domains}
        if "*" in domains:
            return
        email = (self.email or "").lower()
        if not email:
            raise EmailNotAllowed(
                "the provider gave no e-mail address, and only listed addresses may sign in"
            )
        if self.email_verified is False:
            raise EmailNotAllowed(
                f"the provider has not verified {email}; verify it there, then sign in again"
            )
        listed = {e.lower() for e in settings.oidc_allowed_emails}
        if email not in listed and email.rpartition("@")[2] not in domains:
            raise EmailNotAllowed(
                f"{email} may not sign in to this server; ask its administrator to allow it"
            )


def _claims_of(values: dict[str, Any], issuer: str) -> Claims:
    email = values.get("email") if isinstance(values.get("email"), str) else None
    verified = values.get("email_verified")
    if isinstance(verified, str):  # some providers (older Cognito) send "true"/"false"
        verified = verified.lower() == "true"
    name = next(
        (
            v
            for k in ("name", "preferred_username", "nickname")
            if isinstance(v := values.get(k), str) and v.strip()
        ),
        email or f"user-{str(values['sub'])[:20]}",
    )
    return Claims(
        issuer, str(values["sub"]), email, verified if isinstance(verified, bool) else None, name.strip()
    )


class OidcClient:
    """One provider: discovery and JWKS cached in this process, a fresh HTTP client per call to it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._metadata: dict[str, Any] | None = None
        self._metadata_at = 0.0
        self._jwks: KeySet | None = None
        self._jwks_at = 0.0

    def _client(self, **kwargs: Any) -> AsyncOAuth2Client:
        s = self.settings
        return AsyncOAuth2Client(
            client_id=s.oidc_client_id,
            client_secret=s.oidc_client_secret.get_secret_value() if s.oidc_client_secret else None,
            timeout=s.oidc_timeout_s,
            **kwargs,
        )

    async def _get_json(self, url: str, what: str) -> dict[str, Any]:
        try:
            async with httpx.AsyncClient(timeout=self.settings.oidc_timeout_s) as client:
                r = await client.get(url, headers={"Accept": "application/json"})
                r.raise_for_status()
                body = r.json()
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("OIDC provider %s not usable: %s", what, type(exc).__name__)
            raise OidcProviderUnavailable(
                f"the sign-in provider does not answer ({what}); try again later"
            ) from None
        if not isinstance(body, dict):
            raise OidcProviderUnavailable(f"the sign-in provider's {what} is not a JSON object")
        return body

    async def metadata(self) -> dict[str, Any]:
        """The provider's discovery document (OIDC_ISSUER/.well-known/openid-configuration)."""
        if self._metadata is not None and time.monotonic() - self._metadata_at < METADATA_TTL_S:
            return self._metadata
        issuer = (self.settings.oidc_issuer or "").rstrip("/")
        found = await self._get_json(issuer + "/.well-known/openid-configuration", "discovery")
        missing = [
            k for k in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri") if not found.get(k)
        ]
        if missing:
            raise OidcProviderUnavailable(f"the provider's discovery document lacks {', '.join(missing)}")
        if str(found["issuer"]).rstrip("/") != issuer:
            raise OidcProviderUnavailable(
                f"the provider says its issuer is {found['issuer']}, "
                f"but OIDC_ISSUER is {self.settings.oidc_issuer}"
            )
        self._metadata, self._metadata_at = found, time.monotonic()
        return found

    async def _key_set(self, *, force: bool = False) -> KeySet:
        if not force and self._jwks is not None and time.monotonic() - self._jwks_at < METADATA_TTL_S:
            return self._jwks
        body = await self._get_json((await self.metadata())["jwks_uri"], "JWKS")
        try:
            keys = KeySet.import_key_set(body)  # type: ignore[arg-type]
        except (JoseError, ValueError, KeyError, TypeError):
            raise OidcProviderUnavailable("the provider's JWKS holds no usable key") from None
        self._jwks, self._jwks_at = keys, time.monotonic()
        return keys

    async def authorization_url(self, flow: Flow, redirect_uri: str) -> str:
        """Where to send the browser: the provider's sign-in page for this flow."""
        meta = await self.metadata()
        async with self._client(code_challenge_method="S256", scope=self.settings.oidc_scopes) as client:
            url, _ = client.create_authorization_url(
                meta["authorization_endpoint"],
                state=flow.state,
                nonce=flow.nonce,
                code_verifier=flow.verifier,
                redirect_uri=redirect_uri,
            )
        return str(url)

    def _auth_method(self, meta: dict[str, Any]) -> str:
        if self.settings.oidc_client_secret is None:
            return "none"  # a public client: PKCE is what proves the code is ours
        supported = meta.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
        return "client_secret_basic" if "client_secret_basic" in supported else "client_secret_post"

    async def exchange(self, code: str, flow: Flow, redirect_uri: str) -> Claims:
        """The code for tokens at the provider's token endpoint, then the validated ID token's claims."""
        meta = await self.metadata()
        try:
            async with self._client(token_endpoint_auth_method=self._auth_method(meta)) as client:
                token = await client.fetch_token(
                    meta["token_endpoint"], code=code, redirect_uri=redirect_uri, code_verifier=flow.verifier
                )
        except OAuthError as exc:
            log.info("OIDC token endpoint refused the code: %s", exc.error)
            raise OidcSignInFailed(
                f"the provider refused the sign-in code ({exc.error}); start again"
            ) from None
        except Exception as exc:
            log.warning("OIDC token endpoint not usable: %s", type(exc).__name__)
            raise OidcProviderUnavailable(
                "the sign-in provider does not answer (token); try again later"
            ) from None
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise OidcTokenInvalid(
                "the provider sent no ID token (is the 'openid' scope allowed for this client?)"
            )
        return await self.validate(id_token, nonce=flow.nonce, access_token=token.get("access_token"))

    async def validate(self, id_token: str, *, nonce: str, access_token: str | None = None) -> Claims:
        """The claims of an ID token with a right signature, iss, aud, exp, nonce; else OidcTokenInvalid."""
        meta = await self.metadata()
        algs = [a for a in meta.get("id_token_signing_alg_values_supported") or ["RS256"] if a in ASYMMETRIC]
        try:
            try:
                decoded = jwt.decode(id_token, await self._key_set(), algorithms=algs or ["RS256"])
            except InvalidKeyIdError:  # the provider rotated its keys since we read them
                decoded = jwt.decode(id_token, await self._key_set(force=True), algorithms=algs or ["RS256"])
            client_id = self.settings.oidc_client_id
            options = {
                "iss": {"essential": True, "value": meta["issuer"]},
                "aud": {"essential": True, "value": client_id},
            }
            params = {"nonce": nonce, "client_id": client_id, "access_token": access_token}
            claims = CodeIDToken(decoded.claims, decoded.header, options, params)
            claims.validate(now=int(time.time()), leeway=LEEWAY_S)
        except ExpiredTokenError:
            raise OidcTokenExpired(
                "the provider's ID token has expired (is this server's clock right?)"
            ) from None
        except (InvalidClaimError, MissingClaimError) as exc:
            claim = getattr(exc, "claim", "?")
            raise OidcTokenInvalid(
                f"the ID token's '{claim}' claim is missing or wrong for this server"
            ) from None
        except JoseError as exc:
            raise OidcTokenInvalid(f"the ID token is not valid ({exc.error})") from None
        return _claims_of(dict(claims), str(meta["issuer"]))
