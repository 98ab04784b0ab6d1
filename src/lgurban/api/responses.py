"""The error answers each route can give, for `responses=` (so /openapi.json documents every status)."""

from __future__ import annotations

from typing import Any

from fastapi import Response
from pydantic import BaseModel, Field

from lgurban.api.schemas import ErrorOut


def json_response(body: BaseModel) -> Response:
    """Serialise a response model once; FastAPI would validate it again against response_model first."""
    return Response(body.model_dump_json(), media_type="application/json")


class ValidationErrorItem(BaseModel):
    type: str
    loc: list[str | int]
    msg: str


class ValidationErrorOut(ErrorOut):
    detail: list[ValidationErrorItem] = Field(default_factory=list)  # request validation only


_DESCRIPTIONS = {
    400: "bad request (e.g. INVALID_PATH, an unknown cursor)",
    401: "UNAUTHORIZED: missing or invalid API token",
    403: "FORBIDDEN (CSRF_FAILED: a cookie-authenticated change without X-CSRF-Token)",
    404: "not found (or another user's)",
    409: "conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED)",
    410: "gone: ARTIFACT_EXPIRED (the object store no longer has the file)",
    413: "PAYLOAD_TOO_LARGE: the body is over this route's cap",
    422: "VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY",
    429: "too many requests (TOO_MANY_SIGN_INS: failed sign-ins from this address)",
    503: "a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...)",
    504: "the open-data portal timed out",
}

# what any authenticated route can answer: no token, a body over the cap, bad input, the database away
COMMON = (400, 401, 404, 413, 422, 503)


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {
        s: {"model": ValidationErrorOut if s == 422 else ErrorOut, "description": _DESCRIPTIONS[s]}
        for s in statuses
    }
