"""Automatic thread titles: after the first exchange, a short title from the helper model.

A title the user set (threads.title_is_auto false) is never replaced; a failing title call changes nothing.
"""

from __future__ import annotations

import logging
import re
import uuid

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from sqlalchemy import update

from lgurban.agent.prompts import TITLE_PROMPT
from lgurban.agent.services import Services
from lgurban.db.models import Thread
from lgurban.db.session import session_scope, uncancelled

log = logging.getLogger(__name__)

MAX_TITLE_CHARS = 80


def clean_title(raw: str) -> str:
    """One line, no quotes or trailing period, at most MAX_TITLE_CHARS (cut at a word)."""
    line = next((x for x in raw.strip().splitlines() if x.strip()), "")
    line = re.sub(r"^(title|titolo)\s*:\s*", "", line.strip(), flags=re.IGNORECASE)
    line = line.strip().strip("\"'`*#“”«» ").rstrip(".").strip()
    line = re.sub(r"\s+", " ", line)
    if len(line) > MAX_TITLE_CHARS:
        line = line[:MAX_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:-") + "…"
    return line


def fallback_title(question: str) -> str:
    """The start of the user's question, when the model gives nothing usable."""
    return clean_title(question) or "New thread"


async def generate_title(llm: BaseChatModel, question: str, answer: str) -> str:
    reply = await llm.ainvoke(
        [
            SystemMessage(TITLE_PROMPT),
            HumanMessage(f"User: {question[:2000]}\n\nAssistant: {answer[:2000]}"),
        ],
        config={"tags": ["nostream", "lgurban:title"]},
    )
    text = reply.content if isinstance(reply.content, str) else str(reply.text)
    return clean_title(text) or fallback_title(question)


async def set_auto_title(resources: Services, thread_id: uuid.UUID, title: str) -> bool:
    """Store `title` unless the user named the thread; True when it was stored."""
    return await uncancelled(_store_title(resources, thread_id, title))  # waiting for a title may give up


async def _store_title(resources: Services, thread_id: uuid.UUID, title: str) -> bool:
    async with session_scope(resources.sessionmaker) as session:
        result = await session.execute(
            update(Thread)
            .where(Thread.id == thread_id, Thread.title_is_auto.is_(True))
            .values(title=title[:200])
        )
    return bool(getattr(result, "rowcount", 0))


async def title_thread(
    resources: Services, thread_id: uuid.UUID, llm: BaseChatModel, question: str, answer: str
) -> str | None:
    """Generate and store the title; errors are logged, never raised (a title is not worth failing a run)."""
    try:
        title = await generate_title(llm, question, answer)
    except Exception:
        log.warning("title for thread %s failed; using the question", thread_id, exc_info=True)
        title = fallback_title(question)
    try:
        return title if await set_auto_title(resources, thread_id, title) else None
    except Exception:
        log.warning("storing the title of thread %s failed", thread_id, exc_info=True)
        return None
