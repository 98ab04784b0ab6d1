"""LOG_FORMAT=json: one JSON object per line, with the request_id / thread_id of the context it was logged in.

The ids live in contextvars set by `RequestContext` (the middleware); asyncio tasks started while handling
a request (a chat run) inherit a copy, so their lines carry the same ids.
"""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
thread_id_var: ContextVar[str | None] = ContextVar("thread_id", default=None)
run_id_var: ContextVar[str | None] = ContextVar("run_id", default=None)

_CONTEXT = (("request_id", request_id_var), ("thread_id", thread_id_var), ("run_id", run_id_var))
_HANDLER_MARK = "_lgurban_json"
# the servers' own loggers: their lines go through the root handler (JSON) instead of their text handlers
SERVER_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")


class JsonFormatter(logging.Formatter):
    """{"ts", "level", "logger", "message", request_id?, thread_id?, run_id?, exc?} on one line."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, var in _CONTEXT:
            value = getattr(record, key, None) or var.get()
            if value:
                out[key] = value
        for key in ("method", "path", "status", "duration_ms"):
            if hasattr(record, key):
                out[key] = getattr(record, key)
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def configure_json_logging(level: str) -> None:
    """Root logs as JSON lines on stderr; the server's access log is replaced by `lgurban.access`."""
    root = logging.getLogger()
    if not any(getattr(h, _HANDLER_MARK, False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        setattr(handler, _HANDLER_MARK, True)
        root.handlers = [handler]
    root.setLevel(level.upper())
    for name in SERVER_LOGGERS:
        server_logger = logging.getLogger(name)
        server_logger.handlers = []
        server_logger.propagate = name != "uvicorn.access"  # lgurban.access has the request_id
