"""The dataset records the service returns to the API and the tools (api/datasets.py serialises them)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class CatalogItem(BaseModel):
    """One search result: a portal dataset (`opendata`) or a heavy dataset of this server (`store`)."""

    id: str
    title: str
    description: str | None = None
    source: str
    records_count: int | None = None
    is_geo: bool
    modified_at: str | None = None


class CatalogPage(BaseModel):
    total: int
    items: list[CatalogItem]


class DatasetField(BaseModel):
    name: str
    label: str | None = None
    type: str | None = None
    description: str | None = None


class TimeCoverage(BaseModel):
    """The first date field and its range (values as the source gives them; ISO strings for the store)."""

    field: str
    start: Any = None
    end: Any = None


class GeoInfo(BaseModel):
    fields: list[str]
    bbox: list[float] | None = None


class DatasetDetail(CatalogItem):
    fields: list[DatasetField]
    time_coverage: TimeCoverage | None = None
    geo: GeoInfo | None = None
    license: str | None = None
    publisher: str | None = None


class GeoCheck(BaseModel):
    """Whether a dataset can be mapped, with its geo fields and bounding box when known."""

    dataset_id: str
    is_geo: bool
    fields: list[str]
    bbox: list[float] | None = None


class Preview(BaseModel):
    columns: list[str]
    rows: list[list[Any]]


class LoadResult(BaseModel):
    """A dataset put into a thread's workspace; `stale` (only shown when true) says the portal was down."""

    path: str
    rows: int | None
    columns: list[str]
    bytes: int
    source: str
    cached: bool = False
    stale: bool = Field(default=False, exclude_if=lambda stale: not stale)


class AvailableDataset(BaseModel):
    """A heavy dataset of this server that a thread can load."""

    id: str
    source: str
    bytes: int
    modified_at: str | None = None


class ThreadFile(BaseModel):
    """A file in the thread's workspace."""

    path: str
    size: int
    modified_at: str | None = None


class ThreadDatasets(BaseModel):
    available: list[AvailableDataset]
    files: list[ThreadFile]
