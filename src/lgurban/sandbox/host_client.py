"""SANDBOX_BACKEND=host: the sandboxes live in a separate `lgurban sandbox-host` process (host_server.py).

`HostSandboxes` has the interface of `SandboxManager`, over HTTP (httpx; a unix socket or TCP): execute
streams the cell's output live, interrupt/restart/remove act on the host's sandbox, `close` closes the
connection only (the host's sandboxes, and so every thread's variables, outlive this API process).
A host that does not answer, or refuses the secret, is 503 SANDBOX_UNAVAILABLE; every request connects
afresh when needed, so the API recovers by itself once the host is back.

Workspaces are not proxied: the API reads and writes a thread's files in WORKSPACES (DATA_DIR/workspaces),
which must be the same folder the host's sandboxes see (same DATA_DIR, or a shared mount).

Which host process runs a thread's sandbox is kept in `sandbox_sessions` (backend "host", external_id
"host=<url> instance=<id> sandbox=<pid>"), written by the replica that sees it change and read when a cell
comes back from a fresh interpreter: a host that restarted since is then said plainly to the user.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any

import httpx
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lgurban.db.models import SandboxSession, utcnow
from lgurban.errors import ConfigurationError, SandboxQuotaExceeded, SandboxUnavailable
from lgurban.observability import metrics
from lgurban.sandbox.host_wire import HEARTBEAT_S, UNAUTHORIZED, decode_execution
from lgurban.sandbox.protocol import OnOutput
from lgurban.sandbox.types import Execution, ExecutionError, StreamChunk, cell_outcome
from lgurban.sandbox.workspace import LocalWorkspace, Workspace
from lgurban.settings import Settings

log = logging.getLogger(__name__)

HOST_RESTARTED = (
    "The sandbox was restarted (the sandbox host was restarted): variables from earlier cells were lost; "
    "workspace files were kept."
)
_INSTANCE = re.compile(r"instance=(\S+)")


def _transport(url: str) -> tuple[httpx.AsyncHTTPTransport, str]:
    """The transport and base URL for `unix:///path` or `http://host:port`."""
    if url.startswith("unix:"):
        path = url.removeprefix("unix:").removeprefix("//")
        if not path.startswith("/"):
            raise ConfigurationError("SANDBOX_HOST_URL unix:///path needs an absolute socket path")
        return httpx.AsyncHTTPTransport(uds=path, retries=1), "http://sandbox-host"
    if url.startswith(("http://", "https://")):
        return httpx.AsyncHTTPTransport(retries=1), url.rstrip("/")
    raise ConfigurationError("SANDBOX_HOST_URL must be unix:///path/to/socket or http://host:port")


class HostSandboxes:
    name = "host"

    def __init__(
        self, settings: Settings, sessionmaker: async_sessionmaker[AsyncSession] | None = None
    ) -> None:
        if not settings.sandbox_host_url or settings.sandbox_host_secret is None:
            raise ConfigurationError("SANDBOX_BACKEND=host needs SANDBOX_HOST_URL and SANDBOX_HOST_SECRET")
        self.settings = settings
        self.url = settings.sandbox_host_url
        self.sessionmaker = sessionmaker
        transport, base = _transport(self.url)
        read = max(3 * HEARTBEAT_S, settings.sandbox_transport_timeout_s)
        self._http = httpx.AsyncClient(
            transport=transport,
            base_url=base,
            headers={"authorization": f"Bearer {settings.sandbox_host_secret.get_secret_value()}"},
            timeout=httpx.Timeout(read, connect=5.0),
        )
        self._live = 0
        self._recorded: dict[uuid.UUID, str] = {}  # thread → external_id last written by this replica

    async def start(self) -> None:
        """Nothing to start: the host may come up later (requests answer 503 until then)."""
        if (reason := await self.check()) != "ok" and not reason.startswith("ok"):
            log.warning("sandbox host not usable yet: %s", reason)

    async def execute(
        self,
        thread_id: uuid.UUID,
        code: str,
        *,
        timeout_s: float | None = None,
        on_output: OnOutput | None = None,
        owner: str | None = None,
        user_cap: int | None = None,
    ) -> Execution:
        """Run one cell on the host; it queues behind the thread's other cells, from any replica."""
        timeout = timeout_s if timeout_s is not None else self.settings.sandbox_exec_timeout_s
        started, outcome = time.perf_counter(), "failed"
        try:
            # the API's settings decide the user's share of the host's slots: it knows the auth mode
            cap = self.settings.sandbox_user_cap if user_cap is None else user_cap
            body = {"code": code, "timeout_s": timeout, "owner": owner, "user_cap": cap}
            result = await self._execute(thread_id, body, on_output, started)
            outcome = cell_outcome(result)
            return result
        finally:  # this replica's /metrics counts the cells it sent, as SandboxManager does for its own
            metrics.CELLS.labels(outcome).inc()
            metrics.CELL_DURATION.observe(time.perf_counter() - started)

    async def _execute(
        self, thread_id: uuid.UUID, body: dict[str, Any], on_output: OnOutput | None, started: float
    ) -> Execution:
        final: dict[str, Any] | None = None
        for attempt in range(2):
            answered = False
            try:
                async with self._http.stream("POST", f"/v1/threads/{thread_id}/execute", json=body) as resp:
                    answered = True
                    if resp.status_code != 200:
                        await resp.aread()
                        raise self._refused(resp)
                    final = await self._read_stream(resp, on_output)
                break
            except httpx.TransportError as exc:
                if answered:  # the host took the cell, then the connection broke: it may have run
                    return _connection_lost(exc, started)
                if attempt == 1 or isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
                    raise self._unreachable(exc) from exc
                # a pooled connection the host closed (it restarted, say): once more on a fresh one
        if final is None:
            return _connection_lost(None, started)
        if final.get("type") == "unavailable":
            if final.get("code") == SandboxQuotaExceeded.code:
                raise SandboxQuotaExceeded(str(final.get("message") or "over your sandbox quota"))
            raise SandboxUnavailable(str(final.get("message") or "the sandbox host could not run the cell"))
        result = decode_execution(final["execution"])
        self._live = int(final.get("live") or 0)
        await self._note_sandbox(thread_id, result, final)
        return result

    async def _read_stream(self, resp: httpx.Response, on_output: OnOutput | None) -> dict[str, Any] | None:
        """Hand output on as it comes; the last line. Read to the end, so the connection can be reused."""
        final: dict[str, Any] | None = None
        async for line in resp.aiter_lines():
            if not line.strip():
                continue
            msg = json.loads(line)
            if msg["type"] == "output":
                if on_output is not None:
                    await on_output(StreamChunk(stream=msg["stream"], text=msg["text"]))
            elif msg["type"] != "wait":
                final = dict(msg)
        return final

    async def interrupt(self, thread_id: uuid.UUID) -> None:
        await self._post(thread_id, "interrupt")

    async def restart(self, thread_id: uuid.UUID) -> None:
        await self._post(thread_id, "restart")

    def workspace(self, thread_id: uuid.UUID) -> Workspace:
        return LocalWorkspace(self.settings.workspaces_dir / str(thread_id))

    async def remove(self, thread_id: uuid.UUID) -> None:
        """Kill the thread's sandbox on the host and delete its workspace (the host does both)."""
        await self._post(thread_id, "remove")
        self._recorded.pop(thread_id, None)
        await self._write_record(thread_id, None)

    async def check(self) -> str:
        try:
            resp = await self._http.get("/v1/health")
        except httpx.TransportError as exc:
            return f"unavailable (sandbox host at {self.url} does not answer: {type(exc).__name__})"
        if resp.status_code == 401:
            return f"unavailable (sandbox host at {self.url} refused SANDBOX_HOST_SECRET)"
        if resp.status_code != 200:
            return f"unavailable (sandbox host at {self.url} answered HTTP {resp.status_code})"
        body = resp.json()
        self._live = int(body.get("live") or 0)
        check = str(body.get("check"))
        if check != "ok" and not check.startswith("ok"):
            return f"{check} (on sandbox host {self.url})"
        return f"ok (sandbox host {self.url}, instance {body.get('instance')}, {self._live} live)"

    def live_count(self) -> int:
        """Sandboxes alive on the host, as of its last answer."""
        return self._live

    async def close(self) -> None:
        """Close the connection only: the host's sandboxes (and their variables) live on."""
        await self._http.aclose()

    # --- internals
    async def _post(self, thread_id: uuid.UUID, action: str) -> None:
        for attempt in range(2):
            try:
                resp = await self._http.post(f"/v1/threads/{thread_id}/{action}")
                break
            except httpx.TransportError as exc:  # once more: a pooled connection the host closed
                if attempt == 1 or isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
                    raise self._unreachable(exc) from exc
        if resp.status_code != 200:
            raise self._refused(resp)

    def _unreachable(self, exc: Exception) -> SandboxUnavailable:
        return SandboxUnavailable(
            f"The sandbox host at {self.url} does not answer ({type(exc).__name__}): code cannot run until "
            "it is back. Try again shortly."
        )

    def _refused(self, resp: httpx.Response) -> SandboxUnavailable:
        try:
            body = resp.json()
        except ValueError:
            body = {}
        if resp.status_code == 401 or body.get("code") == UNAUTHORIZED:
            return SandboxUnavailable(
                f"The sandbox host at {self.url} refused this server: SANDBOX_HOST_SECRET does not match the "
                "host's. No code was run."
            )
        return SandboxUnavailable(
            str(body.get("message") or f"the sandbox host answered HTTP {resp.status_code}")
        )

    async def _note_sandbox(self, thread_id: uuid.UUID, result: Execution, final: dict[str, Any]) -> None:
        """Say when the host restarted since this thread's last cell; keep sandbox_sessions current."""
        instance = str(final.get("instance") or "")
        external = f"host={self.url} instance={instance} sandbox={final.get('sandbox')}"[:200]
        if result.execution_count == 1 and not any("variables" in n for n in result.notes):
            before = self._recorded.get(thread_id) or await self._read_record(thread_id)
            seen = _INSTANCE.search(before or "")
            if seen is not None and seen[1] != instance:
                result.notes.insert(0, HOST_RESTARTED)
        if self._recorded.get(thread_id) != external:
            self._recorded[thread_id] = external
            await self._write_record(thread_id, external)

    async def _read_record(self, thread_id: uuid.UUID) -> str | None:
        if self.sessionmaker is None:
            return None
        try:
            async with self.sessionmaker() as session:
                row = await session.scalar(
                    select(SandboxSession.external_id).where(SandboxSession.thread_id == thread_id)
                )
                return row
        except Exception as exc:  # advisory: a database hiccup must not fail the cell
            log.info("sandbox_sessions not read for %s: %r", thread_id, exc)
            return None

    async def _write_record(self, thread_id: uuid.UUID, external: str | None) -> None:
        if self.sessionmaker is None:
            return
        try:
            async with self.sessionmaker() as session:
                if external is None:
                    await session.execute(delete(SandboxSession).where(SandboxSession.thread_id == thread_id))
                else:
                    row = SandboxSession(
                        thread_id=thread_id,
                        backend=self.name,
                        external_id=external,
                        status="running",
                        last_used_at=utcnow(),
                    )
                    await session.merge(row)
                await session.commit()
        except Exception as exc:  # e.g. the thread was deleted meanwhile
            log.info("sandbox_sessions not updated for %s: %r", thread_id, exc)


def _connection_lost(exc: Exception | None, started: float) -> Execution:
    why = f" ({type(exc).__name__})" if exc is not None else ""
    return Execution(
        ok=False,
        error=ExecutionError(
            "SandboxCrashed",
            f"The connection to the sandbox host was lost while running this cell{why}. If the host "
            "restarted, variables were lost; files in the workspace are kept.",
            "",
        ),
        duration_ms=int((time.perf_counter() - started) * 1000),
    )
