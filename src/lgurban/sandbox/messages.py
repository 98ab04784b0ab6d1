"""What the host accepts from a driver, and the limits it enforces itself: the sandbox side is hostile.

Cell code can reach the driver's channel and write any message (issue 17), so nothing the driver says about
its own limits is trusted. Every field of a result is validated (types, ranges, no NUL byte, no lone
surrogate); a malformed reply becomes an Execution whose error is `SandboxProtocolError`, never an exception.
Sizes are capped here: rich outputs (count and total bytes), artifacts reported, error texts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from lgurban.errors import InvalidPath
from lgurban.sandbox.types import ArtifactFile, Execution, ExecutionError, Output
from lgurban.sandbox.workspace import clean_relative_path
from lgurban.settings import Settings

PROTOCOL_ERROR = "SandboxProtocolError"
MAX_ERROR_NAME = 200
MAX_ERROR_VALUE = 64 * 1024
MAX_TRACEBACK = 256 * 1024
MAX_VIOLATIONS_KEPT = 3
_INT32 = 2**31 - 1
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")
_BASE64 = re.compile(r"[A-Za-z0-9+/\s]*={0,2}\s*")
BASE64_MIMES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"})
_MIME = r"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,99}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,99}$"


@dataclass(frozen=True)
class Limits:
    """What one cell may send back (see Settings: SANDBOX_OUTPUT_LIMIT_BYTES and the block after it)."""

    stream_bytes: int = 1024 * 1024
    max_outputs: int = 100
    rich_bytes: int = 8 * 1024 * 1024
    max_files: int = 200
    message_bytes: int = 32 * 1024 * 1024

    @classmethod
    def from_settings(cls, s: Settings) -> Limits:
        return cls(
            stream_bytes=s.sandbox_output_limit_bytes,
            max_outputs=s.sandbox_max_outputs,
            rich_bytes=s.sandbox_rich_output_limit_bytes,
            max_files=s.sandbox_max_reported_files,
            message_bytes=s.sandbox_message_limit_bytes,
        )

    def request_fields(self) -> dict[str, int]:
        """Sent with every execute request so that a well-behaved driver stays within them by itself."""
        return {
            "output_limit": self.stream_bytes,
            "max_outputs": self.max_outputs,
            "rich_limit": self.rich_bytes,
            "max_files": self.max_files,
        }


def bad_text(text: str) -> bool:
    """NUL bytes and lone surrogates: no database stores them, no client decodes them."""
    return _BAD_TEXT.search(text) is not None


def utf8_size(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def _valid_text(value: str) -> str:
    if bad_text(value):
        raise ValueError("contains a NUL byte or a lone surrogate")
    return value


def _workspace_artifact(value: str) -> str:
    try:
        clean = clean_relative_path(value)
    except InvalidPath:
        raise ValueError("is not a relative path inside the workspace") from None
    if clean != value or not value.startswith("artifacts/"):
        raise ValueError("is not a path under artifacts/")
    return value


Text = Annotated[str, AfterValidator(_valid_text)]
Mime = Annotated[str, Field(pattern=_MIME)]
Count = Annotated[int, Field(ge=0, le=_INT32)]


class _Message(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")


class OutputMsg(_Message):
    mime: Mime
    data: Text
    bundle: Count = 0
    is_result: bool = False  # added after protocol v1 shipped: absent means "not the value"


class ErrorMsg(_Message):
    name: Text
    value: Text
    traceback: Text = ""


class FileMsg(_Message):
    path: Annotated[
        str, Field(max_length=1000), AfterValidator(_valid_text), AfterValidator(_workspace_artifact)
    ]
    size: Annotated[int, Field(ge=0, le=2**62)]
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    mime: Mime


class ResultMsg(_Message):
    type: Literal["result"]
    ok: bool
    outputs: list[OutputMsg] = Field(default_factory=list)
    error: ErrorMsg | None = None
    files: list[FileMsg] = Field(default_factory=list)
    cut: dict[Literal["stdout", "stderr"], Count] = Field(default_factory=dict)
    dropped_outputs: Count = 0
    duration_ms: Count = 0
    count: Count | None = None


@dataclass
class Reply:
    """A driver's reply to one request, with what the host itself collected while the request ran."""

    msg: dict[str, Any]  # as parsed from the line: untrusted, validated by to_execution
    stdout: str = ""
    stderr: str = ""
    dropped: dict[str, int] = field(default_factory=dict)  # stream bytes the host dropped past its cap
    violations: list[str] = field(default_factory=list)  # protocol errors seen while the request ran
    more_violations: int = 0  # how many more there were


def to_execution(reply: Reply, limits: Limits, host_ms: int) -> Execution:
    """The Execution a result reply describes, within the limits; a malformed one is a protocol error."""
    notes: list[str] = []
    msg = _trim_lists(reply.msg, limits, notes)
    try:
        res = ResultMsg.model_validate(msg)
    except ValidationError as exc:
        res = None
        reply.violations.insert(0, f"the sandbox sent a malformed result ({_first_error(exc)})")
    result = Execution(ok=False, duration_ms=host_ms)
    cut = res.cut if res is not None else {}
    result.stdout = _stream(reply.stdout, reply.dropped.get("stdout", 0) + cut.get("stdout", 0))
    result.stderr = _stream(reply.stderr, reply.dropped.get("stderr", 0) + cut.get("stderr", 0))
    for name in ("stdout", "stderr"):
        lost = reply.dropped.get(name, 0) + cut.get(name, 0)
        if lost:
            notes.append(
                f"{name} was cut: about {lost:,} bytes past the {limits.stream_bytes:,}-byte output limit "
                "(SANDBOX_OUTPUT_LIMIT_BYTES) were dropped."
            )
    if res is not None:
        result.ok = res.ok
        result.duration_ms = res.duration_ms
        result.execution_count = res.count
        result.outputs = _outputs(res, limits, notes)
        result.files = [ArtifactFile(f.path, f.size, f.sha256, f.mime) for f in res.files]
        if res.error is not None:
            result.error = ExecutionError(
                _clip(res.error.name, MAX_ERROR_NAME),
                _clip(res.error.value, MAX_ERROR_VALUE),
                _clip(res.error.traceback, MAX_TRACEBACK),
            )
    if reply.violations:
        result.ok = False
        result.error = protocol_error(reply.violations, reply.more_violations, result.error)
    result.notes = notes
    return result


def protocol_error(
    violations: list[str], more: int = 0, user_error: ExecutionError | None = None
) -> ExecutionError:
    more += max(0, len(violations) - MAX_VIOLATIONS_KEPT)
    text = "; ".join(violations[:MAX_VIOLATIONS_KEPT])
    if more:
        text += f"; and {more:,} more"
    if user_error is not None:
        text += f". The cell's own error: {user_error.name}: {user_error.value[:1000]}"
    return ExecutionError(PROTOCOL_ERROR, text[:MAX_ERROR_VALUE], "")


def _trim_lists(msg: dict[str, Any], limits: Limits, notes: list[str]) -> dict[str, Any]:
    """Outputs and files past their count limits are dropped before anything else looks at them."""
    out = dict(msg)
    for key, cap, what in (
        ("outputs", limits.max_outputs, "SANDBOX_MAX_OUTPUTS"),
        ("files", limits.max_files, "SANDBOX_MAX_REPORTED_FILES"),
    ):
        items = out.get(key)
        if isinstance(items, list) and len(items) > cap:
            out[key] = items[:cap]
            noun = "outputs" if key == "outputs" else "reported artifacts"
            notes.append(
                f"{len(items) - cap:,} {noun} were dropped: only the first {cap:,} are kept ({what})."
            )
    return out


def _outputs(res: ResultMsg, limits: Limits, notes: list[str]) -> list[Output]:
    if res.dropped_outputs:
        notes.append(
            f"{res.dropped_outputs:,} outputs were dropped: only the first {limits.max_outputs:,} are kept "
            "(SANDBOX_MAX_OUTPUTS)."
        )
    budget = limits.rich_bytes
    out = []
    for o in res.outputs:
        size = utf8_size(o.data)
        if size <= budget:
            budget -= size
            wrong = _wrong_encoding(o.mime, o.data)
            if wrong:
                note = f"[{o.mime} output not kept: {wrong}]"
                out.append(Output("text/plain", note, o.bundle, o.is_result))
            else:
                out.append(Output(o.mime, o.data, o.bundle, o.is_result))
        else:
            note = f"[{o.mime} output of {size:,} bytes not kept: over the {limits.rich_bytes:,}-byte limit]"
            out.append(Output("text/plain", note, o.bundle, o.is_result))
    return out


def _wrong_encoding(mime: str, data: str) -> str | None:
    """Binary types must be base64 and JSON types JSON (the web app decodes both): what is wrong, if any."""
    if mime in BASE64_MIMES and not _BASE64.fullmatch(data):
        return "its data is not base64"
    if mime == "application/json" or mime.endswith("+json"):
        try:
            json.loads(data)
        except ValueError:
            return "its data is not JSON"
    return None


def _stream(text: str, lost: int) -> str:
    return f"{text}\n[… {lost:,} bytes truncated]\n" if lost else text


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}\n[… {len(text) - limit:,} characters truncated]"


def _first_error(exc: ValidationError) -> str:
    errors = exc.errors(include_input=False, include_url=False)
    first = errors[0]
    where = ".".join(str(p) for p in first["loc"]) or "the message"
    more = f", and {len(errors) - 1} more" if len(errors) > 1 else ""
    return f"{where}: {first['msg']}{more}"[:500]
