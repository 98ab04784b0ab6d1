"""The one place where domain errors become HTTP responses."""

from __future__ import annotations

import errno
import logging

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from lgurban.db.session import is_connection_failure
from lgurban.db.text import clean_json
from lgurban.errors import AppError

log = logging.getLogger(__name__)
_TEXT_ERRORS = {"invalid_text", "string_unicode"}  # NUL / a lone surrogate (strict str refuses the latter)


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


_is_connection_failure = is_connection_failure  # the name tests/api/test_database_down.py uses


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(_: Request, exc: AppError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return error_response(exc.status, exc.code, exc.message, headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        # the input is not echoed: it may be what cannot be written (NaN, a lone surrogate, 1 MB of text)
        errors = [{k: e[k] for k in ("type", "loc", "msg") if k in e} for e in exc.errors()]
        errors = clean_json(jsonable_encoder(errors))
        first = errors[0] if errors else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        message = f"{where}: {first.get('msg', 'invalid request')}" if where else "invalid request"
        code = "INVALID_TEXT" if first.get("type") in _TEXT_ERRORS else "VALIDATION_ERROR"
        return JSONResponse({"error": {"code": code, "message": message}, "detail": errors}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 413: "PAYLOAD_TOO_LARGE"}
        headers = dict(exc.headers or {})  # a 405 keeps its Allow
        if exc.status_code == 413:
            headers["Connection"] = "close"  # the rest of the body is not read
        return error_response(
            exc.status_code, codes.get(exc.status_code, "HTTP_ERROR"), str(exc.detail), headers or None
        )

    async def _database_error(_: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG:
            return error_response(400, "INVALID_PATH", "a path component is longer than 255 bytes")
        if _is_connection_failure(exc):
            log.warning("database unavailable: %s", type(exc).__name__)
            return error_response(
                503, "DATABASE_UNAVAILABLE", "The database is not answering; retry shortly."
            )
        log.exception("database error")
        return error_response(500, "INTERNAL_ERROR", "Internal server error")

    for exc_type in (DBAPIError, PoolTimeout, DisconnectionError, ConnectionError, TimeoutError, OSError):
        app.add_exception_handler(exc_type, _database_error)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return error_response(500, "INTERNAL_ERROR", "Internal server error")
