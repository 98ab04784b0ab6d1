"""Re-run a thread on today's data (issue 20): its cells replayed in a new thread on fresh downloads, with a
report of exactly what moved. The portal is the fake one; its data is changed between the run and the re-run.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from lgurban.db.models import Message, utcnow
from lgurban.db.session import session_scope
from lgurban.errors import SandboxUnavailable
from tests.fakes.opendatasoft import FakePortal

DATASET = "incidenti-stradali-quartieri"
CELLS = [
    f"import pandas as pd\nd = pd.read_parquet('datasets/{DATASET}.parquet')\nprint('rows', len(d))",
    "total = int(d['numero_incidenti'].sum())\ntotal",
    "by_q = d.groupby('quartiere')['numero_incidenti'].sum()\nprint(by_q['Navile'], by_q['Savena'])",
    "1 / 0",  # fails then and now, the same way: not a change
    "print('feriti', int(d['feriti'].sum()))",
]


async def _thread(start_app: Any, portal: FakePortal) -> tuple[Any, Any, str]:
    running = await start_app(opendata_base_url=portal.url, opendata_retries=1, opendata_timeout_s=5.0)
    running.resources.datasets.client.backoff_s = 0.01
    alice = await running.make_user()
    tid = await alice.thread()
    r = await alice.client.post(f"/api/threads/{tid}/datasets", json={"dataset_id": DATASET})
    assert r.status_code == 200, r.text
    for code in CELLS:
        r = await alice.client.post(f"/api/threads/{tid}/execute", json={"code": code})
        assert r.status_code == 200, r.text
    await running.resources.datasets.wait_idle()  # the download is in the store cache before the re-run
    return running, alice, tid


def _sum(table: pa.Table, quartiere: str | None = None) -> int:
    col = table.column("numero_incidenti")
    if quartiere is not None:
        col = pc.filter(col, pc.equal(table.column("quartiere"), quartiere))
    return int(pc.sum(col).as_py())


def _more_accidents_in_navile(table: pa.Table, extra: int) -> pa.Table:
    """The same rows, `extra` more accidents in Navile's first month."""
    first = pc.and_(
        pc.equal(table.column("quartiere"), "Navile"),
        pc.equal(pc.cast(table.column("data"), pa.string()), "2021-01-01"),
    )
    counts = pc.if_else(
        first, pc.add(table.column("numero_incidenti"), extra), table.column("numero_incidenti")
    )
    return table.set_column(table.column_names.index("numero_incidenti"), "numero_incidenti", counts)


async def _messages(user: Any, tid: str) -> list[dict[str, Any]]:
    r = await user.client.get(f"/api/threads/{tid}/messages")
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


async def test_unchanged_data_is_no_change_and_the_portal_was_asked(
    start_app: Any, portal: FakePortal
) -> None:
    _, alice, tid = await _thread(start_app, portal)
    asked_before = sum(1 for q in portal.requests if q["path"].endswith(f"/datasets/{DATASET}"))
    r = await alice.client.post(f"/api/threads/{tid}/rerun")
    assert r.status_code == 201, r.text
    report = r.json()
    assert report["unchanged"] is True and report["changes"] == [], report["changes"]
    assert report["datasets"] == [{**report["datasets"][0], "id": DATASET, "changed": False, "stale": False}]
    assert sum(1 for q in portal.requests if q["path"].endswith(f"/datasets/{DATASET}")) > asked_before
    new = report["thread_id"]
    assert new != tid and report["cells"] == len(CELLS)
    first = (await _messages(alice, new))[0]
    assert (
        first["role"] == "assistant"
        and "No change" in first["content"]
        and first["content"] == report["message"]
    )
    cells = (await alice.client.get(f"/api/threads/{new}/executions")).json()["items"]
    assert [c["code"] for c in cells] == CELLS  # the re-run is the new thread's notebook
    assert len((await alice.client.get(f"/api/threads/{tid}/executions")).json()["items"]) == len(CELLS)
    # the new thread goes on with the re-run's variables
    r = await alice.client.post(f"/api/threads/{new}/execute", json={"code": "total"})
    assert r.json()["outputs"][0]["data"] == cells[1]["outputs"][0]["data"]


async def test_a_metadata_only_edit_is_confirmed_by_the_etag_without_a_download(
    start_app: Any, portal: FakePortal
) -> None:
    _, alice, tid = await _thread(start_app, portal)
    portal.touch_metadata(DATASET)  # a new `modified`, the same data and ETag
    exports, confirmed = portal.export_count[DATASET], portal.not_modified_count[DATASET]
    r = await alice.client.post(f"/api/threads/{tid}/rerun")
    assert r.status_code == 201, r.text
    assert r.json()["unchanged"] is True and r.json()["datasets"][0]["changed"] is False
    assert portal.not_modified_count[DATASET] == confirmed + 1  # asked with the ETag: 304
    assert portal.export_count[DATASET] == exports  # no second download


async def test_changed_data_reports_exactly_the_numbers_that_moved(
    start_app: Any, portal: FakePortal
) -> None:
    _, alice, tid = await _thread(start_app, portal)
    before = portal.datasets[DATASET].fixture.table()
    after = _more_accidents_in_navile(before, 13)
    portal.change_data(DATASET, after)
    old_cells = (await alice.client.get(f"/api/threads/{tid}/executions")).json()["items"]
    r = await alice.client.post(f"/api/threads/{tid}/rerun")
    assert r.status_code == 201, r.text
    report = r.json()
    assert report["unchanged"] is False
    assert report["datasets"][0]["changed"] is True
    moved = {c["execution_id"]: [(n["old"], n["new"]) for n in c["numbers"]] for c in report["changes"]}
    assert moved == {
        old_cells[1]["id"]: [(str(_sum(before)), str(_sum(after)))],
        old_cells[2]["id"]: [(str(_sum(before, "Navile")), str(_sum(after, "Navile")))],
    }
    text = (await _messages(alice, report["thread_id"]))[0]["content"]
    assert f"{_sum(before)} → {_sum(after)}" in text and "2 of 5 cells changed" in text
    assert f"Dataset `{DATASET}`: new data" in text


async def test_a_portal_that_does_not_answer_uses_the_cached_copy_and_says_so(
    start_app: Any, portal: FakePortal
) -> None:
    _, alice, tid = await _thread(start_app, portal)
    portal.fail_next(503, times=20, retry_after=0)
    r = await alice.client.post(f"/api/threads/{tid}/rerun")
    portal.clear_failures()
    assert r.status_code == 201, r.text
    report = r.json()
    assert report["datasets"][0]["stale"] is True and report["unchanged"] is True
    assert "the portal did not answer; the cached copy was used" in report["message"]


async def test_a_cell_that_fails_now_is_a_change_not_an_error(start_app: Any, portal: FakePortal) -> None:
    _, alice, tid = await _thread(start_app, portal)
    table = portal.datasets[DATASET].fixture.table()
    portal.change_data(DATASET, table.drop_columns(["feriti"]))  # the portal dropped a column
    r = await alice.client.post(f"/api/threads/{tid}/rerun")
    assert r.status_code == 201, r.text
    (change,) = r.json()["changes"]
    assert change["old"].startswith("feriti ") and "KeyError" in change["new"] and change["numbers"] == []


async def test_a_sandbox_that_cannot_start_is_a_clear_503_and_leaves_no_thread(
    start_app: Any, portal: FakePortal, monkeypatch: Any
) -> None:
    running, alice, tid = await _thread(start_app, portal)

    async def down(*_: Any, **__: Any) -> Any:
        raise SandboxUnavailable("could not start a sandbox")

    monkeypatch.setattr(running.resources.sandboxes, "execute", down)
    count = len((await alice.client.get("/api/threads")).json()["items"])
    r = await alice.client.post(f"/api/threads/{tid}/rerun")
    assert r.status_code == 503 and r.json()["error"]["code"] == "SANDBOX_UNAVAILABLE", r.text
    assert len((await alice.client.get("/api/threads")).json()["items"]) == count


async def test_another_users_thread_is_not_found(start_app: Any, portal: FakePortal) -> None:
    running, _, tid = await _thread(start_app, portal)
    bob = await running.make_user()
    r = await bob.client.post(f"/api/threads/{tid}/rerun")
    assert r.status_code == 404 and r.json()["error"]["code"] == "THREAD_NOT_FOUND"
    r = await bob.client.post(f"/api/threads/{tid}/fork", json={"message_id": str(uuid.uuid4())})
    assert r.status_code == 404 and r.json()["error"]["code"] == "THREAD_NOT_FOUND"


async def test_a_fork_has_the_dataset_at_the_version_loaded_by_then(
    start_app: Any, portal: FakePortal
) -> None:
    """Fork (issue 20) where the records allow a point in time: the dataset reloaded after the message is the
    fork's at its earlier version (from the store cache), while the source keeps the new one."""
    running, alice, tid = await _thread(start_app, portal)
    path = f"datasets/{DATASET}.parquet"
    first = hashlib.sha256((running.workspace(tid).root / path).read_bytes()).hexdigest()
    async with session_scope(running.resources.sessionmaker) as session:
        message = Message(thread_id=uuid.UUID(tid), seq=1, role="user", content="Then?", created_at=utcnow())
        session.add(message)
    portal.change_data(DATASET, _more_accidents_in_navile(portal.datasets[DATASET].fixture.table(), 5))
    r = await alice.client.post(f"/api/threads/{tid}/datasets", json={"dataset_id": DATASET})
    assert r.status_code == 200, r.text
    now = hashlib.sha256((running.workspace(tid).root / path).read_bytes()).hexdigest()
    assert now != first
    r = await alice.client.post(f"/api/threads/{tid}/fork", json={"message_id": str(message.id)})
    assert r.status_code == 201, r.text
    fork = r.json()
    assert fork["model_history"] is False and fork["replayed"] == 4 and "1 of them" in fork["note"], fork
    forked = running.workspace(fork["thread_id"]).root / path
    assert hashlib.sha256(forked.read_bytes()).hexdigest() == first
    r = await alice.client.post(f"/api/threads/{fork['thread_id']}/execute", json={"code": "total"})
    assert r.json()["outputs"][0]["data"] == str(_sum(portal.datasets[DATASET].fixture.table()) - 5)
