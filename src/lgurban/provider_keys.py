"""Users' own model API keys (issue 13): stored encrypted, never shown again, used for that user's runs.

Providers: `openai` (sent to OPENAI_BASE_URL when the server sets one, else OpenAI's API), `anthropic`
(ANTHROPIC_BASE_URL likewise) and `openai_compatible` (an OpenAI-compatible server at the key's own
`base_url`). A run of an "openai:<model>" thread uses the user's openai_compatible key when set, else their
openai key; an "anthropic:<model>" thread their anthropic key; the server's keys otherwise (or 409
PROVIDER_KEY_REQUIRED with REQUIRE_OWN_PROVIDER_KEY).

Encryption: Fernet (AES-128-CBC + HMAC-SHA256) with a key derived by HKDF-SHA256 from PROVIDER_KEYS_SECRET
(unset: SECRET_KEY, or the development key under DATA_DIR); PROVIDER_KEYS_PREVIOUS_SECRETS still decrypt
(MultiFernet), and `rotate` re-encrypts every row with the current secret.
"""

from __future__ import annotations

import base64
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from urllib.parse import urlsplit

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lgurban.db.models import ProviderKey, Thread, utcnow
from lgurban.errors import (
    InvalidProviderKey,
    ProviderKeyNotFound,
    ProviderKeyRequired,
    ProviderKeysUnreadable,
)
from lgurban.settings import Settings

log = logging.getLogger(__name__)

Provider = Literal["openai", "anthropic", "openai_compatible"]
PROVIDERS: tuple[Provider, ...] = ("openai", "anthropic", "openai_compatible")
# which stored keys serve a model provider ("openai:<model>", "anthropic:<model>"), first found wins
SERVES: dict[str, tuple[Provider, ...]] = {
    "openai": ("openai_compatible", "openai"),
    "anthropic": ("anthropic",),
}
MIN_KEY_CHARS = 8
MAX_KEY_CHARS = 1000
KEY_PATTERN = r"^\s*[!-~]{8,1000}\s*$"  # what the API's schema says a key is: printable ASCII, no spaces


@dataclass(frozen=True)
class Credential:
    """A decrypted key for one run: never logged, never in a checkpoint, an event or the sandbox."""

    provider: Provider
    api_key: str
    base_url: str | None

    def __repr__(self) -> str:  # a stray log line or traceback shows no key
        return f"Credential(provider={self.provider!r}, base_url={self.base_url!r}, api_key='…')"


@dataclass(frozen=True)
class KeyInfo:
    provider: str
    last4: str
    base_url: str | None
    set_at: datetime
    last_ok: bool | None
    last_error_code: str | None


# --- encryption -----------------------------------------------------------------------------------------
def _fernet(secret: str) -> Fernet:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"lgurban provider keys", info=b"fernet v1")
    return Fernet(base64.urlsafe_b64encode(hkdf.derive(secret.encode())))


def cipher(settings: Settings) -> MultiFernet:
    """The current secret's Fernet first (it encrypts), then each previous secret's (they still decrypt)."""
    given = settings.provider_keys_secret.get_secret_value() if settings.provider_keys_secret else ""
    current = given or settings.signing_key().decode()
    raw = settings.provider_keys_previous_secrets
    previous = [s.strip() for s in (raw.get_secret_value() if raw else "").split(",") if s.strip()]
    return MultiFernet([_fernet(s) for s in [current, *previous]])


def _decrypt(settings: Settings, row: ProviderKey) -> str:
    try:
        return cipher(settings).decrypt(row.ciphertext.encode()).decode()
    except InvalidToken:
        raise ProviderKeysUnreadable(
            f"Your stored {row.provider} key cannot be decrypted with this server's PROVIDER_KEYS_SECRET "
            "(was the secret changed without PROVIDER_KEYS_PREVIOUS_SECRETS?). Set the key again in Settings."
        ) from None


# --- validation -----------------------------------------------------------------------------------------
def check_input(provider: Provider, key: str, base_url: str | None) -> tuple[str, str | None]:
    """The key and base URL as stored, or InvalidProviderKey (422) saying what is wrong."""
    key = key.strip()
    if not MIN_KEY_CHARS <= len(key) <= MAX_KEY_CHARS:
        raise InvalidProviderKey(f"A key has {MIN_KEY_CHARS} to {MAX_KEY_CHARS} characters.")
    if any(c.isspace() or not c.isprintable() for c in key):
        raise InvalidProviderKey("A key has no spaces, line breaks or control characters.")
    base_url = (base_url or "").strip() or None
    if provider != "openai_compatible":
        if base_url is not None:
            raise InvalidProviderKey(
                f"A {provider} key takes no base_url; for your own server use the openai_compatible provider."
            )
        return key, None
    if base_url is None:
        raise InvalidProviderKey("An openai_compatible key needs base_url, e.g. https://llm.example.org/v1.")
    try:
        parts = urlsplit(base_url)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) and len(base_url) <= 2000
    except ValueError:
        ok = False
    if not ok or parts.username or parts.password:
        raise InvalidProviderKey(
            "base_url must be an http:// or https:// URL with a host and no user:password."
        )
    return key, base_url.rstrip("/")


# --- storage --------------------------------------------------------------------------------------------
def _info(row: ProviderKey) -> KeyInfo:
    return KeyInfo(row.provider, row.last4, row.base_url, row.set_at, row.last_ok, row.last_error_code)


async def list_keys(session: AsyncSession, user_id: uuid.UUID) -> list[KeyInfo]:
    rows = await session.scalars(
        select(ProviderKey).where(ProviderKey.user_id == user_id).order_by(ProviderKey.provider)
    )
    return [_info(r) for r in rows]


async def set_key(
    session: AsyncSession,
    settings: Settings,
    user_id: uuid.UUID,
    provider: Provider,
    key: str,
    base_url: str | None = None,
) -> KeyInfo:
    """Store (or replace) the user's key for `provider`, encrypted; its status starts unknown."""
    key, base_url = check_input(provider, key, base_url)
    ciphertext = cipher(settings).encrypt(key.encode()).decode()
    await session.execute(
        delete(ProviderKey).where(ProviderKey.user_id == user_id, ProviderKey.provider == provider)
    )
    row = ProviderKey(
        user_id=user_id,
        provider=provider,
        ciphertext=ciphertext,
        last4=key[-4:],
        base_url=base_url,
        set_at=utcnow(),
    )
    session.add(row)
    await session.flush()
    return _info(row)


async def delete_key(session: AsyncSession, user_id: uuid.UUID, provider: Provider) -> None:
    gone = await session.execute(
        delete(ProviderKey).where(ProviderKey.user_id == user_id, ProviderKey.provider == provider)
    )
    if not getattr(gone, "rowcount", 0):
        raise ProviderKeyNotFound(f"You have no {provider} key stored.")


async def credential_for(
    session: AsyncSession, settings: Settings, user_id: uuid.UUID | None, model_provider: str
) -> Credential | None:
    """The user's key for a model provider ("openai" / "anthropic"), decrypted; None: the server's key.

    With REQUIRE_OWN_PROVIDER_KEY, no key of their own is ProviderKeyRequired (409)."""
    serving = SERVES.get(model_provider, ())
    rows = {}
    if user_id is not None and serving:
        found = await session.scalars(
            select(ProviderKey).where(ProviderKey.user_id == user_id, ProviderKey.provider.in_(serving))
        )
        rows = {r.provider: r for r in found}
    for provider in serving:
        if (row := rows.get(provider)) is not None:
            return Credential(provider, _decrypt(settings, row), row.base_url)
    if settings.require_own_provider_key:
        names = " or ".join(serving) or model_provider
        raise ProviderKeyRequired(
            f"This server needs your own model key: add your {names} key in Settings → Your model keys."
        )
    return None


async def check_own_key(
    session: AsyncSession, settings: Settings, thread_id: uuid.UUID, user_id: uuid.UUID | None
) -> None:
    """REQUIRE_OWN_PROVIDER_KEY: ProviderKeyRequired (409) before a run without the user's key starts."""
    if not settings.require_own_provider_key:
        return
    thread = await session.get(Thread, thread_id)
    model = (thread.model if thread is not None else None) or settings.llm_model
    provider, _, name = model.strip().partition(":")
    await credential_for(session, settings, user_id, provider if name else "openai")


async def record_outcome(
    sessionmaker: async_sessionmaker[AsyncSession],
    user_id: uuid.UUID,
    provider: str,
    ok: bool,
    error_code: str | None,
) -> None:
    """What the last call with the user's key did (shown as its status); failures here are only logged."""
    try:
        async with sessionmaker() as session:
            await session.execute(
                update(ProviderKey)
                .where(ProviderKey.user_id == user_id, ProviderKey.provider == provider)
                .values(last_ok=ok, last_error_code=None if ok else error_code, last_used_at=utcnow())
            )
            await session.commit()
    except Exception as exc:  # the run goes on: its answer matters more than the key's status
        log.warning("could not record the %s key's status: %s", provider, type(exc).__name__)


async def rotate(session: AsyncSession, settings: Settings) -> int:
    """Re-encrypt every stored key with the current secret (each must decrypt with it or a previous one)."""
    fernet = cipher(settings)
    rows = list(await session.scalars(select(ProviderKey)))
    for row in rows:
        try:
            row.ciphertext = fernet.rotate(row.ciphertext.encode()).decode()
        except InvalidToken:
            raise ProviderKeysUnreadable(
                f"A stored {row.provider} key does not decrypt with PROVIDER_KEYS_SECRET nor any of "
                "PROVIDER_KEYS_PREVIOUS_SECRETS: give the secret it was stored with as a previous one."
            ) from None
    await session.flush()
    return len(rows)
