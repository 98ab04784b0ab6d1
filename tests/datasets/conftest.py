"""The fake Opendatasoft portal over real HTTP; a service on the real store and DB; apps using the fake."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from lgurban.datasets.service import DatasetService
from lgurban.db.session import make_engine, make_sessionmaker
from lgurban.settings import Settings
from lgurban.storage import build_store
from tests.artifacts.conftest import start_app  # noqa: F401  (fixture)
from tests.fakes.opendatasoft import FakePortal
from tests.storage.conftest import bucket, moto  # noqa: F401  (fixtures)


@pytest.fixture
def portal() -> Iterator[FakePortal]:
    with FakePortal() as p:
        yield p


@pytest.fixture
def ds_settings(settings_factory: Any, portal: FakePortal) -> Settings:
    settings: Settings = settings_factory(
        opendata_base_url=portal.url, opendata_retries=2, opendata_timeout_s=2.0, opendata_cache_ttl_s=60.0
    )
    return settings


@pytest.fixture
async def service(ds_settings: Settings) -> AsyncIterator[DatasetService]:
    engine = make_engine(ds_settings)
    store = build_store(ds_settings)
    svc = DatasetService(settings=ds_settings, store=store, sessionmaker=make_sessionmaker(engine))
    svc.client.backoff_s = 0.01
    try:
        yield svc
    finally:
        await svc.close()
        await store.close()
        await engine.dispose()
