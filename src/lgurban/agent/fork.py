"""Fork a thread at one of its messages (issue 20): a NEW thread with the conversation up to and including
that message, the workspace files, and the variables rebuilt by re-running the cells executed by then.

- Conversation: the `messages` rows up to that seq are copied (new ids), and so is the model's memory: the
  LangGraph checkpoint of that point (the first checkpoint whose messages are exactly that prefix; when no
  step ended there, as after the first of two parallel tool answers, the nearest earlier checkpoint with the
  prefix as its messages). Forking at a user message keeps the question without its answer.
- Cells: the `executions` rows recorded by then are copied (with their artifacts' rows; the blobs are
  content-addressed and shared), and those that succeeded are re-run in the new sandbox (SANDBOX_REPLAY_S
  in all), outputs discarded.
- Files: as they were at that message where the records allow (execution/files_then.py: datasets and
  artifacts at their version then, from the store; those first made later left out), else as they are NOW
  (uploads and other files are not versioned); the re-run cells then rewrite what they write.
The source thread is only read: both continue independently.
"""

from __future__ import annotations

import copy
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.base import BaseCheckpointSaver, CheckpointTuple, empty_checkpoint
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from lgurban.agent.services import Services
from lgurban.db.models import Artifact, DatasetLoad, Execution, Message, Thread
from lgurban.db.session import session_scope
from lgurban.errors import MessageNotFound
from lgurban.execution.derive import derived_thread, replay_into, replay_note
from lgurban.execution.files_then import copy_files_then, files_then

log = logging.getLogger(__name__)


@dataclass
class ForkResult:
    thread_id: uuid.UUID
    messages: int  # copied
    cells: int  # copied (recorded by then)
    replayed: int  # re-run to rebuild the variables
    files: int  # workspace files copied
    model_history: bool  # the model's memory (checkpoint) was copied
    note: str


async def fork_thread(
    resources: Services,
    saver: BaseCheckpointSaver[Any] | None,
    source: Thread,
    message_id: uuid.UUID,
) -> ForkResult:
    source_files = [f.path for f in await resources.workspace(source.id).list_files()]
    async with session_scope(resources.sessionmaker) as session:
        target = (
            await session.execute(
                select(Message).where(Message.id == message_id, Message.thread_id == source.id)
            )
        ).scalar_one_or_none()
        if target is None:
            raise MessageNotFound(f"message {message_id} is not in thread {source.id}")
        new = derived_thread(source, f"{source.title} (fork)")
        session.add(new)
        await session.flush()
        rows = await _copy_messages(session, source.id, new.id, target)
        cells = await _copy_cells(session, source.id, new.id, target)
        then = await files_then(session, source.id, target.created_at, source_files)
    history = False
    if saver is not None:
        history = await copy_checkpoint(saver, source.id, new.id, rows, target)
    tmp = resources.settings.data_dir / "tmp" / "fork"
    files, restored = await copy_files_then(
        resources.workspace(source.id), resources.workspace(new.id), resources.artifacts.store, then, tmp
    )
    budget = resources.settings.sandbox_replay_s
    replayed = await replay_into(resources.sandboxes, new.id, [c.code for c in cells if c.ok], budget)
    note = replay_note(replayed, budget) + (
        f" Workspace: {files} files copied, {restored} of them (datasets, artifacts) at their version "
        f"then, from the store; {len(then.later)} made later left out; other files (uploads) are copied as "
        "they are now, and files the re-run cells write are as those cells make them."
    )
    if not history and rows:
        note += " The model's memory of this conversation could not be found; it starts afresh."
    return ForkResult(new.id, len(rows), len(cells), len(replayed.done), files, history, note)


async def _copy_messages(
    session: AsyncSession, src: uuid.UUID, dst: uuid.UUID, target: Message
) -> list[Message]:
    rows = list(
        (
            await session.execute(
                select(Message)
                .where(Message.thread_id == src, Message.seq <= target.seq)
                .order_by(Message.seq)
            )
        ).scalars()
    )
    for r in rows:
        session.add(
            Message(
                thread_id=dst,
                seq=r.seq,
                role=r.role,
                content=r.content,
                tool_calls=copy.deepcopy(r.tool_calls),
                tool_call_id=r.tool_call_id,
                tool_name=r.tool_name,
                meta=copy.deepcopy(r.meta),
                created_at=r.created_at,
            )
        )
    return rows


async def _copy_cells(
    session: AsyncSession, src: uuid.UUID, dst: uuid.UUID, target: Message
) -> list[Execution]:
    """The cells recorded up to the message, their artifacts' rows and the dataset loads, into `dst`."""
    cells = list(
        (
            await session.execute(
                select(Execution)
                .where(Execution.thread_id == src, Execution.created_at <= target.created_at)
                .order_by(Execution.created_at, Execution.id)
            )
        ).scalars()
    )
    ids: dict[uuid.UUID, uuid.UUID] = {c.id: uuid.uuid4() for c in cells}
    for c in cells:
        session.add(_clone(c, id=ids[c.id], thread_id=dst, run_id=None))
    await session.flush()
    if ids:
        arts = (await session.execute(select(Artifact).where(Artifact.execution_id.in_(ids)))).scalars()
        for a in list(arts):
            made_by = ids.get(a.execution_id) if a.execution_id else None
            session.add(_clone(a, id=uuid.uuid4(), thread_id=dst, execution_id=made_by))
    loads = (
        await session.execute(
            select(DatasetLoad).where(
                DatasetLoad.thread_id == src, DatasetLoad.loaded_at <= target.created_at
            )
        )
    ).scalars()
    for d in list(loads):
        session.add(_clone(d, id=uuid.uuid4(), thread_id=dst))
    return cells


def _clone(row: Any, **changes: Any) -> Any:
    """A copy of an ORM row (a new object of its class) with `changes` applied."""
    values = {c.key: getattr(row, c.key) for c in type(row).__table__.columns}
    return type(row)(**{**values, **changes})


def _cut(messages: list[BaseMessage], rows: list[Message], target: Message) -> int | None:
    """How many of the checkpoint's messages the conversation up to `target` is (None: no match)."""
    asked = next(
        (r for r in reversed(rows) if r.role == "user" and (r.run_id == target.run_id or r is target)), None
    )
    if asked is None:
        return None
    at = next((i for i, m in enumerate(messages) if m.id == str(asked.id)), None)
    if at is None:
        return None
    # after the question, the run's stored messages map one to one onto the graph's (partial texts aside)
    after = [r for r in rows if asked.seq < r.seq <= target.seq and not (r.meta or {}).get("partial")]
    cut = at + 1 + len(after)
    if cut > len(messages):
        return None
    last = messages[cut - 1]
    kind = {"user": HumanMessage, "assistant": AIMessage, "tool": ToolMessage}.get(target.role)
    if kind is None or not isinstance(last, kind):
        return None
    if isinstance(last, ToolMessage) and last.tool_call_id != target.tool_call_id:
        return None
    return cut


async def copy_checkpoint(
    saver: BaseCheckpointSaver[Any], src: uuid.UUID, dst: uuid.UUID, rows: list[Message], target: Message
) -> bool:
    """Write into `dst` the graph state of `src` at `target`; False when no checkpoint matches."""
    config: Any = {"configurable": {"thread_id": str(src), "checkpoint_ns": ""}}
    latest = await saver.aget_tuple(config)
    if latest is None:
        return False
    messages = list(latest.checkpoint["channel_values"].get("messages") or [])
    cut = _cut(messages, rows, target)
    if cut is None:
        log.warning("fork of %s at %s: no checkpoint matches the conversation", src, target.id)
        return False
    want = [m.id for m in messages[:cut]]
    chosen: CheckpointTuple | None = None
    async for tup in saver.alist(config):  # newest first
        ids = [m.id for m in tup.checkpoint["channel_values"].get("messages") or []]
        if ids == want or (chosen is None and len(ids) < cut and ids == want[: len(ids)]):
            chosen = tup  # an exact match further back wins: the step that ended there
    if chosen is None:
        return False
    checkpoint = copy.deepcopy(chosen.checkpoint)
    checkpoint["channel_values"]["messages"] = messages[:cut]
    checkpoint["channel_versions"].setdefault("messages", latest.checkpoint["channel_versions"]["messages"])
    metadata: Any = {**chosen.metadata, "source": "fork", "parents": {}}
    target_config: Any = {"configurable": {"thread_id": str(dst), "checkpoint_ns": ""}}
    await saver.aput(target_config, checkpoint, metadata, checkpoint["channel_versions"])
    return True


async def start_history(
    saver: BaseCheckpointSaver[Any], thread_id: uuid.UUID, said: str, message_id: uuid.UUID | None
) -> None:
    """A new thread's first checkpoint: the assistant said `said` (the re-run's report: the model sees it)."""
    checkpoint = empty_checkpoint()
    version = saver.get_next_version(None, None)
    message = AIMessage(content=said, id=str(message_id or uuid.uuid4()))
    checkpoint["channel_values"] = {"messages": [message]}
    checkpoint["channel_versions"] = {"messages": version}
    config: Any = {"configurable": {"thread_id": str(thread_id), "checkpoint_ns": ""}}
    metadata: Any = {"source": "update", "step": -1, "parents": {}}
    await saver.aput(config, checkpoint, metadata, {"messages": version})
