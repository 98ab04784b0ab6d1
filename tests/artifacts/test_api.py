"""Artifacts API on the local store: list/get/download, signed blob links, ownership, exports."""

from __future__ import annotations

import os
import time
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from lgurban.artifacts.models import ArtifactOut
from tests.artifacts.conftest import Running, User
from tests.artifacts.test_ingest import PNG, ingest

HTML = b"<!DOCTYPE html><html><body><script>document.cookie</script></body></html>"


async def anonymous(running: Running) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=running.app), base_url="http://testserver")


async def with_artifacts(
    start_app: Any, **overrides: Any
) -> tuple[Running, User, str, dict[str, ArtifactOut]]:
    running = await start_app(**overrides)
    alice = await running.make_user()
    tid = await alice.thread()
    root = running.workspace(tid).root / "artifacts"
    (root / "plot.png").write_bytes(PNG)
    (root / "map.html").write_bytes(HTML)
    result, _ = await ingest(running, tid, ["artifacts/plot.png", "artifacts/map.html"])
    return running, alice, tid, {a.filename: a for a in result.artifacts}


async def test_list_get_and_download_redirect(start_app: Any) -> None:
    running, alice, tid, arts = await with_artifacts(start_app)
    r = await alice.client.get(f"/api/threads/{tid}/artifacts")
    assert r.status_code == 200
    items = r.json()["items"]
    assert [i["filename"] for i in items] == ["plot.png", "map.html"]
    assert set(items[0]) == {
        *("id", "thread_id", "filename", "mime", "size", "sha256", "created_at", "url"),
        *("execution_id", "tool_call_id"),  # the cell and tool call that made it (ArtifactOut)
    }
    assert items[0]["tool_call_id"] == "call_1" and items[0]["execution_id"] == str(
        arts["plot.png"].execution_id
    )
    png = arts["plot.png"]
    r = await alice.client.get(f"/api/artifacts/{png.id}")
    assert r.status_code == 200 and r.json()["sha256"] == png.sha256
    r = await alice.client.get(f"/api/artifacts/{png.id}/download")
    assert r.status_code == 307
    location = r.headers["location"]
    assert location.startswith("/blobs/output/artifacts/")
    async with await anonymous(running) as anon:
        blob = await anon.get(location)
    assert blob.status_code == 200 and blob.content == PNG
    assert blob.headers["content-type"] == "image/png"
    assert blob.headers["x-content-type-options"] == "nosniff"
    assert blob.headers["content-disposition"].startswith('inline; filename="plot.png"')
    assert "content-security-policy" not in blob.headers


async def test_html_is_served_in_a_sandboxed_origin(start_app: Any) -> None:
    running, _alice, _tid, arts = await with_artifacts(start_app)
    async with await anonymous(running) as anon:
        r = await anon.get(arts["map.html"].url)
    assert r.status_code == 200 and r.content == HTML
    assert r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert csp.startswith("sandbox") and "allow-scripts" in csp and "allow-same-origin" not in csp


async def test_other_user_gets_404_everywhere(start_app: Any) -> None:
    running, _alice, tid, arts = await with_artifacts(start_app)
    bob = await running.make_user()
    aid = arts["plot.png"].id
    for path in (f"/api/artifacts/{aid}", f"/api/artifacts/{aid}/download", f"/api/threads/{tid}/artifacts"):
        r = await bob.client.get(path)
        assert r.status_code == 404, path
        assert r.json()["error"]["code"] in {"ARTIFACT_NOT_FOUND", "THREAD_NOT_FOUND"}
    r = await bob.client.post(f"/api/threads/{tid}/exports", json={"path": "artifacts/plot.png"})
    assert r.status_code == 404


def _tamper(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    query.update(changes)
    return f"{parts.path}?{urlencode(query)}"


async def test_tampered_and_expired_links_are_403(start_app: Any) -> None:
    running, _alice, _tid, arts = await with_artifacts(start_app)
    url = arts["plot.png"].url
    exp = parse_qs(urlsplit(url).query)["exp"][0]
    other_key = urlsplit(arts["map.html"].url).path
    bad = [
        _tamper(url, exp=str(int(exp) + 3600)),  # stretched in time
        _tamper(url, ct="text/html"),  # served as another type
        _tamper(url, fn="evil.html"),
        _tamper(url, sig="A" * 43),
        _tamper(url, exp="soon"),
        other_key + "?" + urlsplit(url).query,  # another key with this signature
    ]
    async with await anonymous(running) as anon:
        for link in bad:
            r = await anon.get(link)
            assert r.status_code == 403, link
            assert r.json()["error"]["code"] == "INVALID_SIGNATURE"
        signer = running.resources.store.signer
        expired = signer.url(
            arts["plot.png"].url.split("?")[0].removeprefix("/blobs/"),
            expires_in=10,
            filename="plot.png",
            content_type="image/png",
            now=time.time() - 60,
        )
        r = await anon.get(expired)
        assert r.status_code == 403 and "expired" in r.json()["error"]["message"]


async def test_link_ttl_follows_the_setting(start_app: Any) -> None:
    _running, _alice, _tid, arts = await with_artifacts(start_app, artifact_url_ttl_seconds=120)
    exp = int(parse_qs(urlsplit(arts["plot.png"].url).query)["exp"][0])
    assert 100 <= exp - time.time() <= 121


async def test_export_publishes_a_workspace_file(start_app: Any) -> None:
    running = await start_app()
    alice = await running.make_user()
    tid = await alice.thread()
    ws = running.workspace(tid)
    (ws.root / "datasets" / "out.csv").write_text("x,y\n1,2\n")
    r = await alice.client.post(f"/api/threads/{tid}/exports", json={"path": "datasets/out.csv"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["key"].startswith("output/exports/") and body["key"].endswith("/out.csv")
    assert await running.resources.store.exists(body["key"])
    async with await anonymous(running) as anon:
        got = await anon.get(body["url"])
    assert got.status_code == 200 and got.text == "x,y\n1,2\n"
    assert got.headers["content-type"].startswith("text/csv")
    ttl = running.resources.settings.artifact_url_ttl_seconds
    from datetime import UTC, datetime

    left = datetime.fromisoformat(body["expires_at"]) - datetime.now(UTC)
    assert ttl - 60 < left.total_seconds() <= ttl


async def test_export_refuses_paths_outside_the_workspace(start_app: Any, tmp_path: Any) -> None:
    running = await start_app()
    alice = await running.make_user()
    tid = await alice.thread()
    ws = running.workspace(tid)
    outside = tmp_path / "outside.txt"
    outside.write_text("no")
    os.symlink(outside, ws.root / "link.txt")
    os.symlink(tmp_path, ws.root / "dirlink")
    for path in ("../x.txt", "/etc/passwd", "datasets/../../x", "link.txt", "dirlink/outside.txt"):
        r = await alice.client.post(f"/api/threads/{tid}/exports", json={"path": path})
        assert r.status_code == 400, path
        assert r.json()["error"]["code"] == "INVALID_PATH"
    r = await alice.client.post(f"/api/threads/{tid}/exports", json={"path": "nothing.csv"})
    assert r.status_code == 404 and r.json()["error"]["code"] == "FILE_NOT_FOUND"
    assert await running.resources.store.list("output/exports/") == []


async def test_health_reports_the_store(start_app: Any) -> None:
    running = await start_app()
    alice = await running.make_user()
    r = await alice.client.get("/api/health")
    assert r.json()["checks"]["store"] == "ok"
    # the store cannot be written (a file where its temp folder goes; chmod means nothing to root)
    tmp = running.resources.store.root / ".tmp"
    tmp.rmdir()
    tmp.write_text("in the way")
    try:
        r = await alice.client.get("/api/health")
    finally:
        tmp.unlink()
    assert r.status_code == 503
    assert "STORAGE_DIR" in r.json()["checks"]["store"]
