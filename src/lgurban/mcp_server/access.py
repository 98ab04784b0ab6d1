"""Who calls and in which thread: each MCP session works in a thread of its caller's own.

A session's thread is made at its first workspace call (and so listed among the caller's threads, like one
made in the web app), or is one the caller names (`thread_id`): a thread of another user is as missing as
an unknown one (THREAD_NOT_FOUND), exactly as on the API."""

from __future__ import annotations

import asyncio
import uuid
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from lgurban import threads
from lgurban.api.deps import AppServices
from lgurban.db.models import User
from lgurban.db.session import session_scope
from lgurban.errors import Unauthorized

MAX_TRACKED_SESSIONS = 10_000
MCP_THREAD_TITLE = "MCP session"


@dataclass(frozen=True)
class Caller:
    """One tool call's caller: the user, the session it belongs to (None: a session of its own), and the
    thread the session was opened on (None: make one at the first workspace call)."""

    user_id: uuid.UUID
    session_key: str | None
    named_thread: uuid.UUID | None = None


class SessionThreads:
    """session → thread, for the sessions this process serves (an MCP session lives in one process)."""

    def __init__(self, services: AppServices) -> None:
        self.services = services
        self._threads: OrderedDict[str, tuple[uuid.UUID, uuid.UUID]] = OrderedDict()
        self._lock = asyncio.Lock()

    async def thread_for(self, caller: Caller, requested: uuid.UUID | None = None) -> uuid.UUID:
        """The thread this call works in: `requested` if given (and the caller's), else the session's."""
        if requested is not None:
            return await self._owned(caller.user_id, requested)
        async with self._lock:  # two first calls of one session at once: one thread
            known = self._threads.get(caller.session_key) if caller.session_key else None
            if known is not None:
                owner, thread_id = known
                if owner != caller.user_id:  # a session id is no credential: another user's is unknown
                    raise Unauthorized("this MCP session belongs to another user")
                self._threads.move_to_end(caller.session_key)  # type: ignore[arg-type]
                return thread_id
            if caller.named_thread is not None:
                thread_id = await self._owned(caller.user_id, caller.named_thread)
            else:
                thread_id = await self._create(caller.user_id)
            if caller.session_key:
                self._threads[caller.session_key] = (caller.user_id, thread_id)
                while len(self._threads) > MAX_TRACKED_SESSIONS:
                    self._threads.popitem(last=False)
            return thread_id

    async def known(self, caller: Caller) -> uuid.UUID | None:
        """The session's thread if it has one already (resources are listed without making one); a named
        thread only once it is checked to be the caller's (THREAD_NOT_FOUND otherwise)."""
        entry = self._threads.get(caller.session_key) if caller.session_key else None
        if entry is not None and entry[0] == caller.user_id:
            return entry[1]
        if caller.named_thread is not None:
            return await self._owned(caller.user_id, caller.named_thread)
        return None

    async def _owned(self, user_id: uuid.UUID, thread_id: uuid.UUID) -> uuid.UUID:
        async with session_scope(self.services.sessionmaker) as session:
            owner = await _user(session, user_id)
            return (await threads.get_thread(session=session, owner=owner, thread_id=thread_id)).id

    async def _create(self, user_id: uuid.UUID) -> uuid.UUID:
        async with session_scope(self.services.sessionmaker) as session:
            owner = await _user(session, user_id)
            thread = await threads.create_thread(
                session=session, owner=owner, title=MCP_THREAD_TITLE, config={}
            )
            return thread.id


async def _user(session: AsyncSession, user_id: uuid.UUID) -> User:
    user = await session.get(User, user_id)
    if user is None or user.disabled_at is not None:
        raise Unauthorized("invalid or missing API token")
    return user
