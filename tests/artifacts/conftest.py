"""Apps with the local or the S3 store, users with tokens, and helpers to put files in a workspace."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from lgurban.app import create_app
from lgurban.resources import Resources
from lgurban.sandbox.workspace import LocalWorkspace
from tests.conftest import new_token_user
from tests.storage.conftest import bucket, moto  # noqa: F401  (fixtures)


@dataclass
class User:
    name: str
    token: str
    client: httpx.AsyncClient

    async def thread(self) -> str:
        r = await self.client.post("/api/threads", json={"title": "t"})
        assert r.status_code == 201, r.text
        return str(r.json()["id"])


@dataclass
class Running:
    app: FastAPI
    make_user: Callable[[], Awaitable[User]]

    @property
    def resources(self) -> Resources:
        resources: Resources = self.app.state.resources
        return resources

    def workspace(self, thread_id: str) -> LocalWorkspace:
        ws = LocalWorkspace(self.resources.settings.workspaces_dir / thread_id)
        ws.ensure()
        return ws


@pytest.fixture
async def start_app(settings_factory: Any) -> AsyncIterator[Callable[..., Awaitable[Running]]]:
    """Start the real app (lifespan) with settings overrides, in AUTH_MODE=token."""
    async with AsyncExitStack() as stack:

        async def start(**overrides: Any) -> Running:
            application = create_app(settings_factory(auth_mode="token", **overrides))
            await stack.enter_async_context(application.router.lifespan_context(application))

            async def make_user() -> User:
                name, token, client = await new_token_user(application)
                await stack.enter_async_context(client)
                return User(name, token, client)

            return Running(application, make_user)

        yield start
