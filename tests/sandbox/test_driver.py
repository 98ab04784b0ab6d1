"""The driver alone (a plain child process, protocol v1): notebook semantics and a protected channel."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lgurban.sandbox import driver

DRIVER = Path(driver.__file__)


WITHOUT_IPYTHON = (
    "import runpy, sys\nsys.modules['IPython'] = None  # as if it were not installed\n"
    "sys.argv = sys.argv[1:]\nrunpy.run_path(sys.argv[0], run_name='__main__')"
)


class Driver:
    def __init__(self, workdir: Path, *, ipython: bool = True, env: dict[str, str] | None = None) -> None:
        start = [str(DRIVER)] if ipython else ["-c", WITHOUT_IPYTHON, str(DRIVER)]
        self.proc = subprocess.Popen(
            [sys.executable, "-P", *start, str(workdir)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={"PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg", "HOME": str(workdir), **(env or {})},
        )
        self.n = 0
        self.ready = self.read()

    def read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line, "driver closed its channel"
        return json.loads(line)  # type: ignore[no-any-return]

    def send(self, msg: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((json.dumps(msg) + "\n").encode())
        self.proc.stdin.flush()

    def run(self, code: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        self.n += 1
        rid = f"req-{self.n}"
        self.send({"v": 1, "id": rid, "type": "execute", "code": code, "output_limit": 10_000})
        streams = []
        while True:
            msg = self.read()
            assert msg["id"] == rid
            if msg["type"] == "result":
                return msg, streams
            streams.append(msg)


@pytest.fixture(scope="module")
def drv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Driver]:
    work = tmp_path_factory.mktemp("ws")
    (work / "artifacts").mkdir()
    d = Driver(work)
    yield d
    d.proc.kill()
    d.proc.wait()
    for f in (d.proc.stdin, d.proc.stdout):
        assert f is not None
        f.close()


def test_ready_and_state_between_cells(drv: Driver) -> None:
    assert drv.ready["type"] == "ready" and drv.ready["v"] == 1
    drv.run("x = 41")
    res, _ = drv.run("x += 1\nx")
    assert res["ok"] and res["outputs"] == [
        {"mime": "text/plain", "data": "42", "bundle": 0, "is_result": True}
    ]


def test_dataframe_is_html_and_text(drv: Driver) -> None:
    res, _ = drv.run("import pandas as pd\npd.DataFrame({'a': [1, 2]})")
    mimes = [o["mime"] for o in res["outputs"]]
    assert mimes == ["text/html", "text/plain"]
    assert "<table" in res["outputs"][0]["data"]


def test_open_figure_is_png_output_and_artifact(drv: Driver) -> None:
    res, _ = drv.run("import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nNone")
    assert [o["mime"] for o in res["outputs"]] == ["image/png", "text/plain"]  # as the inline backend
    assert res["outputs"][1]["data"] == "<Figure size 640x480 with 1 Axes>"
    assert "is_result" not in res["outputs"][0]  # a figure is shown, it is not the cell's value
    (fig,) = res["files"]
    assert fig["path"].startswith("artifacts/figure-") and fig["mime"] == "image/png" and fig["size"] > 1000
    assert len(fig["sha256"]) == 64
    res, _ = drv.run("open('artifacts/t.csv', 'w').write('a\\n1\\n')")
    assert [f["path"] for f in res["files"]] == ["artifacts/t.csv"]
    res, _ = drv.run("1")
    assert res["files"] == []  # unchanged files are not reported again


def test_a_figure_saved_to_artifacts_and_left_open_counts_once(drv: Driver) -> None:
    """Regression (issue 15): savefig('artifacts/bike_counts.png') without close also made figure-1.png."""
    code = (
        "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.savefig('artifacts/bike_counts.png')\nNone"
    )
    res, _ = drv.run(code)
    assert [f["path"] for f in res["files"]] == ["artifacts/bike_counts.png"]
    assert res["outputs"] == []  # the artifact is the figure: not shown a second time inline
    # saved elsewhere (or to a buffer) it is still shown and kept as figure-<n>.png
    res, _ = drv.run(
        "import io\nplt.plot([3, 1]); plt.savefig(io.BytesIO()); plt.savefig('elsewhere.png')\nNone"
    )
    (fig,) = res["files"]
    assert fig["path"].startswith("artifacts/figure-")
    assert [o["mime"] for o in res["outputs"]] == ["image/png", "text/plain"]


def test_value_and_figures_are_separate_bundles(drv: Driver) -> None:
    res, _ = drv.run(
        "import matplotlib.pyplot as plt\nplt.figure(); plt.plot([1]); plt.figure(); plt.plot([2])\n'v'"
    )
    shown = [(o["mime"], o["bundle"], o.get("is_result", False)) for o in res["outputs"]]
    assert shown == [
        ("text/plain", 0, True),
        ("image/png", 1, False),
        ("text/plain", 1, False),
        ("image/png", 2, False),
        ("text/plain", 2, False),
    ]
    first, _ = drv.run("1")
    second, _ = drv.run("2")
    assert second["count"] == first["count"] + 1


def test_error_traceback_is_trimmed_to_user_code(drv: Driver) -> None:
    res, _ = drv.run("def f():\n    return 1 / 0\nf()")
    err = res["error"]
    assert err["name"] == "ZeroDivisionError" and err["value"] == "division by zero"
    assert "<cell-" in err["traceback"] and "driver.py" not in err["traceback"]
    assert "return 1 / 0" in err["traceback"]


def test_syntax_error_is_a_result(drv: Driver) -> None:
    res, _ = drv.run("def broken(:\n")
    assert not res["ok"] and res["error"]["name"] == "SyntaxError"


def test_user_code_cannot_corrupt_the_protocol_channel(drv: Driver) -> None:
    res, streams = drv.run("import os, sys\nos.write(1, b'raw fd write\\n')\nprint('printed')")
    text = "".join(s["text"] for s in streams)
    assert "raw fd write" in text and "printed" in text
    drv.run("import os, sys\nsys.stdout.close()\nos.close(1)\nos.close(2)")
    res, streams = drv.run("print('still here')\n7")
    assert res["ok"] and "still here" in "".join(s["text"] for s in streams)


def test_output_cap_reports_what_was_cut(drv: Driver) -> None:
    res, streams = drv.run("for _ in range(100):\n    print('y' * 1000)")
    assert sum(len(s["text"]) for s in streams) == 10_000
    assert res["cut"]["stdout"] == 100 * 1001 - 10_000


def test_unknown_request_and_wrong_version_get_errors(drv: Driver) -> None:
    drv.send({"v": 1, "id": "odd", "type": "frobnicate"})
    assert drv.read() == {"v": 1, "id": "odd", "type": "error", "message": "unknown request 'frobnicate'"}
    drv.send({"v": 99, "id": "old", "type": "ping"})
    reply = drv.read()
    assert reply["id"] == "old" and reply["type"] == "error"
    drv.send({"v": 1, "id": "p", "type": "ping"})
    assert drv.read()["type"] == "pong"


def test_bytes_to_stdout_buffer(drv: Driver) -> None:
    res, streams = drv.run("import sys\nsys.stdout.buffer.write(b'raw bytes\\n')\nsys.stdout.flush()")
    assert res["ok"] and "raw bytes" in "".join(s["text"] for s in streams)


def test_without_ipython_cells_still_run_as_plain_python(tmp_path: Path) -> None:
    (tmp_path / "artifacts").mkdir()
    d = Driver(tmp_path, ipython=False)
    try:
        res, _ = d.run("x = 41\nx + 1")
        assert res["outputs"] == [{"mime": "text/plain", "data": "42", "bundle": 0, "is_result": True}]
        res, _ = d.run("import matplotlib.pyplot as plt\nplt.plot([1])\n'v'")
        shown = [(o["mime"], o["bundle"]) for o in res["outputs"]]
        assert shown == [("text/plain", 0), ("image/png", 1), ("text/plain", 1)]
        res, _ = d.run("!ls")
        assert res["error"]["name"] == "SyntaxError"  # no shell escapes without IPython
        assert res["count"] == 3
    finally:
        d.proc.kill()
        d.proc.wait()
        for f in (d.proc.stdin, d.proc.stdout):
            assert f is not None
            f.close()


def test_the_ipython_dir_is_not_left_behind(tmp_path: Path) -> None:
    """Regression (issue 14): each driver made an `ipython-*` folder in the temp dir and never removed it, so
    a long-running host's /tmp filled with them (one per sandbox start); a killed driver leaves none."""
    tmp, work = tmp_path / "tmp", tmp_path / "ws"
    tmp.mkdir()
    (work / "artifacts").mkdir(parents=True)
    d = Driver(work, env={"TMPDIR": str(tmp)})
    try:
        res, _ = d.run("%timeit -n1 -r1 1 + 1\n!echo shell\nimport tempfile\ntempfile.gettempdir()")
        assert res["ok"] and str(tmp) in res["outputs"][-1]["data"]  # the driver does use this temp dir
        assert sorted(p.name for p in tmp.iterdir()) == []
    finally:
        d.proc.kill()
        d.proc.wait()
        for f in (d.proc.stdin, d.proc.stdout):
            assert f is not None
            f.close()
    assert list(tmp.iterdir()) == []
