"""How this deployment's Modal sandboxes are named and tagged, and how to find them again.

Every sandbox is created in the app MODAL_APP_NAME with the name `t-<thread_id>` (Modal keeps names unique
among the running sandboxes of an app, so one app = one deployment = at most one running sandbox per thread)
and the tags {"lgurban-deployment": MODAL_APP_NAME, "thread": <thread_id>}. After a restart the owner finds a
thread's sandbox with `Sandbox.from_name`, and `lgurban sandboxes list|reap` finds all of them by tag."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from dataclasses import dataclass
from typing import Any

VOLUME_PREFIX = "lgurban-ws-"
DEPLOYMENT_TAG = "lgurban-deployment"
THREAD_TAG = "thread"


def volume_name(thread_id: uuid.UUID) -> str:
    return f"{VOLUME_PREFIX}{thread_id}"


def sandbox_name(thread_id: uuid.UUID) -> str:
    return f"t-{thread_id}"


def sandbox_tags(app_name: str, thread_id: uuid.UUID) -> dict[str, str]:
    return {DEPLOYMENT_TAG: app_name, THREAD_TAG: str(thread_id)}


@dataclass(frozen=True)
class RunningSandbox:
    object_id: str
    thread: str
    handle: Any


async def list_running(modal: Any, app_name: str) -> list[RunningSandbox]:
    """The running sandboxes tagged with this deployment (Sandbox.list only yields running ones)."""
    out = []
    async for sandbox in modal.Sandbox.list.aio(tags={DEPLOYMENT_TAG: app_name}):
        tags: dict[str, str] = {}
        with contextlib.suppress(Exception):
            tags = await sandbox.get_tags.aio()
        out.append(RunningSandbox(sandbox.object_id, tags.get(THREAD_TAG, "?"), sandbox))
    return out


async def end(handle: Any, timeout_s: float) -> None:
    """Terminate a sandbox found by lookup, wait for it to stop (its Volume is committed), then detach."""
    with contextlib.suppress(Exception):
        await asyncio.wait_for(handle.terminate.aio(), timeout_s)
    with contextlib.suppress(Exception):
        await asyncio.wait_for(handle.wait.aio(raise_on_termination=False), timeout_s)
    with contextlib.suppress(Exception):
        await handle.detach.aio()


async def reap(modal: Any, app_name: str, keep: set[str], timeout_s: float) -> list[RunningSandbox]:
    """Terminate every running sandbox of this deployment whose id is not in `keep`; returns those ended."""
    doomed = [sb for sb in await list_running(modal, app_name) if sb.object_id not in keep]
    await asyncio.gather(*(end(sb.handle, timeout_s) for sb in doomed))
    return doomed
