"""End to end: code run through POST /execute in the real local sandbox produces stored, listed artifacts."""

from __future__ import annotations

from typing import Any

import httpx

CODE = """
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
fig, ax = plt.subplots()
ax.plot([1, 2, 3], [3, 1, 2])
fig.savefig("artifacts/plot.png")
plt.close(fig)
open("artifacts/table.csv", "w").write("a,b\\n1,2\\n")
"""


async def test_cell_files_become_artifacts(start_app: Any) -> None:
    running = await start_app(sandbox_exec_timeout_s=60, sandbox_memory_mb=1024)
    alice = await running.make_user()
    tid = await alice.thread()
    r = await alice.client.post(f"/api/threads/{tid}/execute", json={"code": CODE})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ok"], body
    arts = {a["filename"]: a for a in body["artifacts"]}
    assert set(arts) == {"plot.png", "table.csv"}, body["notes"]
    assert arts["plot.png"]["mime"] == "image/png" and arts["table.csv"]["mime"] == "text/csv"
    listed = (await alice.client.get(f"/api/threads/{tid}/artifacts")).json()["items"]
    assert {a["id"] for a in listed} == {a["id"] for a in arts.values()}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=running.app), base_url="http://t") as anon:
        png = await anon.get(arts["plot.png"]["url"])
        assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
        csv = await anon.get(arts["table.csv"]["url"])
        assert csv.text == "a,b\n1,2\n"
    # running the same code again: a new execution, new rows for it, the same two blobs
    again = (await alice.client.post(f"/api/threads/{tid}/execute", json={"code": CODE})).json()
    assert sorted(a["filename"] for a in again["artifacts"]) == ["plot.png", "table.csv"]
    assert {a["sha256"] for a in again["artifacts"]} == {a["sha256"] for a in arts.values()}
    assert {a["id"] for a in again["artifacts"]}.isdisjoint(a["id"] for a in arts.values())
    assert len(await running.resources.store.list("output/artifacts/")) == 2
    # a file over the cap is not kept, and the execution result says why
    capped = await start_app(artifact_max_bytes=100, sandbox_exec_timeout_s=60)
    bob = await capped.make_user()
    tid2 = await bob.thread()
    r = await bob.client.post(
        f"/api/threads/{tid2}/execute", json={"code": "open('artifacts/big.txt','w').write('x'*1000)"}
    )
    body = r.json()
    assert body["ok"] and body["artifacts"] == []
    assert any("big.txt" in n and "ARTIFACT_MAX_BYTES" in n for n in body["notes"])


async def test_download_over_real_http(live_server_factory: Any, settings_factory: Any) -> None:
    server = live_server_factory(settings_factory(sandbox_exec_timeout_s=60))
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        tid = (await http.post("/api/threads", json={"title": "live"})).json()["id"]
        code = "open('artifacts/map.html', 'w').write('<!DOCTYPE html><script>parent.x=1</script>')"
        body = (await http.post(f"/api/threads/{tid}/execute", json={"code": code})).json()
        [art] = body["artifacts"]
        r = await http.get(f"/api/artifacts/{art['id']}/download", follow_redirects=True)
        assert [h.status_code for h in r.history] == [307]
        assert r.status_code == 200 and r.text.startswith("<!DOCTYPE html>")
        assert r.headers["content-security-policy"].startswith("sandbox allow-scripts")
        assert r.headers["x-content-type-options"] == "nosniff"
    # the signed link alone is enough: a fresh client, no cookies or headers (token mode: test_api.py)
    async with httpx.AsyncClient(base_url=server.url) as anonymous:
        assert (await anonymous.get(art["url"])).status_code == 200
