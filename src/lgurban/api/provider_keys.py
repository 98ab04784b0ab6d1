"""The caller's own model API keys (issue 13): set, list (never the key itself), remove."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field, StringConstraints

from lgurban import provider_keys
from lgurban.api.deps import CurrentUser, SessionDep, SettingsDep
from lgurban.api.responses import errors
from lgurban.provider_keys import KeyInfo, Provider

router = APIRouter(tags=["auth"])


class ProviderKeyIn(BaseModel):
    # the schema says what a key is; the server checks the same itself, to answer INVALID_PROVIDER_KEY with
    # a sentence (a pattern failure would name a regular expression)
    key: str = Field(
        description="the API key (printable ASCII, no spaces); stored encrypted and never returned",
        json_schema_extra={
            "minLength": provider_keys.MIN_KEY_CHARS,
            "maxLength": provider_keys.MAX_KEY_CHARS + 100,  # surrounding spaces are trimmed
            "pattern": provider_keys.KEY_PATTERN,
        },
    )
    base_url: Annotated[str, StringConstraints(max_length=2000)] | None = Field(
        default=None, description="openai_compatible only (required there): the server's http(s) URL"
    )


class ProviderKeyOut(BaseModel):
    provider: Provider
    last4: str = Field(description="the key's last four characters")
    base_url: str | None
    set_at: datetime
    last_ok: bool | None = Field(description="whether the last model call with this key worked; None: unused")
    last_error_code: str | None = Field(
        default=None, description="e.g. MODEL_AUTH_FAILED when last_ok is false"
    )


class ProviderKeysOut(BaseModel):
    items: list[ProviderKeyOut]


def _out(info: KeyInfo) -> ProviderKeyOut:
    return ProviderKeyOut(
        provider=info.provider,  # type: ignore[arg-type]
        last4=info.last4,
        base_url=info.base_url,
        set_at=info.set_at,
        last_ok=info.last_ok,
        last_error_code=info.last_error_code,
    )


@router.get("/api/me/provider-keys", responses=errors(401, 503))
async def list_provider_keys(user: CurrentUser, session: SessionDep) -> ProviderKeysOut:
    """The caller's stored keys: provider, last four characters, when set, whether the last call worked."""
    return ProviderKeysOut(items=[_out(i) for i in await provider_keys.list_keys(session, user.id)])


@router.put("/api/me/provider-keys/{provider}", responses=errors(401, 403, 413, 422, 503))
async def put_provider_key(
    provider: Provider, body: ProviderKeyIn, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> ProviderKeyOut:
    """Store (or replace) the caller's key for `provider`; their runs use it from the next message on.

    422 INVALID_PROVIDER_KEY: a key too short or with spaces, a base_url missing (openai_compatible), not
    http(s), or given for another provider."""
    info = await provider_keys.set_key(session, settings, user.id, provider, body.key, body.base_url)
    return _out(info)


@router.delete("/api/me/provider-keys/{provider}", status_code=204, responses=errors(401, 403, 404, 422, 503))
async def delete_provider_key(provider: Provider, user: CurrentUser, session: SessionDep) -> Response:
    """Remove the caller's key for `provider` (404 PROVIDER_KEY_NOT_FOUND when there is none)."""
    await provider_keys.delete_key(session, user.id, provider)
    return Response(status_code=204)
