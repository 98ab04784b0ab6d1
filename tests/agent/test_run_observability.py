"""A chat run (issue 12): /metrics shows its counters moving, and its log lines carry its run_id."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from tests.agent.conftest import ChatApp, send
from tests.ops.test_metrics import scrape, value

from lgurban.observability.logs import JsonFormatter


@pytest.fixture
def json_lines() -> Iterator[list[dict[str, object]]]:
    """Every record logged under `lgurban` while the test runs, formatted as the JSON log line."""
    lines: list[dict[str, object]] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(json.loads(JsonFormatter().format(record)))

    handler, logger = Keep(level=logging.INFO), logging.getLogger("lgurban")
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield lines
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


async def test_chat_run_moves_run_counters_and_its_lines_carry_run_id(
    chat: ChatApp, json_lines: list[dict[str, object]]
) -> None:
    before = await scrape(chat.client)
    code = "print(6 * 7)"
    chat.fake.script(
        {"content": "Computing.", "tool_calls": [{"name": "execute_code", "args": {"code": code}}]},
        {"content": "It is 42."},
    )
    tid = await chat.thread()
    events = await send(chat.client, tid, "What is six times seven?")
    run_id = next(d["run_id"] for e, d in events if e == "run_started")
    after = await scrape(chat.client)
    assert (
        value(after, "lgurban_runs_total", status="done")
        == value(before, "lgurban_runs_total", status="done") + 1
    )
    assert value(after, "lgurban_runs_active") == 0
    assert (
        value(after, "lgurban_sandbox_cells_total", outcome="ok")
        == value(before, "lgurban_sandbox_cells_total", outcome="ok") + 1
    )
    assert value(after, "http_requests_total", route="/api/threads/{thread_id}/messages", method="POST") >= 1
    assert (
        value(after, "lgurban_tool_calls_total", tool="execute_code", outcome="ok")
        == value(before, "lgurban_tool_calls_total", tool="execute_code", outcome="ok") + 1
    )
    assert value(after, "lgurban_db_pool_in_use") >= 0  # read from the engine's pool at the scrape
    ended = [ln for ln in json_lines if ln["message"] == f"run {run_id} done"]
    assert ended, json_lines
    assert ended[0]["run_id"] == run_id and ended[0]["thread_id"] == tid and ended[0].get("request_id")
    # a line logged outside any run carries no run_id
    logging.getLogger("lgurban.test").info("outside")
    assert "run_id" not in json_lines[-1]
