"""Where an artifact came from (issue 20): the cell that made it and the dataset versions that cell read."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from lgurban.artifacts.models import ArtifactOut
from lgurban.datasets.named import datasets_named
from lgurban.db.models import Artifact, DatasetLoad
from lgurban.execution.models import ExecutionOut
from lgurban.execution.service import get_execution


class DatasetLoadOut(BaseModel):
    """One dataset as the thread had loaded it: the version of the data, as recorded at load."""

    dataset_id: str
    source: str = Field(description="opendata (the portal's export) or store (a dataset put in the store)")
    modified: str | None = Field(description="the portal's modified time (or the store object's version)")
    etag: str | None
    sha256: str
    rows: int | None
    license: str | None
    loaded_at: datetime


class ProvenanceOut(BaseModel):
    artifact: ArtifactOut
    execution: ExecutionOut | None = Field(
        description="the cell that wrote it; null when no recorded cell did (an upload, an export)"
    )
    datasets: list[DatasetLoadOut] = Field(
        description="the datasets the cell names by path (datasets/<id>.parquet) or, when it names none, "
        "every dataset the thread had loaded by then; each at its latest load before the cell"
    )


async def provenance(*, session: AsyncSession, row: Artifact, artifact: ArtifactOut) -> ProvenanceOut:
    execution = None
    if (execution_id := row.execution_id) is not None:
        execution = await get_execution(session=session, thread_id=row.thread_id, execution_id=execution_id)
    until = execution.created_at if execution is not None and execution.created_at else row.created_at
    loads = (
        await session.execute(
            select(DatasetLoad)
            .where(DatasetLoad.thread_id == row.thread_id, DatasetLoad.loaded_at <= until)
            .order_by(DatasetLoad.loaded_at, DatasetLoad.id)
        )
    ).scalars()
    latest = {load.dataset_id: load for load in loads}  # the last load of each dataset before the cell
    named = datasets_named(execution.code or "") if execution is not None else []
    chosen = [latest[d] for d in named if d in latest] if named else list(latest.values())
    return ProvenanceOut(artifact=artifact, execution=execution, datasets=[_load_out(x) for x in chosen])


def _load_out(load: DatasetLoad) -> DatasetLoadOut:
    return DatasetLoadOut(
        dataset_id=load.dataset_id,
        source=load.source,
        modified=load.source_modified,
        etag=load.etag,
        sha256=load.sha256,
        rows=load.rows,
        license=load.license,
        loaded_at=load.loaded_at,
    )
