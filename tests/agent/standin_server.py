"""The real app in its own process with the stand-in graph and a SQLite checkpointer, for kill -9 tests.

python -m tests.agent.standin_server PORT FAKE_MODEL_URL CHECKPOINT_FILE   (settings from the environment)
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from tests.agent.conftest import standin_graph

from lgurban.app import create_app
from lgurban.settings import Settings


class _Fake:
    def __init__(self, url: str) -> None:
        self.url = url


def main() -> None:
    port, fake_url, checkpoints = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    app = create_app(Settings())
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[None]:
        async with AsyncSqliteSaver.from_conn_string(checkpoints) as saver, inner(application):
            manager = application.state.resources.agent
            manager.checkpointer = saver
            manager.graph_factory = standin_graph(_Fake(fake_url), saver)  # type: ignore[arg-type]
            yield

    app.router.lifespan_context = lifespan
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
