"""API fixtures: an app in AUTH_MODE=token and users made through the real auth service."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI

from lgurban.app import create_app
from tests.conftest import new_token_user


@dataclass
class ApiUser:
    name: str
    token: str
    client: httpx.AsyncClient


@pytest.fixture
async def token_app(settings_factory) -> AsyncIterator[FastAPI]:  # type: ignore[no-untyped-def]
    application = create_app(settings_factory(auth_mode="token"))
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def make_user(token_app: FastAPI) -> AsyncIterator[Callable[[], Awaitable[ApiUser]]]:
    """Create a fresh user with a token, and an in-process client that sends it."""
    clients: list[httpx.AsyncClient] = []

    async def make() -> ApiUser:
        name, token, client = await new_token_user(token_app)
        clients.append(client)
        return ApiUser(name=name, token=token, client=client)

    yield make
    for c in clients:
        await c.aclose()


@pytest.fixture
async def alice(make_user) -> ApiUser:  # type: ignore[no-untyped-def]
    return await make_user()  # type: ignore[no-any-return]


@pytest.fixture
async def bob(make_user) -> ApiUser:  # type: ignore[no-untyped-def]
    return await make_user()  # type: ignore[no-any-return]
