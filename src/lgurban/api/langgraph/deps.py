"""The caller and their thread on /langgraph: the API's own auth, plus `X-Api-Key` for LangGraph clients.

agent-chat-ui and the LangGraph SDKs send their key as `X-Api-Key`; here it carries an LG-Urban API token,
the same one `Authorization: Bearer` takes (which wins when both are sent).
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request

from lgurban import threads
from lgurban.api.deps import ResourcesDep, SessionDep, current_user
from lgurban.auth import authenticate_token
from lgurban.db.models import Thread, User


async def langgraph_user(request: Request, resources: ResourcesDep, session: SessionDep) -> User:
    key = request.headers.get("x-api-key", "").strip()
    if key and not request.headers.get("authorization") and resources.settings.auth_mode != "local":
        return await authenticate_token(session=session, token=key)
    return await current_user(request, resources, session)


LangGraphUser = Annotated[User, Depends(langgraph_user)]


async def owned_thread(thread_id: uuid.UUID, user: LangGraphUser, session: SessionDep) -> Thread:
    """The path's thread if the caller owns it: another user's is as missing as an unknown one (404)."""
    return await threads.get_thread(session=session, owner=user, thread_id=thread_id)


LangGraphThread = Annotated[Thread, Depends(owned_thread)]
