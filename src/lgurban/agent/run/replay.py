"""A run that is not live in this process, followed through the database: the same typed events."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

from lgurban.agent.events import DoneEvent, ErrorEvent, MessageEvent, RunStartedEvent
from lgurban.agent.history import list_messages
from lgurban.agent.run.bus import BusEvent
from lgurban.agent.run.lease import ACTIVE
from lgurban.agent.services import Services
from lgurban.db.models import Run


async def replay(
    resources: Services, *, thread_id: uuid.UUID, run_id: uuid.UUID, poll_s: float
) -> AsyncIterator[BusEvent | None]:
    """Its stored messages, then its end once it ends; None after each poll that found nothing new."""
    yield BusEvent(1, RunStartedEvent(run_id=run_id))
    seen: set[uuid.UUID] = set()
    seq = 1
    while True:
        async with resources.sessionmaker() as session:
            run = await session.get(Run, run_id)
            messages = await list_messages(
                resources=resources, session=session, thread_id=thread_id, run_id=run_id
            )
        for message in messages:
            if message.id not in seen:
                seen.add(message.id)
                seq += 1
                yield BusEvent(seq, MessageEvent(message=message))
        if run is None or run.status not in ACTIVE:
            if run is not None and run.error_code:
                seq += 1
                yield BusEvent(seq, ErrorEvent(code=run.error_code, message=run.error_message or ""))
            yield BusEvent(
                seq + 1, DoneEvent(run_id=run_id, status=run.status if run is not None else "error")
            )
            return
        yield None
        await asyncio.sleep(poll_s)
