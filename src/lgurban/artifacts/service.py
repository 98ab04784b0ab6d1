"""Artifacts: files a cell produced, stored once by content hash, recorded per thread, handed out as
signed links."""

from __future__ import annotations

import logging
import os
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any

import anyio
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from lgurban.artifacts.map_assets import assets_base, localise
from lgurban.artifacts.mime import sniff_file
from lgurban.artifacts.models import ArtifactOut
from lgurban.db.models import Artifact, Export, Thread, User, utcnow
from lgurban.errors import AppError, ArtifactExpired, ArtifactNotFound, PayloadTooLarge
from lgurban.sandbox.types import ArtifactFile
from lgurban.sandbox.workspace import Workspace, clean_relative_path
from lgurban.settings import Settings
from lgurban.storage.base import EXPORTS_PREFIX, ObjectStore, StoredBlob

log = logging.getLogger(__name__)


class ExportOut(BaseModel):
    """A published workspace file: a signed link, when it expires (ISO 8601) and its object-store key."""

    url: str
    expires_at: str
    key: str


@dataclass
class IngestResult:
    artifacts: list[ArtifactOut] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _size(n: int) -> str:
    return f"{n / 1024**2:.1f} MB" if n >= 1024**2 else f"{n:,} bytes"


class ArtifactService:
    def __init__(self, *, store: ObjectStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    @property
    def ttl(self) -> int:
        """Signed-link lifetime: ARTIFACT_URL_TTL_SECONDS (S3 presigned links cannot outlive 7 days)."""
        ttl = self.settings.artifact_url_ttl_seconds
        limit = self.store.max_presign_s
        return ttl if limit is None else min(ttl, limit)

    async def ingest(
        self,
        *,
        session: AsyncSession,
        thread_id: uuid.UUID,
        execution_id: uuid.UUID | None,
        tool_call_id: str | None,
        workspace: Workspace,
        files: list[ArtifactFile],
    ) -> IngestResult:
        """Store and record each reported file; a file that cannot be kept is skipped with a note saying why.

        The sandbox's own hash, size and type are not trusted: the host reads the bytes itself."""
        result = IngestResult()
        seen: set[str] = set()
        for file in files:
            if file.path in seen:
                continue
            seen.add(file.path)
            row, note = await self._ingest_one(
                session=session,
                thread_id=thread_id,
                execution_id=execution_id,
                tool_call_id=tool_call_id,
                workspace=workspace,
                file=file,
            )
            if note:
                result.notes.append(note)
            if row is not None:
                result.artifacts.append(await self.to_out(row))
        return result

    async def _ingest_one(
        self,
        *,
        session: AsyncSession,
        thread_id: uuid.UUID,
        execution_id: uuid.UUID | None,
        tool_call_id: str | None,
        workspace: Workspace,
        file: ArtifactFile,
    ) -> tuple[Artifact | None, str | None]:
        filename = PurePosixPath(file.path).name or "artifact"
        cap = self.settings.artifact_max_bytes
        try:
            local = await workspace.local_path(clean_relative_path(file.path))
            size = (await anyio.to_thread.run_sync(os.stat, local)).st_size
            if size > cap:
                raise PayloadTooLarge("too large")
            mime = await anyio.to_thread.run_sync(sniff_file, local, filename)
            blob = await self._put(local, mime=mime, cap=cap)
        except PayloadTooLarge:
            return None, (
                f"artifact {filename} was skipped: it is larger than the {_size(cap)} limit "
                "(ARTIFACT_MAX_BYTES); save a smaller file or export it with POST /exports"
            )
        except AppError as exc:
            return None, f"artifact {filename} was not saved: {exc.message}"
        except Exception as exc:
            log.warning("artifact %s of thread %s not stored: %r", filename, thread_id, exc)
            return None, f"artifact {filename} was not saved: the object store failed ({type(exc).__name__})"
        row = await self._record(
            session=session,
            values={
                "thread_id": thread_id,
                "execution_id": execution_id,
                "tool_call_id": tool_call_id,
                "sha256": blob.sha256,
                "filename": filename[:500],
                "mime": mime,
                "size": blob.size,
                "store_key": blob.key,
            },
        )
        return row, None

    async def _put(self, local: Path, *, mime: str, cap: int) -> StoredBlob:
        """Store the file; an HTML map is stored with its CDN assets pointing at the app's own copies."""
        if mime != "text/html":
            return await self.store.put_content_addressed(local, content_type=mime, max_bytes=cap)
        base = assets_base(self.settings.public_base_url)
        copy = await anyio.to_thread.run_sync(localise, local, base)
        try:
            return await self.store.put_content_addressed(copy.path, content_type=mime, max_bytes=cap)
        finally:
            copy.discard()

    async def _record(self, *, session: AsyncSession, values: dict[str, Any]) -> Artifact:
        """Insert the row unless the same thread/execution/hash/name is already there (on both databases)."""
        existing = await self._find(session, values)
        if existing is not None:
            return existing
        dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = (
            insert(Artifact)
            .values(id=uuid.uuid4(), created_at=utcnow(), **values)
            .on_conflict_do_nothing(index_elements=["thread_id", "execution_id", "sha256", "filename"])
        )
        await session.execute(stmt)
        row = await self._find(session, values)
        assert row is not None
        return row

    @staticmethod
    async def _find(session: AsyncSession, values: dict[str, Any]) -> Artifact | None:
        execution_id = values["execution_id"]
        query = select(Artifact).where(
            Artifact.thread_id == values["thread_id"],
            Artifact.sha256 == values["sha256"],
            Artifact.filename == values["filename"],
            Artifact.execution_id.is_(None)
            if execution_id is None
            else Artifact.execution_id == execution_id,
        )
        return (await session.execute(query.limit(1))).scalar_one_or_none()

    async def download_url(self, row: Artifact, *, ttl: int | None = None) -> str:
        """A signed link built from the key stored with the artifact (never recomputed from the hash), valid
        for `self.ttl` seconds or the shorter `ttl`."""
        expires_in = self.ttl if ttl is None else min(ttl, self.ttl)
        return await self.store.signed_url(
            row.store_key, expires_in=expires_in, filename=row.filename, content_type=row.mime
        )

    async def checked_download_url(
        self, *, session: AsyncSession, row: Artifact, ttl: int | None = None
    ) -> str:
        """A signed link to a blob that is still stored; ArtifactExpired (410) when the store no longer has it
        (the row is marked expired, committed, so later calls answer without asking the store)."""
        if row.expired_at is None and await self.store.head(row.store_key) is None:
            row.expired_at = utcnow()
            await session.commit()
            log.info("artifact %s: its blob %s is gone from the store; marked expired", row.id, row.store_key)
        if row.expired_at is not None:
            raise ArtifactExpired(
                f"{row.filename} is no longer stored (gone since {row.expired_at.date().isoformat()} at the "
                "latest): the object store deletes artifacts after their retention period. Run the code that "
                "made it again to get it anew.",
                artifact_id=str(row.id),
                expired_at=row.expired_at.isoformat(),
            )
        return await self.download_url(row, ttl=ttl)

    async def to_out(self, row: Artifact) -> ArtifactOut:
        """The artifact record every client sees, with a fresh signed url and the cell/call that made it."""
        return ArtifactOut(
            id=row.id,
            thread_id=row.thread_id,
            filename=row.filename,
            mime=row.mime,
            size=row.size,
            sha256=row.sha256,
            created_at=row.created_at.isoformat(),
            url=await self.download_url(row),
            execution_id=row.execution_id,
            tool_call_id=row.tool_call_id,
        )

    async def list(self, *, session: AsyncSession, thread_id: uuid.UUID) -> list[ArtifactOut]:
        """The thread's artifacts, oldest first (the caller has checked the thread's owner)."""
        rows = (
            await session.execute(
                select(Artifact)
                .where(Artifact.thread_id == thread_id)
                .order_by(Artifact.created_at, Artifact.id)
            )
        ).scalars()
        return [await self.to_out(r) for r in rows]

    async def get(self, *, session: AsyncSession, owner: User, artifact_id: uuid.UUID) -> Artifact:
        """The artifact if its thread belongs to `owner`; ArtifactNotFound otherwise (never 'forbidden')."""
        row = (
            await session.execute(
                select(Artifact)
                .join(Thread, Thread.id == Artifact.thread_id)
                .where(Artifact.id == artifact_id, Thread.owner_id == owner.id)
            )
        ).scalar_one_or_none()
        if row is None:
            raise ArtifactNotFound(f"artifact {artifact_id} not found")
        return row

    async def export(
        self,
        *,
        thread_id: uuid.UUID,
        workspace: Workspace,
        path: str,
        session: AsyncSession | None = None,
    ) -> ExportOut:
        """Publish a workspace file under output/exports/<timestamp>/<filename>: its signed url and expiry."""
        rel = clean_relative_path(path)
        local: Path = await workspace.local_path(rel)  # InvalidPath for escapes and symlinks out
        filename = PurePosixPath(rel).name
        mime = await anyio.to_thread.run_sync(sniff_file, local, filename)
        now = datetime.now(UTC)
        key = f"{EXPORTS_PREFIX}{now:%Y%m%dT%H%M%S}.{now.microsecond:06d}Z/{filename}"
        info = await self.store.put_file(key, local, content_type=mime)
        url = await self.store.signed_url(key, expires_in=self.ttl, filename=filename, content_type=mime)
        if session is not None:
            session.add(Export(thread_id=thread_id, path=rel, store_key=key, size=info.size))
            await session.flush()
        expires_at = now + timedelta(seconds=self.ttl)
        return ExportOut(url=url, expires_at=expires_at.isoformat(), key=key)
