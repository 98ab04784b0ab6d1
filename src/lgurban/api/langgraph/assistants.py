"""The one assistant this server has (the analyst), as LangGraph's assistants API shows it; and /info."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from lgurban.api.langgraph.convert import ASSISTANT_ID, GRAPH_ID, metadata_matches
from lgurban.api.langgraph.deps import LangGraphUser
from lgurban.api.langgraph.schemas import LgAssistantOut, LgAssistantSearch
from lgurban.api.responses import COMMON, errors
from lgurban.errors import AssistantNotFound

router = APIRouter(responses=errors(*COMMON))

EPOCH = "2026-01-01T00:00:00+00:00"  # the assistant is part of the code: no creation of its own


def analyst() -> LgAssistantOut:
    return LgAssistantOut(
        assistant_id=ASSISTANT_ID,
        graph_id=GRAPH_ID,
        config={},
        context={},
        metadata={"created_by": "system"},
        version=1,
        name="LG-Urban analyst",
        description="Finds, loads and analyses urban open data, running Python in a private workspace.",
        created_at=EPOCH,
        updated_at=EPOCH,
    )


def find_assistant(assistant_id: str) -> LgAssistantOut:
    """The analyst, by its assistant id or its graph id (LangGraph accepts either)."""
    if assistant_id not in (ASSISTANT_ID, GRAPH_ID):
        raise AssistantNotFound(f"assistant {assistant_id!r} not found: this server has '{ASSISTANT_ID}'")
    return analyst()


@router.get("/info")
async def info() -> dict[str, Any]:
    """What this LangGraph-compatible server is (agent-chat-ui checks it before connecting)."""
    return {"version": "lgurban", "langgraph_py_version": None, "flags": {"assistants": True, "crons": False}}


@router.post("/assistants/search", response_model=list[LgAssistantOut])
async def search_assistants(body: LgAssistantSearch, _user: LangGraphUser) -> list[LgAssistantOut]:
    """The analyst, if it matches the filters."""
    one = analyst()
    found = (
        (body.graph_id in (None, one.graph_id))
        and (body.name in (None, one.name))
        and metadata_matches(body.metadata, one.metadata)
    )
    return [one][body.offset : body.offset + body.limit] if found else []


@router.get("/assistants/{assistant_id}", response_model=LgAssistantOut)
async def get_assistant(assistant_id: str, _user: LangGraphUser) -> LgAssistantOut:
    """The analyst (404 for any other id)."""
    return find_assistant(assistant_id)
