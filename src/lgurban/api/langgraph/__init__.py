"""LangGraph-API-compatible endpoints under /langgraph, for the LangGraph SDKs and agent-chat-ui.

The subset those clients use, mapped onto LG-Urban's own threads and runs (not a second agent runtime):
a thread started here is in GET /api/threads and the web app, and the other way round. Same auth
(Bearer token, or the same token as X-Api-Key), same per-user ownership (another user's thread is 404),
same quotas, same error shape. What is not implemented is listed in the README
("Connect with the LangGraph SDK").
"""

from __future__ import annotations

from fastapi import APIRouter

from lgurban.api.langgraph import assistants, runs, threads

PREFIX = "/langgraph"

router = APIRouter(prefix=PREFIX, tags=["langgraph"])
router.include_router(assistants.router)
router.include_router(threads.router)
router.include_router(runs.router)
