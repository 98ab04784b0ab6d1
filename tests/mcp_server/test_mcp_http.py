"""The /mcp endpoint of a real `lgurban serve` process, driven by the official MCP client over HTTP."""

from __future__ import annotations

import hashlib

import httpx
import mcp_types as types
import pytest
from mcp import MCPError

from tests.mcp_server.conftest import Deployment, body, call

TOOLS = {
    "search_catalog",
    "describe_dataset",
    "preview_dataset",
    "load_dataset",
    "run_code",
    "list_workspace",
    "export_file",
}
FIGURE = (
    "import matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\n"
    "fig, ax = plt.subplots()\nax.plot([1, 2, 3], [total, 2, 1])\nplt.show()"
)


async def test_catalog_dataset_cells_image_and_artifact_link(deployment: Deployment) -> None:
    user = await deployment.user()
    async with deployment.http_client(user.token) as client:
        assert {t.name for t in (await client.list_tools()).tools} == TOOLS

        found = body(await call(client, "search_catalog", query="incidenti"))
        assert "incidenti-stradali-quartieri" in [i["id"] for i in found["items"]]
        described = body(await call(client, "describe_dataset", dataset_id="incidenti-stradali-quartieri"))
        assert "data" in [f["name"] for f in described["fields"]]
        assert described["time_coverage"]["field"] == "data"
        preview = body(
            await call(client, "preview_dataset", dataset_id="incidenti-stradali-quartieri", limit=3)
        )
        assert len(preview["rows"]) == 3

        loaded = await call(client, "load_dataset", dataset_id="incidenti-stradali-quartieri")
        assert not loaded.is_error, loaded
        thread_id = body(loaded)["thread_id"]
        assert body(loaded)["path"] == "datasets/incidenti-stradali-quartieri.parquet"

        first = await call(
            client,
            "run_code",
            code="import pandas as pd\n"
            "df = pd.read_parquet('datasets/incidenti-stradali-quartieri.parquet')\ntotal = len(df)",
        )
        assert not first.is_error, first
        second = await call(client, "run_code", code="total * 2")
        assert not second.is_error, second
        assert body(second)["thread_id"] == thread_id  # the same session: the same thread and variables
        rows = body(loaded)["rows"]
        assert any(isinstance(c, types.TextContent) and c.text == str(rows * 2) for c in second.content)

        drawn = await call(client, "run_code", code=FIGURE)
        assert not drawn.is_error, drawn
        images = [c for c in drawn.content if isinstance(c, types.ImageContent)]
        links = [c for c in drawn.content if isinstance(c, types.ResourceLink)]
        assert images and images[0].mime_type == "image/png"
        assert links and links[0].mime_type == "image/png"
        async with httpx.AsyncClient() as anonymous:  # a signed link works without a token
            got = await anonymous.get(str(links[0].uri))
        assert got.status_code == 200
        assert got.content.startswith(b"\x89PNG")
        stored = drawn.structured_content["artifacts"][0]
        assert str(links[0].uri) == stored["url"]
        assert hashlib.sha256(got.content).hexdigest() == stored["sha256"]

        listing = await call(client, "list_workspace")
        paths = [f["path"] for f in body(listing)["files"]]
        assert "datasets/incidenti-stradali-quartieri.parquet" in paths
        assert [a["id"] for a in body(listing)["artifacts"]] == [stored["id"]]

        resources = (await client.list_resources()).resources
        uris = {str(r.uri) for r in resources}
        assert f"lgurban://artifacts/{stored['id']}" in uris
        assert f"lgurban://threads/{thread_id}/files/datasets/incidenti-stradali-quartieri.parquet" in uris
        read = await client.read_resource(f"lgurban://artifacts/{stored['id']}")
        assert isinstance(read.contents[0], types.BlobResourceContents)

        await call(client, "run_code", code="df.head(5).to_csv('artifacts/head.csv', index=False)")
        exported = await call(client, "export_file", path="artifacts/head.csv")
        assert not exported.is_error, exported
        async with httpx.AsyncClient() as anonymous:
            csv = await anonymous.get(body(exported)["url"])
        assert csv.status_code == 200 and csv.text.count("\n") == 6

    async with deployment.api(user.token) as api:
        listed = (await api.get("/api/threads")).json()["items"]
    assert thread_id in [t["id"] for t in listed]


@pytest.mark.parametrize("header", [None, "Bearer lgu_not-a-token", "Basic abc"])
async def test_a_missing_or_wrong_token_is_refused(deployment: Deployment, header: str | None) -> None:
    headers = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
    if header:
        headers["Authorization"] = header
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}}
    async with httpx.AsyncClient() as http:
        r = await http.post(f"{deployment.server.url}/mcp", json=init, headers=headers)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "UNAUTHORIZED"
    assert r.headers["www-authenticate"].startswith("Bearer")


def _leaves(exc: BaseException) -> list[BaseException]:
    if isinstance(exc, BaseExceptionGroup):
        return [leaf for inner in exc.exceptions for leaf in _leaves(inner)]
    return [exc]


async def test_the_official_client_with_a_wrong_token_does_not_connect(deployment: Deployment) -> None:
    user = await deployment.user()
    async with deployment.http_client(user.token) as client:  # the right one does
        assert (await client.list_tools()).tools
    with pytest.raises(BaseException) as caught:  # the SDK wraps the refusal in groups
        async with deployment.http_client(user.token + "x"):
            pass
    assert any(isinstance(leaf, MCPError) for leaf in _leaves(caught.value)), caught.value
