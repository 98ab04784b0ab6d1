"""GET /api/me/usage (issue 13): the caller's limits, each with what they used of it where that is counted."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from lgurban.api.deps import CurrentUser, SessionDep, SettingsDep
from lgurban.api.responses import errors
from lgurban.db.quotas import LIMITS, limits_of, runs_usage

router = APIRouter(tags=["auth"])


class LimitOut(BaseModel):
    name: str
    description: str
    limit: int | None = Field(description="None: no limit")
    used: int | None = Field(
        description="None: not counted here (sandboxes are counted by the sandbox manager)"
    )
    resets_at: datetime | None = Field(
        description="When one more is possible again, for a limit that is reached"
    )


class UsageOut(BaseModel):
    limits: list[LimitOut]


@router.get("/api/me/usage", responses=errors(401, 503))
async def my_usage(user: CurrentUser, session: SessionDep, settings: SettingsDep) -> UsageOut:
    """The signed-in user's limits (their own values over the server's defaults) and their usage."""
    limits = await limits_of(session, settings, user.id)
    runs = await runs_usage(session, user.id, limits["runs_per_hour"])
    out = []
    for name, description in LIMITS.items():
        used, resets = (runs.used, runs.resets_at) if name == "runs_per_hour" else (None, None)
        out.append(
            LimitOut(
                name=name, description=description, limit=limits[name] or None, used=used, resets_at=resets
            )
        )
    return UsageOut(limits=out)
