"""The program that runs inside every sandbox (local or Modal): one Python namespace, notebook-style cells.

Standard library at its core; uses pandas/matplotlib when they are importable. It speaks protocol version 1:
JSON lines with request ids over the channel it was started on (stdin/stdout by default). Host → driver:
  {"v": 1, "id": "r1", "type": "execute", "code": "...", "output_limit": 1048576, "max_outputs": 100,
   "rich_limit": 8388608, "max_files": 200}      (the limits are optional; the host enforces them anyway)
  {"v": 1, "id": "r2", "type": "interrupt", "target": "r1"}  (raises KeyboardInterrupt in the running cell)
  {"v": 1, "id": "r3", "type": "ping"}
Driver → host:
  {"v": 1, "type": "ready", "pid": 123, "cwd": "/workspace"}     (once, at start)
  {"v": 1, "id": "r1", "type": "stream", "name": "stdout"|"stderr", "text": "..."}
  {"v": 1, "id": "r1", "type": "result", "ok": bool, "outputs": [...], "error": {...}|null, "files": [...],
   "cut": {"stdout": n, "stderr": n}, "dropped_outputs": n, "duration_ms": n, "count": n}
    each output is {"mime": ..., "data": ..., "bundle": n} (outputs sharing `bundle` are one value in several
    MIME types); the cell's value (its last expression) also has "is_result": true — figures do not.
    `count` is the cell counter of this interpreter (In [n]); "is_result" was added later, so a host reading
    an older driver treats a missing "is_result" as false.
  {"v": 1, "id": "r3", "type": "pong"}
  {"v": 1, "id": "…", "type": "error", "message": "..."}          (a request the driver could not understand)
A backend may add, after the driver has gone, {"v": 1, "type": "exit", "reason": "..."} saying how it ended.
Lines are UTF-8 JSON; text never carries a NUL or a lone surrogate (both become U+FFFD here), and the host
rejects any message that does, is too long, or breaks the limits above (cell code can reach this channel).

The protocol channel is moved to private file descriptors at start; fd 0 reads /dev/null and fds 1/2 are pipes
the driver reads, so user code that writes to or closes stdout cannot corrupt the protocol.
"""

from __future__ import annotations

import ast
import base64
import codecs
import fcntl
import hashlib
import io
import json
import linecache
import mimetypes
import os
import re
import select
import signal
import sys
import threading
import time
import traceback
from typing import Any

PROTOCOL_VERSION = 1
ARTIFACTS_DIR = "artifacts"
MAX_REPORTED_FILES = 200
STREAM_FLUSH_S = 0.03
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Text every database and client accepts: NUL bytes and lone surrogates become U+FFFD."""
    return _BAD_TEXT.sub("\ufffd", text)


class Channel:
    """The protocol channel: one JSON object per line, written atomically under a lock."""

    def __init__(self, in_fd: int, out_fd: int) -> None:
        self.in_file = os.fdopen(in_fd, "rb", buffering=0)
        self.out_fd = out_fd
        self.lock = threading.Lock()
        self._buf = b""

    def send(self, msg: dict[str, Any]) -> None:
        msg["v"] = PROTOCOL_VERSION
        text = json.dumps(msg, separators=(",", ":"), default=str, ensure_ascii=False)
        data = (text + "\n").encode("utf-8", "backslashreplace")  # a stray surrogate stays a JSON escape
        with self.lock:
            view = memoryview(data)
            while view:
                n = os.write(self.out_fd, view)
                view = view[n:]

    def recv(self) -> dict[str, Any] | None:
        while b"\n" not in self._buf:
            chunk = self.in_file.read(65536)
            if not chunk:
                return None
            self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        try:
            msg = json.loads(line)
        except ValueError:
            return {"type": "invalid", "raw": line[:200].decode(errors="replace")}
        return msg if isinstance(msg, dict) else {"type": "invalid"}


class CellOutput:
    """stdout/stderr of the running cell: capped, batched and streamed to the host."""

    def __init__(self, channel: Channel) -> None:
        self.channel = channel
        self.lock = threading.Lock()
        self.req_id: str | None = None
        self.limit = 1 << 20
        self.used = 0
        self.cut = {"stdout": 0, "stderr": 0}
        self.pending: list[tuple[str, str]] = []

    def start(self, req_id: str, limit: int) -> None:
        with self.lock:
            self.req_id, self.limit, self.used = req_id, limit, 0
            self.cut = {"stdout": 0, "stderr": 0}
            self.pending = []

    def write(self, name: str, text: str) -> None:
        with self.lock:
            room = self.limit - self.used
            if room <= 0:
                self.cut[name] += len(text)
                return
            if len(text) > room:
                self.cut[name] += len(text) - room
                text = text[:room]
            self.used += len(text)
            text = clean_text(text)
            if self.pending and self.pending[-1][0] == name:
                self.pending[-1] = (name, self.pending[-1][1] + text)
            else:
                self.pending.append((name, text))

    def flush(self) -> None:
        with self.lock:
            pending, self.pending = self.pending, []
            req_id = self.req_id
        for name, text in pending:
            if req_id is not None:
                self.channel.send({"id": req_id, "type": "stream", "name": name, "text": text})


class StreamWriter(io.TextIOBase):
    """sys.stdout/sys.stderr during a cell: text goes straight to CellOutput (forked children use fd 1/2)."""

    def __init__(self, name: str, sink: CellOutput, owner_pid: int) -> None:
        self.name, self.sink, self.owner_pid = name, sink, owner_pid
        self.fd = 1 if name == "stdout" else 2

    def write(self, s: str) -> int:
        if self.closed:
            raise ValueError("I/O operation on closed file.")
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        if os.getpid() != self.owner_pid:
            os.write(self.fd, s.encode(errors="replace"))
        else:
            self.sink.write(self.name, s)
        return len(s)

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self.fd

    @property
    def buffer(self) -> _BinaryWriter:  # for code that writes bytes to sys.stdout.buffer
        return _BinaryWriter(self)

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"


class _BinaryWriter:
    def __init__(self, text: StreamWriter) -> None:
        self.text = text

    def write(self, data: bytes) -> int:
        self.text.write(bytes(data).decode("utf-8", errors="replace"))
        return len(data)

    def flush(self) -> None:
        return None


class FdPump:
    """Reads what user code (or its subprocesses) writes to fd 1/2 and feeds it to CellOutput."""

    def __init__(self, sink: CellOutput) -> None:
        self.sink = sink
        self.fds: dict[int, tuple[str, Any]] = {}
        self.lock = threading.Lock()
        self.install()
        threading.Thread(target=self._run, name="fd-pump", daemon=True).start()

    def install(self) -> None:
        """(Re)create the pipes behind fd 1 and 2, e.g. after user code closed them."""
        with self.lock:
            for fd, name in ((1, "stdout"), (2, "stderr")):
                if any(n == name for n, _ in self.fds.values()) and _fd_open(fd):
                    continue
                for rfd, (n, _) in list(self.fds.items()):
                    if n == name:
                        del self.fds[rfd]
                        os.close(rfd)
                r, w = (_high_fd(x) for x in os.pipe())
                os.set_blocking(r, False)
                os.dup2(w, fd)
                os.close(w)
                self.fds[r] = (name, codecs.getincrementaldecoder("utf-8")(errors="replace"))

    def drain(self) -> None:
        with self.lock:
            for rfd in list(self.fds):
                if rfd in self.fds:
                    self._read(rfd)

    def _read(self, rfd: int) -> None:
        name, decoder = self.fds[rfd]
        while True:
            try:
                data = os.read(rfd, 65536)
            except BlockingIOError:
                return
            if not data:  # every writer closed it (user code closed fd 1/2): recreated before the next cell
                del self.fds[rfd]
                os.close(rfd)
                return
            self.sink.write(name, decoder.decode(data))

    def _run(self) -> None:
        while True:
            with self.lock:
                fds = list(self.fds)
            try:
                ready, _, _ = select.select(fds, [], [], STREAM_FLUSH_S)
            except (OSError, ValueError):
                ready = []
            if ready:
                with self.lock:
                    for rfd in ready:
                        if rfd in self.fds:
                            self._read(rfd)
            self.sink.flush()


def _high_fd(fd: int) -> int:
    """Move a new descriptor above 2 so it never lands on a stdio slot user code closed."""
    if fd > 2:
        return fd
    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high


def _fd_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


class Driver:
    def __init__(self, channel: Channel, workdir: str) -> None:
        self.channel = channel
        self.workdir = workdir
        self.pid = os.getpid()
        self.ns: dict[str, Any] = {"__name__": "__main__", "__builtins__": __builtins__}
        self.count = 0
        self.out = CellOutput(channel)
        self.pump = FdPump(self.out)
        self.running: str | None = None
        self.main_thread = threading.get_ident()
        self.queue: list[dict[str, Any]] = []
        self.cond = threading.Condition()
        self.snapshot = scan_artifacts(workdir)

    # --- request loop: a reader thread answers pings/interrupts at once and queues cells for the main thread
    def read_loop(self) -> None:
        while True:
            msg = self.channel.recv()
            if msg is None:
                os._exit(0)
            kind, req_id = msg.get("type"), msg.get("id")
            if msg.get("v") != PROTOCOL_VERSION and kind != "invalid":
                self.channel.send(
                    {"id": req_id, "type": "error", "message": f"protocol version must be {PROTOCOL_VERSION}"}
                )
            elif kind == "ping":
                self.channel.send({"id": req_id, "type": "pong", "busy": self.running is not None})
            elif kind == "interrupt":
                if self.running is not None and msg.get("target") in (None, self.running):
                    signal.pthread_kill(self.main_thread, signal.SIGINT)
            elif kind == "execute" and isinstance(msg.get("code"), str):
                with self.cond:
                    self.queue.append(msg)
                    self.cond.notify()
            else:
                self.channel.send({"id": req_id, "type": "error", "message": f"unknown request {kind!r}"})

    def _on_sigint(self, signum: int, frame: Any) -> None:
        # an interrupt that lands after the cell finished is dropped, never raised into the driver loop
        if self.running is not None:
            raise KeyboardInterrupt

    def serve(self) -> None:
        signal.signal(signal.SIGINT, self._on_sigint)
        threading.Thread(target=self.read_loop, name="protocol-reader", daemon=True).start()
        self.channel.send({"type": "ready", "pid": os.getpid(), "cwd": os.getcwd()})
        while True:
            with self.cond:
                while not self.queue:
                    self.cond.wait()
                msg = self.queue.pop(0)
            self.run_cell(msg)

    # --- one cell
    def run_cell(self, msg: dict[str, Any]) -> None:
        req_id = str(msg.get("id"))
        self.count += 1
        self.out.start(req_id, _limit(msg, "output_limit", 1 << 20))
        self.pump.install()
        saved = sys.stdout, sys.stderr, sys.stdin
        sys.stdout = StreamWriter("stdout", self.out, self.pid)
        sys.stderr = StreamWriter("stderr", self.out, self.pid)
        sys.stdin = io.StringIO("")
        started = time.perf_counter()
        outputs: list[dict[str, Any]] = []
        error = None
        self.running = req_id
        try:
            try:
                value = self.execute(msg["code"])
                if value is not None:
                    outputs.extend(mime_bundle(value, len(outputs), is_result=True))
            finally:
                self.running = None
        except BaseException as exc:
            if os.getpid() != self.pid:  # a process the cell forked must never return into the driver loop
                os._exit(1)
            error = format_error(exc)
        if os.getpid() != self.pid:
            os._exit(0)
        sys.stdout, sys.stderr, sys.stdin = saved
        try:
            outputs.extend(capture_figures(self.count, len(outputs)))
        except Exception as exc:  # a broken figure must not lose the cell's result
            self.out.write("stderr", f"[could not render a figure: {exc!r}]\n")
        outputs, dropped = cap_outputs(
            outputs, _limit(msg, "max_outputs", 100), _limit(msg, "rich_limit", 8 << 20)
        )
        files, self.snapshot = changed_artifacts(
            self.workdir, self.snapshot, _limit(msg, "max_files", MAX_REPORTED_FILES)
        )
        self.pump.drain()
        self.out.flush()
        self.channel.send(
            {
                "id": req_id,
                "type": "result",
                "ok": error is None,
                "outputs": outputs,
                "error": error,
                "files": files,
                "cut": dict(self.out.cut),
                "dropped_outputs": dropped,
                "duration_ms": int((time.perf_counter() - started) * 1000),
                "count": self.count,
            }
        )

    def execute(self, code: str) -> Any:
        filename = f"<cell-{self.count}>"
        linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
        tree = ast.parse(code, filename, "exec")
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body[-1].value)
            tree.body.pop()
        if tree.body:
            exec(compile(tree, filename, "exec"), self.ns)
        if last is not None:
            return eval(compile(last, filename, "eval"), self.ns)
        return None


def _limit(msg: dict[str, Any], key: str, default: int) -> int:
    value = msg.get(key)
    return value if isinstance(value, int) and value > 0 else default


def cap_outputs(outputs: list[dict[str, Any]], count: int, size: int) -> tuple[list[dict[str, Any]], int]:
    """At most `count` outputs of at most `size` characters together; larger ones become a short note."""
    kept = []
    for item in outputs[:count]:
        n = len(item["data"])
        if n <= size:
            size -= n
            kept.append({**item, "data": clean_text(item["data"])})
        else:
            note = f"[{item['mime']} output of {n:,} characters not kept: over the output size limit]"
            kept.append({**item, "mime": "text/plain", "data": note})
    return kept, max(0, len(outputs) - count)


def mime_bundle(value: Any, bundle: int, *, is_result: bool = False) -> list[dict[str, Any]]:
    """Notebook-style display of a value: richest representation first, text/plain last."""
    out: list[dict[str, Any]] = []
    fig_mod = sys.modules.get("matplotlib.figure")
    if fig_mod is not None and isinstance(value, fig_mod.Figure):
        out.append({"mime": "image/png", "data": _figure_png(value), "bundle": bundle})
        _close_figure(value)
    for method, mime in (
        ("_repr_html_", "text/html"),
        ("_repr_svg_", "image/svg+xml"),
        ("_repr_png_", "image/png"),
        ("_repr_markdown_", "text/markdown"),
    ):
        fn = getattr(value, method, None)
        if fn is None or isinstance(value, type):
            continue
        try:
            data = fn()
        except Exception:
            continue
        if data is None:
            continue
        if isinstance(data, bytes):
            data = base64.b64encode(data).decode()
        out.append({"mime": mime, "data": str(data), "bundle": bundle})
    out.append({"mime": "text/plain", "data": _safe_repr(value), "bundle": bundle})
    if is_result:  # an optional key (added after protocol v1 shipped): absent means "not the value"
        for item in out:
            item["is_result"] = True
    return out


def _safe_repr(value: Any) -> str:
    try:
        return repr(value)
    except Exception as exc:
        return f"<repr failed: {exc!r}>"


def _figure_png(fig: Any) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode()


def _close_figure(fig: Any) -> None:
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close(fig)


def capture_figures(count: int, bundle: int) -> list[dict[str, Any]]:
    """Figures the cell left open: shown as image/png, saved under artifacts/, then closed (like inline)."""
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is None or not plt.get_fignums():
        return []
    out = []
    for i, num in enumerate(plt.get_fignums()):
        fig = plt.figure(num)
        data = _figure_png(fig)
        os.makedirs(ARTIFACTS_DIR, exist_ok=True)
        name = f"figure-{count}" + (f"-{i + 1}" if i else "") + ".png"
        with open(os.path.join(ARTIFACTS_DIR, name), "wb") as f:
            f.write(base64.b64decode(data))
        out.append({"mime": "image/png", "data": data, "bundle": bundle + i})
    plt.close("all")
    return out


def format_error(exc: BaseException) -> dict[str, str]:
    """{name, value, traceback}, the traceback starting at the user's code (driver frames dropped)."""
    te = traceback.TracebackException.from_exception(exc)
    frames = list(te.stack)
    while frames and not frames[0].filename.startswith("<cell-"):
        frames.pop(0)
    frames = [f for f in frames if f.filename != __file__]
    te.stack = traceback.StackSummary.from_list(frames)
    text = "".join(te.format())
    if not frames:
        text = "".join(te.format_exception_only())
    return {
        "name": clean_text(type(exc).__name__),
        "value": clean_text(_safe_str(exc)),
        "traceback": clean_text(text),
    }


def _safe_str(exc: BaseException) -> str:
    try:
        return str(exc)
    except Exception:
        return f"<str() of {type(exc).__name__} failed>"


def scan_artifacts(workdir: str) -> dict[str, tuple[int, int]]:
    """path → (size, mtime_ns) for regular files under artifacts/ (symlinks are never followed)."""
    found: dict[str, tuple[int, int]] = {}
    stack = [os.path.join(workdir, ARTIFACTS_DIR)]
    while stack and len(found) < 10_000:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
            elif entry.is_file(follow_symlinks=False):
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                rel = os.path.relpath(entry.path, workdir).replace(os.sep, "/")
                if not _BAD_TEXT.search(rel):  # a name that is not valid text cannot be reported
                    found[rel] = (st.st_size, st.st_mtime_ns)
    return found


def changed_artifacts(
    workdir: str, before: dict[str, tuple[int, int]], limit: int = MAX_REPORTED_FILES
) -> tuple[list[dict[str, Any]], dict[str, tuple[int, int]]]:
    now = scan_artifacts(workdir)
    files = []
    for rel in sorted(p for p, sig in now.items() if before.get(p) != sig)[:limit]:
        digest = hashlib.sha256()
        try:
            with open(os.path.join(workdir, rel), "rb") as f:
                while chunk := f.read(1 << 20):
                    digest.update(chunk)
        except OSError:
            continue
        mime = mimetypes.guess_type(rel)[0] or "application/octet-stream"
        files.append({"path": rel, "size": now[rel][0], "sha256": digest.hexdigest(), "mime": mime})
    return files, now


def preload() -> None:
    """Import the data libraries once (the local backend's zygote calls this before forking)."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    for name in ("numpy", "pandas", "pyarrow", "matplotlib", "shapely", "geopandas", "folium"):
        try:
            __import__(name)
        except Exception:
            continue
    configure_matplotlib()


def configure_matplotlib() -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except Exception:
        return
    plt.show = lambda *args, **kwargs: None  # figures are captured after the cell, like an inline backend


def serve(in_fd: int = 0, out_fd: int = 1, workdir: str | None = None) -> None:
    """Run the driver on (in_fd, out_fd); never returns."""
    proto_in, proto_out = os.dup(in_fd), os.dup(out_fd)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    if in_fd > 2:
        os.close(in_fd)
    if out_fd > 2 and out_fd != in_fd:
        os.close(out_fd)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the file-size limit fail with EFBIG instead
    if workdir:
        os.chdir(workdir)
    sys.path.insert(0, os.getcwd())
    configure_matplotlib()
    driver = Driver(Channel(proto_in, proto_out), os.getcwd())
    driver.serve()


if __name__ == "__main__":
    serve(workdir=sys.argv[1] if len(sys.argv) > 1 else None)
