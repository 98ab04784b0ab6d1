"""An artifact's provenance (issue 20): the cell that wrote it and the dataset versions that cell read, as
recorded when the data was loaded (the portal's modified time, ETag, sha256, rows and licence)."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import Any

from lgurban.db.models import Artifact
from lgurban.db.session import session_scope
from tests.fakes.opendatasoft import FakePortal

DATASET = "incidenti-stradali-quartieri"
CHART = (
    "import pandas as pd\n"
    f"d = pd.read_parquet('datasets/{DATASET}.parquet')\n"
    "d.head(3).to_csv('artifacts/{name}.csv')\n"
    "len(d)"
)


async def _app(start_app: Any, portal: FakePortal) -> Any:
    running = await start_app(opendata_base_url=portal.url, opendata_retries=1, opendata_timeout_s=5.0)
    running.resources.datasets.client.backoff_s = 0.01
    return running


async def _artifact(alice: Any, tid: str, name: str) -> dict[str, Any]:
    items = (await alice.client.get(f"/api/threads/{tid}/artifacts")).json()["items"]
    return next(a for a in items if a["filename"] == f"{name}.csv")


def _export_etag(portal: FakePortal) -> str:
    served = portal.datasets[DATASET]
    return '"' + hashlib.sha1(f"{DATASET}:{served.version}:parquet".encode()).hexdigest() + '"'


async def test_an_artifact_names_its_cell_and_the_dataset_version_it_read(
    start_app: Any, portal: FakePortal, tmp_path: Path
) -> None:
    running = await _app(start_app, portal)
    alice = await running.make_user()
    tid = await alice.thread()
    r = await alice.client.post(f"/api/threads/{tid}/datasets", json={"dataset_id": DATASET})
    assert r.status_code == 200, r.text
    first_etag = _export_etag(portal)
    code = CHART.replace("{name}", "before")
    r = await alice.client.post(f"/api/threads/{tid}/execute", json={"code": code})
    assert r.status_code == 200 and r.json()["ok"], r.text
    before = await _artifact(alice, tid, "before")

    r = await alice.client.get(f"/api/artifacts/{before['id']}/provenance")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["artifact"]["id"] == before["id"]
    assert body["execution"]["id"] == before["execution_id"] and body["execution"]["code"] == code
    assert body["execution"]["source"] == "user"
    (load,) = body["datasets"]
    sha_cell = f"import hashlib\nhashlib.sha256(open('datasets/{DATASET}.parquet', 'rb').read()).hexdigest()"
    r = await alice.client.post(f"/api/threads/{tid}/execute", json={"code": sha_cell})
    expected_sha = r.json()["outputs"][0]["data"].strip("'")  # the bytes the cell read
    assert load["dataset_id"] == DATASET and load["source"] == "opendata"
    assert load["license"] == "CC BY 4.0" and load["etag"] == first_etag
    assert load["modified"] and load["rows"] == int(body["execution"]["outputs"][0]["data"])
    assert load["sha256"] == expected_sha

    # the data changes on the portal and is loaded again: a later cell reads the new version, the first
    # artifact keeps naming the version it was made from
    portal.touch(DATASET)
    r = await alice.client.post(f"/api/threads/{tid}/datasets", json={"dataset_id": DATASET})
    assert r.status_code == 200, r.text
    r = await alice.client.post(
        f"/api/threads/{tid}/execute", json={"code": CHART.replace("{name}", "after")}
    )
    assert r.status_code == 200 and r.json()["ok"], r.text
    after = await _artifact(alice, tid, "after")
    later = (await alice.client.get(f"/api/artifacts/{after['id']}/provenance")).json()["datasets"]
    assert [d["etag"] for d in later] == [_export_etag(portal)] and later[0]["etag"] != first_etag
    assert later[0]["modified"] != load["modified"]
    again = (await alice.client.get(f"/api/artifacts/{before['id']}/provenance")).json()["datasets"]
    assert again == [load]


async def test_a_cell_that_names_no_dataset_lists_what_the_thread_had_loaded_and_others_get_404(
    start_app: Any, portal: FakePortal
) -> None:
    running = await _app(start_app, portal)
    alice, bob = await running.make_user(), await running.make_user()
    tid = await alice.thread()
    code = "open('artifacts/early.csv', 'w').write('a\\n1\\n')"
    r = await alice.client.post(f"/api/threads/{tid}/execute", json={"code": code})
    assert r.status_code == 200 and r.json()["ok"], r.text
    early = await _artifact(alice, tid, "early")
    r = await alice.client.post(f"/api/threads/{tid}/datasets", json={"dataset_id": DATASET})
    assert r.status_code == 200, r.text
    code = "import os\nopen('artifacts/late.csv', 'w').write(str(os.listdir('datasets')))"
    r = await alice.client.post(f"/api/threads/{tid}/execute", json={"code": code})
    assert r.status_code == 200 and r.json()["ok"], r.text
    late = await _artifact(alice, tid, "late")

    got = (await alice.client.get(f"/api/artifacts/{early['id']}/provenance")).json()
    assert got["execution"]["code"].startswith("open('artifacts/early.csv'") and got["datasets"] == []
    got = (await alice.client.get(f"/api/artifacts/{late['id']}/provenance")).json()
    assert [d["dataset_id"] for d in got["datasets"]] == [DATASET]  # named by no path: all loaded by then

    r = await bob.client.get(f"/api/artifacts/{late['id']}/provenance")
    assert r.status_code == 404 and r.json()["error"]["code"] == "ARTIFACT_NOT_FOUND"
    r = await alice.client.get("/api/artifacts/not-a-uuid/provenance")
    assert r.status_code == 422 and r.json()["error"]["code"]


async def test_an_artifact_no_recorded_cell_wrote_has_no_execution(
    start_app: Any, portal: FakePortal
) -> None:
    """Artifacts stored before they named their cell (execution_id null) still answer, with no cell."""
    running = await _app(start_app, portal)
    alice = await running.make_user()
    tid = await alice.thread()
    async with session_scope(running.resources.sessionmaker) as session:
        row = Artifact(
            thread_id=uuid.UUID(tid),
            sha256="0" * 64,
            filename="old.csv",
            mime="text/csv",
            size=4,
            store_key=f"output/{tid}/old.csv",
        )
        session.add(row)
        await session.flush()
        artifact_id = row.id
    r = await alice.client.get(f"/api/artifacts/{artifact_id}/provenance")
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["artifact"]["filename"] == "old.csv" and got["execution"] is None and got["datasets"] == []
