"""The dataset service on the S3 store (moto's server over HTTP): export cache, heavy datasets in a bucket."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from lgurban.datasets.models import LoadResult
from lgurban.datasets.service import DatasetService
from lgurban.db.models import Thread, User
from lgurban.db.session import make_engine, make_sessionmaker
from lgurban.sandbox.workspace import LocalWorkspace
from lgurban.storage import build_store
from lgurban.storage.base import dataset_key
from lgurban.storage.bootstrap import bootstrap
from tests.fakes.opendatasoft import FakePortal
from tests.storage.conftest import Moto, plain_settings, s3_settings


async def test_loads_and_caches_through_s3(
    settings_factory: Any,
    portal: FakePortal,
    moto: Moto,
    bucket: str,
    tmp_path: Path,
) -> None:
    await bootstrap(plain_settings(data_dir=tmp_path / "boot", **s3_settings(moto, s3_bucket=bucket)))
    settings = settings_factory(opendata_base_url=portal.url, **s3_settings(moto, s3_bucket=bucket))
    engine = make_engine(settings)
    store = build_store(settings)
    service = DatasetService(settings=settings, store=store, sessionmaker=make_sessionmaker(engine))
    try:
        async with service.sessionmaker() as s:
            user = User(name=f"u-{uuid.uuid4().hex[:8]}")
            s.add(user)
            await s.flush()
            thread = Thread(owner_id=user.id, title="t")
            s.add(thread)
            await s.commit()
        ws = LocalWorkspace(settings.workspaces_dir / str(thread.id))

        async def load(dataset_id: str) -> LoadResult:
            async with service.sessionmaker() as s:
                out = await service.load_into_thread(
                    session=s, thread_id=thread.id, dataset_id=dataset_id, workspace=ws
                )
                await s.commit()
                return out

        first = await load("incidenti-stradali-quartieri")
        await service.wait_idle()
        keys = [o["Key"] for o in moto.client().list_objects_v2(Bucket=bucket, Prefix="cache/")["Contents"]]
        assert len(keys) == 1 and keys[0].endswith(".parquet")
        ws_file = ws.root / first.path
        ws_file.unlink()
        again = await load("incidenti-stradali-quartieri")
        assert again.cached and portal.export_count["incidenti-stradali-quartieri"] == 1
        assert len(pd.read_parquet(ws_file)) == 216
        assert list(service.tmp_dir.iterdir()) == []

        heavy = tmp_path / "heavy.parquet"
        pq.write_table(pa.table({"quartiere": ["Navile", "Savena", "Navile"], "n": [1, 2, 3]}), heavy)
        await store.put_file(dataset_key("pesante"), heavy)
        found = await service.search("pesante", 10, 0)
        # a search does not download a heavy dataset from the bucket just to count its rows
        assert found.items[0].id == "pesante" and found.items[0].records_count is None
        out = await load("pesante")
        found = await service.search("pesante", 10, 0)
        assert found.items[0].records_count == 3  # the local copy made by the load is read
        assert out.rows == 3 and out.source == "store"
        assert (ws.root / "datasets/pesante.parquet").read_bytes() == heavy.read_bytes()
        assert (await service.preview("pesante", 2)).rows == [["Navile", 1], ["Savena", 2]]
    finally:
        await service.close()
        await store.close()
        await engine.dispose()
