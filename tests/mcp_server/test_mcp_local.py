"""AUTH_MODE=local: /mcp needs no token (as the API), and so answers only loopback names and pages."""

from __future__ import annotations

import httpx

from tests.conftest import LiveServer

INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-11-25",
        "capabilities": {},
        "clientInfo": {"name": "test", "version": "0"},
    },
}
HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


async def test_local_mode_serves_loopback_and_refuses_a_rebound_name(live_server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=live_server.url, timeout=30) as http:
        ok = await http.post("/mcp", json=INIT, headers=HEADERS)
        rebound = await http.post("/mcp", json=INIT, headers={**HEADERS, "Host": "evil.example"})
        foreign_page = await http.post(
            "/mcp", json=INIT, headers={**HEADERS, "Origin": "https://evil.example"}
        )
    assert ok.status_code == 200, ok.text
    assert "lgurban" in ok.text  # the initialize result names the server
    assert rebound.status_code == 421
    assert foreign_page.status_code == 403
