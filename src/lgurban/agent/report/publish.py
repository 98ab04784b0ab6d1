"""The report writer's I/O (issue 15): what it cites from the thread, and storing an approved report.

- `thread_sources`: the thread's image artifacts (its charts) and the datasets it loaded (the last load of
  each: its modified date as loaded), with title and licence from the dataset service when it answers;
- `publish_report`: the Markdown and a standalone HTML page (lgurban.execution.notebook_html.markdown_page:
  each chart embedded as a data: URI, the page's CSP forbidding every fetch) written under `reports/` in the
  thread's workspace and ingested as artifacts like any cell's files, each announced with an ArtifactEvent
  (agent report_writer).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from lgurban.agent.events import ArtifactEvent, Emit
from lgurban.agent.report.draft import CHART_LINK, Chart, Citation
from lgurban.agent.services import Services
from lgurban.artifacts.models import ArtifactOut
from lgurban.db.models import Artifact, DatasetLoad
from lgurban.db.session import session_scope
from lgurban.execution.notebook_html import markdown_page
from lgurban.sandbox.types import ArtifactFile

log = logging.getLogger(__name__)

CHART_MIMES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml")
MAX_EMBEDDED_BYTES = 20 * 1024 * 1024
REPORT_AGENT = "report_writer"


async def thread_sources(resources: Services, thread_id: uuid.UUID) -> tuple[list[Chart], list[Citation]]:
    """The thread's charts (image artifacts, oldest first, one per file name) and the datasets it loaded."""
    async with resources.sessionmaker() as session:
        rows = (
            await session.execute(
                select(Artifact)
                .where(Artifact.thread_id == thread_id, Artifact.mime.in_(CHART_MIMES))
                .order_by(Artifact.created_at, Artifact.id)
            )
        ).scalars()
        latest: dict[str, Chart] = {r.filename: Chart(str(r.id), r.filename) for r in rows}
        loads = (
            await session.execute(
                select(DatasetLoad).where(DatasetLoad.thread_id == thread_id).order_by(DatasetLoad.loaded_at)
            )
        ).scalars()
        modified = {load.dataset_id: load.source_modified for load in loads}
    citations = [await _citation(resources, dataset_id, when) for dataset_id, when in modified.items()]
    return list(latest.values()), citations


async def _citation(resources: Services, dataset_id: str, modified: str | None) -> Citation:
    try:
        detail = await resources.datasets.get(dataset_id)
    except Exception as exc:  # the portal is down or forgot it: cite what the load recorded
        log.info("report: no details for dataset %s: %s", dataset_id, type(exc).__name__)
        return Citation(dataset_id, modified=modified)
    return Citation(dataset_id, detail.title, detail.license, detail.modified_at or modified)


async def _data_uris(resources: Services, thread_id: uuid.UUID, markdown: str) -> dict[str, str]:
    """The app links of the thread's image artifacts the Markdown shows → data: URIs of their bytes."""
    async with resources.sessionmaker() as session:
        rows = list(
            (
                await session.execute(
                    select(Artifact).where(Artifact.thread_id == thread_id, Artifact.mime.in_(CHART_MIMES))
                )
            ).scalars()
        )
    out: dict[str, str] = {}
    budget = MAX_EMBEDDED_BYTES
    for row in rows:
        link = CHART_LINK.format(id=row.id)
        if link not in markdown or row.size > budget:
            continue
        try:
            data = b"".join([chunk async for chunk in resources.artifacts.store.get_stream(row.store_key)])
        except Exception as exc:
            log.info("report: chart %s not embedded: %s", row.id, type(exc).__name__)
            continue
        budget -= len(data)
        out[link] = f"data:{row.mime};base64,{base64.b64encode(data).decode()}"
    return out


def report_title(markdown: str) -> str:
    first = next((line for line in markdown.splitlines() if line.startswith("# ")), "# Report")
    return first[2:].strip() or "Report"


async def publish_report(
    resources: Services, *, thread_id: uuid.UUID, markdown: str, call: str, emit: Emit | None = None
) -> list[ArtifactOut]:
    """Store the approved report as `reports/report-<time>.md` and `.html` artifacts (see the docstring)."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    page = markdown_page(report_title(markdown), markdown, await _data_uris(resources, thread_id, markdown))
    workspace = resources.workspace(thread_id)
    files: list[ArtifactFile] = []
    with tempfile.TemporaryDirectory(prefix="lgurban-report-") as tmp:
        for ext, text, mime in (("md", markdown, "text/markdown"), ("html", page, "text/html")):
            data = text.encode()
            local = Path(tmp) / f"report-{stamp}.{ext}"
            local.write_bytes(data)
            rel = f"reports/report-{stamp}.{ext}"
            await workspace.put_file(rel, local)
            files.append(ArtifactFile(rel, len(data), hashlib.sha256(data).hexdigest(), mime))
    async with session_scope(resources.sessionmaker) as session:
        result = await resources.artifacts.ingest(
            session=session,
            thread_id=thread_id,
            execution_id=None,
            tool_call_id=call,
            workspace=workspace,
            files=files,
        )
    for note in result.notes:
        log.warning("report of thread %s: %s", thread_id, note)
    for artifact in result.artifacts:
        if emit is not None:
            emit(ArtifactEvent(agent=REPORT_AGENT, tool_call_id=call, artifact=artifact))
    return result.artifacts
