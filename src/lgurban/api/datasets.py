"""Dataset endpoints: search the catalog, describe, preview, load into a thread.

The routes return the service's records (datasets/models.py); the response models below are the HTTP
contract they are serialised to (`Loaded` shows fewer fields than the agent's `LoadResult`)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field

from lgurban.api.deps import CurrentUser, OwnedThread, ResourcesDep, SessionDep
from lgurban.api.responses import COMMON, errors
from lgurban.api.schemas import STRICT_BODY, UserText
from lgurban.datasets import models as records
from lgurban.datasets.client import DATASET_ID_PATTERN

router = APIRouter(tags=["datasets"], responses=errors(*COMMON, 409, 504))
NO_NUL = r"^[^\x00]*$"
# the schema documents the exact id format; an id outside it (too long too) is a 400 INVALID_DATASET_ID
# from the service (422 with a NUL)
ID_FORMAT: dict[str, Any] = {"pattern": DATASET_ID_PATTERN, "maxLength": 200}
MAP_MAX_FEATURES = 20_000  # a map preview's features at most (the panel asks for them all)
DatasetId = Annotated[str, Path(pattern=NO_NUL, json_schema_extra=ID_FORMAT)]


class DatasetItem(BaseModel):
    id: str
    title: str
    description: str | None = None
    source: str
    records_count: int | None = None
    is_geo: bool
    modified_at: str | None = None


class DatasetList(BaseModel):
    total: int
    items: list[DatasetItem]


class FieldOut(BaseModel):
    name: str
    label: str | None = None
    type: str | None = None
    description: str | None = None


class TimeCoverage(BaseModel):
    field: str
    start: Any = None
    end: Any = None


class GeoOut(BaseModel):
    fields: list[str]
    bbox: list[float] | None = None


class DatasetDetail(DatasetItem):
    fields: list[FieldOut]
    time_coverage: TimeCoverage | None = None
    geo: GeoOut | None = None
    license: str | None = None
    publisher: str | None = None


class Preview(BaseModel):
    columns: list[str]
    rows: list[list[Any]]


class GeoPreviewOut(BaseModel):
    """A GeoJSON FeatureCollection (RFC 7946, lon/lat): each feature's `properties` are its record's fields.
    `total` is the dataset's number of rows; `truncated` is true when rows after the last feature were not
    read (the `limit`)."""

    type: str = "FeatureCollection"
    features: list[dict[str, Any]]
    total: int
    truncated: bool


class LoadIn(BaseModel):
    model_config = STRICT_BODY

    dataset_id: UserText = Field(max_length=1000, json_schema_extra=ID_FORMAT)


class Loaded(BaseModel):
    path: str
    rows: int | None
    columns: list[str]
    bytes: int


class AvailableOut(BaseModel):
    id: str
    source: str
    bytes: int
    modified_at: str | None = None


class WorkspaceFileOut(BaseModel):
    path: str
    size: int
    modified_at: datetime | None = None


class ThreadDatasets(BaseModel):
    available: list[AvailableOut]
    files: list[WorkspaceFileOut]


@router.get("/api/datasets", response_model=DatasetList)
async def search_datasets(
    resources: ResourcesDep,
    _user: CurrentUser,
    session: SessionDep,
    q: Annotated[str, Query(max_length=200, pattern=NO_NUL)] = "",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=9_000)] = 0,
) -> records.CatalogPage:
    """Search the open-data portal and the server's heavy datasets by keywords."""
    await session.commit()  # the caller is known: no pooled connection held while the portal answers
    return await resources.datasets.search(q, limit, offset)


@router.get("/api/datasets/{dataset_id}", response_model=DatasetDetail)
async def get_dataset(
    dataset_id: DatasetId, resources: ResourcesDep, _user: CurrentUser, session: SessionDep
) -> records.DatasetDetail:
    """A dataset with its fields, time coverage and geographic information."""
    await session.commit()  # no pooled connection held while the portal answers
    return await resources.datasets.get(dataset_id)


@router.get("/api/datasets/{dataset_id}/preview", response_model=Preview)
async def preview_dataset(
    dataset_id: DatasetId,
    resources: ResourcesDep,
    _user: CurrentUser,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> records.Preview:
    """The first rows of a dataset, without loading it."""
    await session.commit()  # no pooled connection held while the portal answers
    return await resources.datasets.preview(dataset_id, limit)


@router.get(
    "/api/datasets/{dataset_id}/geojson",
    response_model=None,
    responses={200: {"model": GeoPreviewOut}, **errors(413)},
)
async def dataset_geojson(
    dataset_id: DatasetId,
    resources: ResourcesDep,
    _user: CurrentUser,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=MAP_MAX_FEATURES)] = MAP_MAX_FEATURES,
) -> Response:
    """A geographic dataset's first `limit` features as GeoJSON, for a map preview without loading it.
    409 `DATASET_NOT_GEO` when it has no geometry; 413 `DATASET_TOO_LARGE_FOR_MAP` for a portal dataset with
    more records than `DATASET_BBOX_MAX_RECORDS` (its export is not downloaded for a preview)."""
    await session.commit()  # no pooled connection held while the export downloads
    body = await resources.datasets.geojson(dataset_id, limit)  # GeoJSON text, made without a model
    return Response(body, media_type="application/json")


@router.post("/api/threads/{thread_id}/datasets", response_model=Loaded)
async def load_dataset(
    thread_id: uuid.UUID, body: LoadIn, _thread: OwnedThread, session: SessionDep, resources: ResourcesDep
) -> records.LoadResult:
    """Load a dataset into the thread's workspace as `datasets/<id>.parquet`."""
    service = resources.datasets
    await session.commit()  # no transaction (nor pooled connection) held open during a long download
    return await service.load_into_thread(
        session=session,
        thread_id=thread_id,
        dataset_id=body.dataset_id,
        workspace=resources.workspace(thread_id),
    )


@router.get("/api/threads/{thread_id}/datasets", response_model=ThreadDatasets)
async def thread_datasets(
    thread_id: uuid.UUID, _thread: OwnedThread, session: SessionDep, resources: ResourcesDep
) -> records.ThreadDatasets:
    """The heavy datasets available on this server and the files in the thread's workspace."""
    await session.commit()  # the store and a remote workspace may be slow: no pooled connection held
    service = resources.datasets
    return await service.list_for_thread(workspace=resources.workspace(thread_id))
