"""Read-only links to a conversation (issue 19): share, look, revoke.

`POST /api/threads/{id}/share` makes the thread's link (the same one again while it is not revoked):
`{token, url}`, `url` the web app's page `/s/<token>`. The token is the share's id and an HMAC of it under
the server's signing key, so a guessed or altered token is refused without a lookup; revoking
(`DELETE .../share`) marks the row, and the link then answers 410 SHARE_REVOKED. Anyone holding the token
reads the thread's title and messages (`GET /api/shared/{token}`, no sign-in) and downloads the artifacts
of that thread only, through `GET /api/shared/{token}/artifacts/{id}` (a fresh short-lived signed link).
Nothing else of the thread (its settings, instructions, owner) is in the answer.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid

from fastapi import APIRouter, Response, status
from fastapi.responses import RedirectResponse
from pydantic import BaseModel
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from lgurban.agent.events import MessageOut
from lgurban.agent.history import list_messages
from lgurban.api.deps import CurrentUser, OwnedThread, ResourcesDep, SessionDep
from lgurban.api.responses import COMMON, errors
from lgurban.db.models import Artifact, Thread, ThreadShare, utcnow
from lgurban.errors import ArtifactNotFound, ShareNotFound, ShareRevoked

router = APIRouter(tags=["shares"], responses=errors(*COMMON))

SIG_CHARS = 32  # 128 bits of HMAC-SHA256
# a shared artifact link redirects to a presigned URL on each view: signed for minutes, so that a revoked
# share stops serving its files soon (an owner's own links last ARTIFACT_URL_TTL_SECONDS)
SHARED_URL_TTL_S = 300


class ShareOut(BaseModel):
    token: str
    url: str  # the read-only page, a path on this server: /s/<token>
    created_at: str


class SharedThreadOut(BaseModel):
    title: str
    shared_at: str
    items: list[MessageOut]  # each artifact's `url` goes through the shared link


def _signature(key: bytes, share_id: uuid.UUID) -> str:
    return hmac.new(key, b"thread-share:" + share_id.bytes, hashlib.sha256).hexdigest()[:SIG_CHARS]


def _token(key: bytes, share_id: uuid.UUID) -> str:
    return f"{share_id.hex}.{_signature(key, share_id)}"


def _share_out(key: bytes, row: ThreadShare) -> ShareOut:
    token = _token(key, row.id)
    return ShareOut(token=token, url=f"/s/{token}", created_at=row.created_at.isoformat())


async def _active(session: AsyncSession, thread_id: uuid.UUID) -> ThreadShare | None:
    query = select(ThreadShare).where(ThreadShare.thread_id == thread_id, ThreadShare.revoked_at.is_(None))
    query = query.order_by(ThreadShare.created_at.desc()).limit(1)
    return (await session.execute(query)).scalar_one_or_none()


async def _resolve(session: AsyncSession, key: bytes, token: str) -> ThreadShare:
    """The live share a token names: 404 SHARE_NOT_FOUND (bad signature, unknown), 410 SHARE_REVOKED."""
    raw_id, _, sig = token.partition(".")
    try:
        share_id = uuid.UUID(hex=raw_id)
    except ValueError:
        raise ShareNotFound("this shared link does not exist") from None
    if len(raw_id) != 32 or not hmac.compare_digest(sig, _signature(key, share_id)):
        raise ShareNotFound("this shared link does not exist")
    row = await session.get(ThreadShare, share_id)
    if row is None:
        raise ShareNotFound("this shared link does not exist (the conversation may have been deleted)")
    if row.revoked_at is not None:
        raise ShareRevoked("the owner stopped sharing this conversation")
    return row


@router.post("/api/threads/{thread_id}/share", response_model=ShareOut)
async def share_thread(
    thread: OwnedThread, user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> ShareOut:
    """The thread's read-only link: made now, or the one already made (until it is revoked)."""
    row = await _active(session, thread.id)
    if row is None:
        row = ThreadShare(thread_id=thread.id, created_by=user.id, created_at=utcnow())
        session.add(row)
        await session.flush()
    return _share_out(resources.settings.signing_key(), row)


@router.get("/api/threads/{thread_id}/share", response_model=ShareOut)
async def get_share(thread: OwnedThread, session: SessionDep, resources: ResourcesDep) -> ShareOut:
    """The thread's live link; 404 SHARE_NOT_FOUND when it is not shared."""
    row = await _active(session, thread.id)
    if row is None:
        raise ShareNotFound("this conversation is not shared")
    return _share_out(resources.settings.signing_key(), row)


@router.delete(
    "/api/threads/{thread_id}/share", status_code=status.HTTP_204_NO_CONTENT, response_class=Response
)
async def revoke_share(thread: OwnedThread, session: SessionDep) -> Response:
    """Stop sharing: the link answers 410 SHARE_REVOKED from now on (404 when it was not shared)."""
    done = await session.execute(
        update(ThreadShare)
        .where(ThreadShare.thread_id == thread.id, ThreadShare.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    if not getattr(done, "rowcount", 0):
        raise ShareNotFound("this conversation is not shared")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/api/shared/{token}", response_model=SharedThreadOut, responses=errors(410))
async def shared_thread(token: str, session: SessionDep, resources: ResourcesDep) -> SharedThreadOut:
    """A shared conversation, read-only, for whoever has the link (no sign-in)."""
    share = await _resolve(session, resources.settings.signing_key(), token)
    thread = await session.get(Thread, share.thread_id)
    if thread is None:
        raise ShareNotFound("this shared link does not exist (the conversation may have been deleted)")
    items = await list_messages(resources=resources, session=session, thread_id=thread.id)
    for item in items:
        for art in item.artifacts:
            art.url = f"/api/shared/{token}/artifacts/{art.id}"
    return SharedThreadOut(title=thread.title, shared_at=share.created_at.isoformat(), items=items)


@router.get(
    "/api/shared/{token}/artifacts/{artifact_id}",
    status_code=307,
    response_class=RedirectResponse,
    responses={307: {"description": "redirect to a signed download URL"}, **errors(410)},
)
async def shared_artifact(
    token: str, artifact_id: uuid.UUID, session: SessionDep, resources: ResourcesDep
) -> RedirectResponse:
    """An artifact of the shared thread (any other artifact → 404), as a short-lived signed link."""
    share = await _resolve(session, resources.settings.signing_key(), token)
    row = await session.get(Artifact, artifact_id)
    if row is None or row.thread_id != share.thread_id:
        raise ArtifactNotFound("this file is not part of the shared conversation")
    url = await resources.artifacts.checked_download_url(session=session, row=row, ttl=SHARED_URL_TTL_S)
    return RedirectResponse(url, status_code=307, headers={"Cache-Control": "no-store"})
