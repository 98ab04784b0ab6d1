"""Test factories: users with tokens, threads and API clients, all made through the real services.

One way to make each, so a test says what it needs (`await make_user(sessionmaker)`) and not how rows are
put together. Names are unique per call: tests never depend on what other tests left behind.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lgurban import threads
from lgurban.auth import create_user_with_token
from lgurban.db.models import Thread, User
from lgurban.db.session import session_scope

Sessionmaker = async_sessionmaker[AsyncSession]


@dataclass(frozen=True)
class TokenUser:
    """A committed user (detached row: read its fields) and one of its API tokens."""

    user: User
    token: str

    @property
    def id(self) -> uuid.UUID:
        return self.user.id

    @property
    def name(self) -> str:
        return self.user.name


def unique_name(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


async def make_user(
    sessionmaker: Sessionmaker, *, name: str | None = None, token_name: str = "default"
) -> TokenUser:
    """A fresh user with a token, made by the real auth service (`lgurban users create` does the same)."""
    async with session_scope(sessionmaker) as session:
        new = await create_user_with_token(session=session, name=name or unique_name(), token_name=token_name)
    return TokenUser(user=new.user, token=new.token)


async def make_thread(
    sessionmaker: Sessionmaker, *, owner: User | None = None, title: str | None = None, **config: Any
) -> Thread:
    """A committed thread of `owner` (a fresh user when not given), made by lgurban.threads."""
    if owner is None:
        owner = (await make_user(sessionmaker)).user
    async with session_scope(sessionmaker) as session:
        return await threads.create_thread(session=session, owner=owner, title=title, config=config)


def api_client(app: FastAPI, token: str | None = None) -> httpx.AsyncClient:
    """An in-process client of `app`, sending `token` as a bearer token when given. The caller closes it."""
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver", headers=headers
    )


async def post_thread(client: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    """Create a thread through the API as the client's user; the thread as the API returns it."""
    r = await client.post("/api/threads", json=body)
    assert r.status_code == 201, r.text
    made: dict[str, Any] = r.json()
    return made
