"""The program that runs inside every sandbox (local or Modal): one Python namespace, notebook-style cells.

Standard library at its core; when IPython is importable (a dependency, and in the Modal image) cells run
through IPython's InteractiveShell as in a Jupyter kernel: display() and MIME bundles, the last value as the
result (with application/json for a dict or list), `!cmd`, line and cell magics, `_`/`Out`. Without IPython
they run as plain Python with the _repr_*_ methods. It speaks protocol version 1:
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
import contextlib
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
SAVED_MARK = "_lgurban_saved_to_artifacts"  # set on a Figure saved under artifacts/ by the cell's code
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
        shell = SHELL.get("shell")
        self.count = shell.execution_count if shell is not None else self.count + 1
        DISPLAYS.start(self.count)
        self.out.start(req_id, _limit(msg, "output_limit", 1 << 20))
        self.pump.install()
        saved = sys.stdout, sys.stderr, sys.stdin
        sys.stdout = StreamWriter("stdout", self.out, self.pid)
        sys.stderr = StreamWriter("stderr", self.out, self.pid)
        sys.stdin = io.StringIO("")
        started = time.perf_counter()
        error = None
        self.running = req_id
        try:
            try:
                failure = self.execute(msg["code"], shell)
            finally:
                self.running = None
            if failure is not None:
                error = format_error(failure)
        except BaseException as exc:
            if os.getpid() != self.pid:  # a process the cell forked must never return into the driver loop
                os._exit(1)
            error = format_error(exc)
        if os.getpid() != self.pid:
            os._exit(0)
        try:
            show_figures()  # figures the cell left open are shown after it, like the inline backend
        except Exception as exc:  # a broken figure must not lose the cell's result
            self.out.write("stderr", f"[could not render a figure: {exc!r}]\n")
        sys.stdout, sys.stderr, sys.stdin = saved
        self.finish(msg, req_id, error, started)

    def finish(self, msg: dict[str, Any], req_id: str, error: dict[str, str] | None, started: float) -> None:
        outputs, dropped = cap_outputs(
            DISPLAYS.take(), _limit(msg, "max_outputs", 100), _limit(msg, "rich_limit", 8 << 20)
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

    def execute(self, code: str, shell: Any) -> BaseException | None:
        """Run one cell; the error it ended with, if any (IPython reports it instead of raising)."""
        if shell is not None:
            res = shell.run_cell(code, store_history=True)
            return res.error_before_exec or res.error_in_exec
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
            value = eval(compile(last, filename, "eval"), self.ns)
            if value is not None:
                DISPLAYS.add(plain_bundle(value), is_result=True)
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


# --- rich outputs: what display() and the cell's value show, as notebook MIME bundles
TEXT_LAST = "text/plain"
SHELL: dict[str, Any] = {}  # "shell": the IPython InteractiveShell cells run in, when IPython is installed


class Displays:
    """The rich outputs of the running cell in the order shown: display() calls, figures, the cell's value.

    Each bundle is flattened into {"mime", "data", "bundle"} items, the richest type first and text/plain
    last; binary data is base64 text and JSON types are JSON text (protocol v1 carries strings only)."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self.bundles = 0
        self.count = 0
        self.figures = 0  # figures shown in this cell (their artifact names)
        self.maps = 0  # maps shown in this cell (their artifact names)
        self.ids: dict[str, int] = {}  # display_id → bundle, for update_display

    def start(self, count: int) -> None:
        self.items, self.bundles, self.count, self.figures, self.ids = [], 0, count, 0, {}
        self.maps = 0

    def take(self) -> list[dict[str, Any]]:
        items, self.items = self.items, []
        return items

    def add(self, data: dict[str, Any], *, is_result: bool = False, display_id: Any = None) -> None:
        bundle = self.bundles
        self.bundles += 1
        if isinstance(display_id, str):
            self.ids[display_id] = bundle
        self.items.extend(_flatten(data, bundle, is_result))

    def update(self, data: dict[str, Any], display_id: Any) -> None:
        """update_display(): the bundle shown with this id in this cell is replaced where it stands."""
        bundle = self.ids.get(display_id) if isinstance(display_id, str) else None
        if bundle is None:  # shown by an earlier cell: that output is already recorded, show the new one
            self.add(data, display_id=display_id)
            return
        at = next(i for i, item in enumerate(self.items) if item["bundle"] == bundle)
        self.items = [item for item in self.items if item["bundle"] != bundle]
        self.items[at:at] = _flatten(data, bundle, False)

    def clear(self) -> None:
        """clear_output(): what this cell displayed so far goes (its streams were already sent)."""
        self.items, self.ids = [], {}


DISPLAYS = Displays()


def _flatten(data: dict[str, Any], bundle: int, is_result: bool) -> list[dict[str, Any]]:
    out = []
    for mime in sorted(data, key=lambda m: m == TEXT_LAST):
        if not isinstance(mime, str):
            continue
        item: dict[str, Any] = {"mime": mime, "data": _as_text(mime, data[mime]), "bundle": bundle}
        if is_result:  # an optional key (added after protocol v1 shipped): absent means "not the value"
            item["is_result"] = True
        out.append(item)
    return out


def _as_text(mime: str, value: Any) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, str):
        return value
    if mime == "application/json" or mime.endswith("+json") or isinstance(value, dict | list):
        try:
            return json.dumps(value, default=str, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError):
            return json.dumps(_safe_repr(value))
    return _safe_repr(value)


def plain_bundle(value: Any) -> dict[str, Any]:
    """The cell's value without IPython: the _repr_*_ methods a notebook asks for, then text/plain."""
    if is_map(value):
        return {TEXT_LAST: save_map(value)}
    data: dict[str, Any] = {}
    fig_mod = sys.modules.get("matplotlib.figure")
    if fig_mod is not None and isinstance(value, fig_mod.Figure):
        data["image/png"] = _figure_png(value)
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
            found = fn()
        except Exception:
            continue
        if found is not None:
            data[mime] = found
    data[TEXT_LAST] = _safe_repr(value)
    return data


def _safe_repr(value: Any) -> str:
    try:
        return repr(value)
    except Exception as exc:
        return f"<repr failed: {exc!r}>"


def _figure_png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()


def _close_figure(fig: Any) -> None:
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close(fig)


def _figure_as_value(fig: Any) -> bytes:
    """image/png of a Figure shown as a value or with display(); closed so it is not shown again."""
    data = _figure_png(fig)
    _close_figure(fig)
    return data


def show_figures(*args: Any, **kwargs: Any) -> None:
    """plt.show() and the end of every cell: each open figure is shown (image/png and its text/plain, like
    the inline backend), saved under artifacts/ (figure-<n>.png, figure-<n>-2.png…), then closed. A figure the
    code already saved under artifacts/ with savefig is that artifact: it is not shown or saved twice."""
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is None or not plt.get_fignums():
        return
    for num in plt.get_fignums():
        fig = plt.figure(num)
        if getattr(fig, SAVED_MARK, False):
            continue
        data = _figure_png(fig)
        os.makedirs(ARTIFACTS_DIR, exist_ok=True)
        DISPLAYS.figures += 1
        n = DISPLAYS.figures
        name = f"figure-{DISPLAYS.count}" + (f"-{n}" if n > 1 else "") + ".png"
        with open(os.path.join(ARTIFACTS_DIR, name), "wb") as f:
            f.write(data)
        DISPLAYS.add({"image/png": data, TEXT_LAST: _safe_repr(fig)})
    plt.close("all")


# folium/branca maps: a notebook shows them in an iframe that needs a "trusted" notebook to run scripts;
# here the whole page is saved as an HTML artifact instead (like a figure), which the app shows with scripts
# on in a sandboxed iframe. Matched by name: the driver never imports folium itself.
MAP_TYPES = {("folium.folium", "Map"), ("branca.element", "Figure")}


def is_map(value: Any) -> bool:
    return any((getattr(c, "__module__", ""), c.__name__) in MAP_TYPES for c in type(value).__mro__)


def save_map(value: Any) -> str:
    """Save the map's page as artifacts/map-<n>.html (map-<n>-2.html…); the text that stands for it."""
    html = value.get_root().render()
    os.makedirs(ARTIFACTS_DIR, exist_ok=True)
    DISPLAYS.maps += 1
    n = DISPLAYS.maps
    name = f"map-{DISPLAYS.count}" + (f"-{n}" if n > 1 else "") + ".html"
    path = f"{ARTIFACTS_DIR}/{name}"
    with open(path, "w", encoding="utf-8") as f:
        f.write(html)
    return f"[{type(value).__name__} shown to the user as the map {path}]"


def _map_text(value: Any, printer: Any, cycle: bool) -> None:
    printer.text(save_map(value))


def _json_value(value: Any) -> Any:
    """application/json for a dict or list (as JupyterLab's JSON view shows it) that is JSON as it is: not
    for one holding tuples, non-text keys or NaN (its JSON would be another value), nor for subclasses
    (IPython's SList, a defaultdict…), which show as what they are."""
    if type(value) not in (dict, list):
        return None
    try:
        same = json.loads(json.dumps(value, allow_nan=False)) == value
    except (TypeError, ValueError, RecursionError):
        return None
    return value if same else None


def make_shell() -> Any:
    """IPython's InteractiveShell with its outputs going to DISPLAYS; None when IPython is not installed."""
    try:
        from traitlets.config import Config

        shell_cls = _shell_class()
    except Exception:
        return None
    import shutil
    import tempfile

    hook_cls, pub_cls = _shell_hooks()
    config = Config()
    config.HistoryManager.enabled = False  # no sqlite file, no saving thread (forking needs one thread)
    config.InteractiveShell.colors = "nocolor"
    config.InteractiveShell.warn_venv = False
    # IPython insists on a profile folder, but reads nothing from it once started: removed at once, so no
    # sandbox start (nor a killed driver) leaves an `ipython-*` folder in the temp dir
    ipython_dir = tempfile.mkdtemp(prefix="ipython-")
    try:
        shell = shell_cls.instance(
            config=config, ipython_dir=ipython_dir, displayhook_class=hook_cls, display_pub_class=pub_cls
        )
    finally:
        shutil.rmtree(ipython_dir, ignore_errors=True)
    formatters = shell.display_formatter.formatters
    for kind in (dict, list):
        formatters["application/json"].for_type(kind, _json_value)
    formatters["image/png"].for_type_by_name("matplotlib.figure", "Figure", _figure_as_value)
    for module, name in MAP_TYPES:  # the text stands for the map; its notebook iframe is not shown
        formatters["text/plain"].for_type_by_name(module, name, _map_text)
        formatters["text/html"].for_type_by_name(module, name, lambda value: None)
    from IPython.core.autocall import IPyAutocall
    from IPython.core.macro import Macro

    global _AUTOCALL_TYPES
    _AUTOCALL_TYPES = (IPyAutocall, Macro)
    SHELL["shell"] = shell
    return shell


def _shell_class() -> Any:
    from IPython.core.compilerop import CachingCompiler
    from IPython.core.interactiveshell import InteractiveShell

    class Compiler(CachingCompiler):
        def get_code_name(self, raw_code: str, transformed_code: str, number: int) -> str:
            return f"<cell-{number}>"  # what tracebacks show, and where format_error starts them

    class Shell(InteractiveShell):
        compiler_class = Compiler
        system = InteractiveShell.system_raw  # `!cmd` writes to fd 1/2, streamed like any output (no pty)
        # plain attributes, not traits: nothing observes them, and each trait assignment of a cell costs
        # validation and notification (a third of IPython's time for a short cell)
        execution_count = 1
        last_execution_succeeded = True
        last_execution_result = None

        def init_history(self) -> None:
            self.history_manager = _history_class()(shell=self, parent=self)
            self.configurables.append(self.history_manager)

        def showtraceback(self, *args: Any, running_compiled_code: bool = False, **kwargs: Any) -> None:
            if running_compiled_code:
                return  # the cell's own error: reported in the result (format_error), not printed
            super().showtraceback(*args, **kwargs)

        def showsyntaxerror(self, *args: Any, **kwargs: Any) -> None:
            return  # reported in the result

        def _tee(self, channel: str) -> Any:
            """IPython 9 keeps a copy of everything a cell prints (history outputs): the output caps are
            the driver's, and a cell printing gigabytes must not fill the sandbox's memory."""
            return contextlib.nullcontext()

        def transform_cell(self, raw_cell: str) -> str:
            """IPython's, skipped for a cell none of its transforms would change (the common case: its
            tokenizing doubles the cost of a short cell); tests/sandbox/test_display.py checks they agree."""
            if plain_cell(self, raw_cell):
                return raw_cell if raw_cell.endswith("\n") else raw_cell + "\n"
            return str(super().transform_cell(raw_cell))

        def should_run_async(self, raw_cell: str, **kwargs: Any) -> bool:
            if "await" not in raw_cell and "async" not in raw_cell:
                return False  # no top-level await without the word (IPython compiles the cell to find out)
            return bool(super().should_run_async(raw_cell, **kwargs))

    return Shell


# what IPython's input transforms act on: escapes (%magic, !cmd, obj?), pasted prompts, autoquote/autoparen
_SPECIAL_INPUT = re.compile(r"[%!?]|^[ \t]*([,;/]|>>>|\.\.\.|In \[)", re.M)
_FIRST_NAME = re.compile(r"\s*([\w*.]+)")
_AUTOCALL_TYPES: tuple[type, ...] = ()  # IPython's IPyAutocall and Macro, once it is imported


def plain_cell(shell: Any, cell: str) -> bool:
    """True when IPython's transform_cell would return the cell as it is (plus a final newline)."""
    if not cell or cell[0].isspace() or shell.input_transformers_post or shell.autocall:
        return False
    if _SPECIAL_INPUT.search(cell):
        return False
    if len(cell.splitlines()) > 1:
        return True  # the dynamic transforms (automagic, autocall objects, macros) are for one line only
    match = _FIRST_NAME.match(cell)
    if match is None:
        return True
    name = match.group(1)
    if isinstance(shell.user_ns.get(name), _AUTOCALL_TYPES):
        return False  # `exit` alone, a macro
    return not (shell.automagic and shell.find_magic(name))  # `pwd` alone runs %pwd


def _history_class() -> Any:
    from IPython.core.history import HistoryManager

    class History(HistoryManager):
        _i00 = _i = _ii = _iii = ""  # plain attributes (see Shell); In, _i, _ii, _iii and _i<n> as before

        def store_inputs(self, line_num: int, source: str, source_raw: str | None = None) -> None:
            super().store_inputs(line_num, source, source_raw)
            self.db_input_cache.clear()  # history is off: nothing saves it, it would only grow

    return History


def _shell_hooks() -> tuple[type, type]:
    """The display hook (the cell's value → execute_result) and publisher (display() → display_data)."""
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher

    class Hook(DisplayHook):
        exec_result = None  # a plain attribute (see Shell)

        def write_output_prompt(self) -> None:
            return None

        def write_format_data(self, format_dict: dict[str, Any], md_dict: Any = None) -> None:
            DISPLAYS.add(format_dict, is_result=True)

        def log_output(self, format_dict: dict[str, Any]) -> None:
            return None  # history keeps no copy of outputs (memory)

        def finish_displayhook(self) -> None:
            self._is_active = False

    class Publisher(DisplayPublisher):
        def publish(self, data: Any, metadata: Any = None, *args: Any, **kwargs: Any) -> None:
            if not isinstance(data, dict):
                return
            display_id = (kwargs.get("transient") or {}).get("display_id")
            if kwargs.get("update"):
                DISPLAYS.update(data, display_id)
            else:
                DISPLAYS.add(data, display_id=display_id)

        def clear_output(self, wait: bool = False) -> None:
            DISPLAYS.clear()

    return Hook, Publisher


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
    """Import the data libraries and build the IPython shell once (the local backend's zygote calls this
    before forking, so every sandbox inherits them)."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    for name in ("numpy", "pandas", "pyarrow", "matplotlib", "shapely", "geopandas", "folium", "PIL.Image"):
        try:
            __import__(name)
        except Exception:
            continue
    configure_matplotlib()
    setup_shell()


def setup_shell() -> None:
    """The IPython shell (once per process) and the viewers that show through it."""
    if "shell" not in SHELL and (shell := make_shell()) is not None:
        _pil_shows_inline()
        shell.run_cell("None", store_history=False)  # what the first cell would load lazily, loaded here
        shell.display_formatter.format(0)  # (before the fork, so each sandbox inherits it)


def _pil_shows_inline() -> None:
    """PIL's Image.show() displays the image in the cell (its IPython viewer first, not an external one)."""
    try:
        from PIL import ImageShow
    except Exception:
        return
    viewer = getattr(ImageShow, "IPythonViewer", None)
    if viewer is not None:
        ImageShow.register(viewer, order=-1)


def _in_artifacts(target: Any) -> bool:
    """Whether savefig's target is a file path under artifacts/ (a buffer or another folder is not)."""
    if not isinstance(target, (str, os.PathLike)):
        return False
    root = os.path.abspath(ARTIFACTS_DIR)
    return os.path.abspath(os.fspath(target)).startswith(root + os.sep)


def _mark_saved(savefig: Any) -> Any:
    """Figure.savefig that marks a figure saved under artifacts/ (show_figures then leaves it alone)."""

    def wrapper(self: Any, fname: Any, *args: Any, **kwargs: Any) -> Any:
        out = savefig(self, fname, *args, **kwargs)
        if _in_artifacts(fname):
            setattr(self, SAVED_MARK, True)
        return out

    wrapper.lgurban_marks_saved = True  # type: ignore[attr-defined]
    return wrapper


def configure_matplotlib() -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.figure
        import matplotlib.pyplot as plt
    except Exception:
        return
    plt.show = show_figures  # as the inline backend: shown in the cell at once, as image/png and text/plain
    figure = matplotlib.figure.Figure
    if not getattr(figure.savefig, "lgurban_marks_saved", False):
        figure.savefig = _mark_saved(figure.savefig)  # type: ignore[method-assign]


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
    os.environ.setdefault("PLOTLY_RENDERER", "plotly_mimetype")  # Plotly's JSON type, not a browser tab
    configure_matplotlib()
    setup_shell()
    driver = Driver(Channel(proto_in, proto_out), os.getcwd())
    driver.serve()


if __name__ == "__main__":
    serve(workdir=sys.argv[1] if len(sys.argv) > 1 else None)
