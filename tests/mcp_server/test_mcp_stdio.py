"""`lgurban mcp` spawned by the official MCP client over stdio, next to a real server (which serves the
signed links: PUBLIC_BASE_URL), on the same database and DATA_DIR."""

from __future__ import annotations

import base64
import subprocess

import httpx
import mcp_types as types

from tests.mcp_server.conftest import LGURBAN, Deployment, body, call
from tests.mcp_server.test_mcp_http import FIGURE, TOOLS


async def test_stdio_session_catalog_cells_image_and_link(deployment: Deployment) -> None:
    user = await deployment.user()
    async with deployment.stdio_client(user.token) as client:
        assert {t.name for t in (await client.list_tools()).tools} == TOOLS
        found = body(await call(client, "search_catalog", query="autobus"))
        assert [i["id"] for i in found["items"]] == ["fermate-autobus"]
        loaded = await call(client, "load_dataset", dataset_id="fermate-autobus")
        assert not loaded.is_error, loaded
        thread_id = body(loaded)["thread_id"]
        first = await call(
            client,
            "run_code",
            code="import geopandas as gpd\n"
            "stops = gpd.read_parquet('datasets/fermate-autobus.parquet')\ntotal = len(stops)",
        )
        assert not first.is_error, first
        second = await call(client, "run_code", code="total + 1")
        assert any(
            isinstance(c, types.TextContent) and c.text == str(body(loaded)["rows"] + 1)
            for c in second.content
        ), second
        drawn = await call(client, "run_code", code=FIGURE)
        assert any(isinstance(c, types.ImageContent) for c in drawn.content)
        link = next(c for c in drawn.content if isinstance(c, types.ResourceLink))
        assert str(link.uri).startswith(deployment.server.url + "/blobs/")
        async with httpx.AsyncClient() as anonymous:
            got = await anonymous.get(str(link.uri))
        assert got.status_code == 200 and got.content.startswith(b"\x89PNG")
        uris = {str(r.uri) for r in (await client.list_resources()).resources}
        dataset_uri = f"lgurban://threads/{thread_id}/files/datasets/fermate-autobus.parquet"
        assert dataset_uri in uris
        read = await client.read_resource(dataset_uri)
        parquet = read.contents[0]
        assert isinstance(parquet, types.BlobResourceContents)
        assert base64.b64decode(parquet.blob)[:4] == b"PAR1"
    async with deployment.api(user.token) as api:
        listed = (await api.get("/api/threads")).json()["items"]
    assert thread_id in [t["id"] for t in listed]


async def test_stdio_works_in_a_named_thread_of_the_user(deployment: Deployment) -> None:
    user = await deployment.user()
    async with deployment.api(user.token) as api:
        thread = (await api.post("/api/threads", json={"title": "mine"})).json()
        ran = await api.post(f"/api/threads/{thread['id']}/execute", json={"code": "named = 'here'"})
        assert ran.json()["ok"]
    async with deployment.stdio_client(user.token, LGURBAN_THREAD_ID=thread["id"]) as client:
        files = await call(client, "list_workspace")
        assert body(files)["thread_id"] == thread["id"]
        # variables live in the process that ran the cell (this is another one): files are shared, the
        # thread is the same
        wrote = await call(client, "run_code", code="open('note.txt', 'w').write('x')")
        assert body(wrote)["thread_id"] == thread["id"]
    async with deployment.api(user.token) as api:
        listed = (await api.get(f"/api/threads/{thread['id']}/files")).json()["items"]
    assert "note.txt" in [f["path"] for f in listed]


def _run_mcp(deployment: Deployment, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LGURBAN, "mcp"],
        env={**deployment.env, **env},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_stdio_refuses_without_a_token(deployment: Deployment) -> None:
    done = _run_mcp(deployment)
    assert done.returncode == 2
    assert "LGURBAN_TOKEN is not set" in done.stderr
    assert done.stdout == ""  # nothing but MCP ever goes to stdout


def test_stdio_refuses_a_wrong_token(deployment: Deployment) -> None:
    done = _run_mcp(deployment, LGURBAN_TOKEN="lgu_not-a-token")
    assert done.returncode == 1
    assert "invalid or missing API token (UNAUTHORIZED)" in done.stderr
    assert "lgu_not-a-token" not in done.stderr  # the token itself is never echoed
    assert done.stdout == ""


async def test_stdio_refuses_a_thread_of_another_user(deployment: Deployment) -> None:
    owner, other = await deployment.user(), await deployment.user()
    async with deployment.api(owner.token) as api:
        thread = (await api.post("/api/threads", json={})).json()
    done = _run_mcp(deployment, LGURBAN_TOKEN=other.token, LGURBAN_THREAD_ID=thread["id"])
    assert done.returncode == 1
    assert "THREAD_NOT_FOUND" in done.stderr
