"""API fixtures: an app in AUTH_MODE=token and users made through the real auth service."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI

from lgurban.app import create_app
from tests.factories import TokenUser, api_client, make_user


@dataclass
class ApiUser:
    made: TokenUser
    client: httpx.AsyncClient

    @property
    def name(self) -> str:
        return self.made.name

    @property
    def token(self) -> str:
        return self.made.token


@pytest.fixture
async def token_app(settings_factory) -> AsyncIterator[FastAPI]:  # type: ignore[no-untyped-def]
    application = create_app(settings_factory(auth_mode="token"))
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def api_user(token_app: FastAPI) -> AsyncIterator[Callable[[], Awaitable[ApiUser]]]:
    """Make a fresh user with a token, and an in-process client that sends it."""
    clients: list[httpx.AsyncClient] = []

    async def make() -> ApiUser:
        made = await make_user(token_app.state.resources.sessionmaker)
        clients.append(client := api_client(token_app, made.token))
        return ApiUser(made=made, client=client)

    yield make
    for c in clients:
        await c.aclose()


@pytest.fixture
async def alice(api_user) -> ApiUser:  # type: ignore[no-untyped-def]
    return await api_user()  # type: ignore[no-any-return]


@pytest.fixture
async def bob(api_user) -> ApiUser:  # type: ignore[no-untyped-def]
    return await api_user()  # type: ignore[no-any-return]
