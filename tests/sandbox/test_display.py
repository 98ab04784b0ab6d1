"""Jupyter display semantics (issue 14 item 1): each cell runs in our sandbox (both backends) and in a real
Jupyter kernel (jupyter_client + ipykernel) in the same test run, and the outputs are compared bundle by
bundle, MIME type by MIME type.

Differences that are by design are named per case: `extra` MIME types we add (application/json for a dict or
a list as the cell's value, as JupyterLab's JSON view shows it) and `kernel_code` where the kernel needs other
code for the same outcome (PIL's Image.show() opens an external viewer in a kernel when one is installed).
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from lgurban.sandbox.messages import Limits, Reply, to_execution
from lgurban.sandbox.types import Execution
from tests.sandbox.test_contract import BACKENDS, Kit, started

BINARY = {"image/png": b"\x89PNG", "image/jpeg": b"\xff\xd8\xff", "application/pdf": b"%PDF"}
_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
# IPython formats times with "%.3g", so a short one reads "1e+03 ns"
_TIME = re.compile(r"\d+(\.\d+)?(e[+-]?\d+)?\s*(ns|µs|\u03bcs|us|ms|s)\b")
PLOTLY = "application/vnd.plotly.v1+json"
VEGA = "application/vnd.vegalite.v5+json"


@dataclass
class Case:
    cells: list[str]  # only the last cell's outputs are compared; earlier ones set it up
    extra: set[str] = field(default_factory=set)  # MIME types we add to the cell's value
    kernel_code: str | None = None  # the kernel's last cell, when it differs
    streams: bool = True  # compare stdout/stderr too


JPEG = (
    "import io\nfrom PIL import Image\nbuf = io.BytesIO()\nImage.new('RGB', (4, 4), 'blue').save(buf, 'JPEG')"
)
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><rect width="9" height="9"/></svg>'

CASES: dict[str, Case] = {
    "display_html": Case(["from IPython.display import display, HTML\ndisplay(HTML('<b>hi</b>'))"]),
    "display_markdown": Case(["from IPython.display import display, Markdown\ndisplay(Markdown('**m**'))"]),
    "latex_value": Case(["from IPython.display import Latex\nLatex(r'$x^2 + y$')"]),
    "math_value": Case(["from IPython.display import Math\nMath(r'\\frac{1}{2}')"]),
    "json_display": Case(["from IPython.display import JSON, display\ndisplay(JSON({'a': [1, 2]}))"]),
    "dict_value": Case(["{'a': [1, 2], 'b': None, 'c': 'x'}"], extra={"application/json"}),
    "list_value": Case(["[1, 'two', 3.5, {'k': True}]"], extra={"application/json"}),
    "tuples_are_not_json": Case(["[(1, 'lo')]"]),  # its JSON would be another value: text only
    "int_keys_are_not_json": Case(["{1: 'a'}"]),
    "svg_value": Case([f"from IPython.display import SVG\nSVG({SVG!r})"]),
    "pil_value": Case(["from PIL import Image\nImage.new('RGB', (4, 4), 'red')"]),
    "pil_show": Case(
        ["from PIL import Image\nim = Image.new('RGB', (4, 4), 'red')", "im.show()"],
        kernel_code="display(im)",
    ),
    "jpeg_value": Case(
        [JPEG, "from IPython.display import Image as I\nI(data=buf.getvalue(), format='jpeg')"]
    ),
    "pdf_value": Case(
        [
            "class P:\n    def _repr_pdf_(self):\n        return b'%PDF-1.4 tiny'\n"
            "    def __repr__(self):\n        return 'P()'\nP()"
        ]
    ),
    "plotly_bundle": Case(
        [
            "class Fig:\n    def _repr_mimebundle_(self, include=None, exclude=None):\n"
            f"        return {{{PLOTLY!r}: {{'data': [{{'type': 'bar', 'y': [1, 2]}}], 'layout': {{}}}}, "
            "'text/plain': 'Fig()'}\nFig()"
        ]
    ),
    "vegalite_bundle": Case(
        [
            "class Chart:\n    def _repr_mimebundle_(self, include=None, exclude=None):\n"
            f"        return {{{VEGA!r}: {{'mark': 'bar', 'data': {{'values': [{{'a': 1}}]}}}}, "
            "'text/plain': 'Chart()'}\nChart()"
        ]
    ),
    "raw_bundle": Case(
        [
            "from IPython.display import display\n"
            "display({'text/html': '<i>x</i>', 'text/plain': 'x'}, raw=True)"
        ]
    ),
    "displays_then_value": Case(["display(1)\ndisplay('a')\nprint('between')\n3"]),
    "plt_show": Case(["import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()\nprint('after')"]),
    "open_figure_and_value": Case(["import matplotlib.pyplot as plt\nplt.figure()\nplt.plot([3, 1])"]),
    "dataframe": Case(["import pandas as pd\npd.DataFrame({'a': [1, 2], 'b': ['x', 'y']})"]),
    "semicolon_hides_value": Case(["1 + 1;"]),
    "update_display": Case(["h = display('first', display_id=True)\nh.update('second')"]),
    "clear_output": Case(
        ["from IPython.display import clear_output\ndisplay(1)\nclear_output()\ndisplay(2)"], streams=False
    ),
    "shell_escape": Case(["!echo hi from the shell"]),
    "shell_capture": Case(["files = !echo one; echo two\nfiles"]),
    "shell_variable": Case(["name = 'world'\n!echo hello {name}"]),
    "timeit": Case(["%timeit -n 3 -r 2 sum(range(10))"]),
    "time_magic": Case(["%time sum(range(10))"]),
    "capture_cell": Case(["%%capture cap\nprint('hidden')\ndisplay('also hidden')", "cap.stdout"]),
    "pwd": Case(["%pwd"]),
    "who": Case(["alpha = 1\nbeta = 'b'", "%who"]),
    "error": Case(["def f():\n    return 1 / 0\nf()"]),
    "underscore_values": Case(["40 + 2", "_ + 1"]),
}


# --- the Jupyter side
@pytest.fixture(scope="module")
def kernel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(
        kernel_name="python3", stderr=subprocess.DEVNULL, cwd=str(tmp_path_factory.mktemp("kernel"))
    )
    try:
        yield kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def kernel_run(kc: Any, code: str) -> dict[str, Any]:
    """The notebook view of one cell: its bundles (updates and clears applied), streams, error, count."""
    seen: dict[str, Any] = {"bundles": [], "stdout": "", "stderr": "", "error": None}

    def hook(msg: dict[str, Any]) -> None:
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            seen[content["name"]] += content["text"]
        elif kind in ("display_data", "execute_result"):
            display_id = (content.get("transient") or {}).get("display_id")
            seen["bundles"].append([kind, content["data"], display_id])
        elif kind == "update_display_data":
            display_id = content["transient"]["display_id"]
            for bundle in seen["bundles"]:
                if bundle[2] == display_id:
                    bundle[1] = content["data"]
        elif kind == "clear_output":
            seen["bundles"] = []
        elif kind == "error":
            seen["error"] = (content["ename"], content["evalue"])

    reply = kc.execute_interactive(code, timeout=60, output_hook=hook)
    seen["count"] = reply["content"]["execution_count"]
    return seen


# --- our side
@pytest.fixture(scope="module", params=BACKENDS)
async def kit(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Kit]:
    async with started(request.param, tmp_path_factory.mktemp(request.param)) as k:
        yield k


@pytest.fixture
async def tid(kit: Kit) -> AsyncIterator[uuid.UUID]:
    thread_id = uuid.uuid4()
    yield thread_id
    await kit.manager.remove(thread_id)


def our_view(res: Execution) -> dict[str, Any]:
    bundles: dict[int, list[Any]] = {}
    for o in res.outputs:
        kind = "execute_result" if o.is_result else "display_data"
        bundles.setdefault(o.bundle, [kind, {}, None])[1][o.mime] = o.data
    error = (res.error.name, res.error.value) if res.error else None
    return {"bundles": list(bundles.values()), "stdout": res.stdout, "stderr": res.stderr, "error": error}


def norm(mime: str, value: Any, cwd: str) -> Any:
    if mime in BINARY:
        return base64.b64decode(value)[: len(BINARY[mime])]  # the same kind of file (pixels may differ)
    if mime == "application/json" or mime.endswith("+json"):
        return json.loads(value) if isinstance(value, str) else value
    return norm_text(value, cwd)


def norm_text(text: str, cwd: str) -> str:
    return _TIME.sub("T", _ADDRESS.sub("0x…", text.replace("\r\n", "\n").replace(cwd, "<cwd>")))


@pytest.mark.parametrize("name", list(CASES))
async def test_display_matches_jupyter(name: str, kit: Kit, tid: uuid.UUID, kernel: Any) -> None:
    case = CASES[name]
    kernel_run(kernel, "%reset -f")
    for cell in case.cells[:-1]:
        assert kernel_run(kernel, cell)["error"] is None
        assert (await kit.manager.execute(tid, cell)).ok
    theirs = kernel_run(kernel, case.kernel_code or case.cells[-1])
    res = await kit.manager.execute(tid, case.cells[-1])
    ours = our_view(res)
    kernel_cwd = kernel_run(kernel, "import os as _os\nprint(_os.getcwd())")["stdout"].strip()
    our_cwd = (await kit.manager.execute(tid, "print(__import__('os').getcwd())")).stdout.strip()

    assert ours["error"] == theirs["error"]
    assert [b[0] for b in ours["bundles"]] == [b[0] for b in theirs["bundles"]]  # display vs value, in order
    for (kind, our_data, _), (_, their_data, _) in zip(ours["bundles"], theirs["bundles"], strict=True):
        expected = set(their_data) | (case.extra if kind == "execute_result" else set())
        assert set(our_data) == expected, (name, kind)
        for mime, value in their_data.items():
            assert norm(mime, our_data[mime], our_cwd) == norm(mime, value, kernel_cwd), (name, mime)
        if "application/json" in case.extra and kind == "execute_result":
            shown = kernel_run(kernel, "import json as _j\nprint(_j.dumps(_))")["stdout"]
            assert json.loads(our_data["application/json"]) == json.loads(shown)
    if case.streams:
        for stream in ("stdout", "stderr"):
            assert norm_text(ours[stream], our_cwd) == norm_text(theirs[stream], kernel_cwd), (name, stream)
    assert res.execution_count == len(case.cells)  # In [n] of a new sandbox, as in a new kernel


async def test_execution_counts_follow_the_kernel(kit: Kit, tid: uuid.UUID, kernel: Any) -> None:
    cells = ["a = 1", "1 / 0", "def broken(:", "%pwd", "a"]
    theirs = [kernel_run(kernel, c)["count"] for c in cells]
    ours = [(await kit.manager.execute(tid, c)).execution_count or 0 for c in cells]
    assert ours == list(range(1, len(cells) + 1))
    assert [b - a for a, b in itertools.pairwise(ours)] == [b - a for a, b in itertools.pairwise(theirs)]


def test_the_host_checks_the_encoding_the_driver_claims() -> None:
    """The sandbox side is hostile: binary types must be base64 and JSON types JSON, or they become a note."""
    outputs = [
        {"mime": "image/png", "data": "iVBORw0KGgo=", "bundle": 0},
        {"mime": "image/png", "data": "<script>alert(1)</script>", "bundle": 1},
        {"mime": "application/json", "data": '{"a": [1, 2]}', "bundle": 2, "is_result": True},
        {"mime": PLOTLY, "data": "{not json", "bundle": 3},
        {"mime": "application/pdf", "data": "JVBERi0xLjQ=", "bundle": 4},
    ]
    msg = {"type": "result", "ok": True, "outputs": outputs}
    res = to_execution(Reply(msg), Limits(), host_ms=1)
    assert res.ok and res.error is None
    assert [(o.mime, o.bundle, o.is_result) for o in res.outputs] == [
        ("image/png", 0, False),
        ("text/plain", 1, False),
        ("application/json", 2, True),
        ("text/plain", 3, False),
        ("application/pdf", 4, False),
    ]
    assert res.outputs[1].data == "[image/png output not kept: its data is not base64]"
    assert res.outputs[3].data == f"[{PLOTLY} output not kept: its data is not JSON]"


TRANSFORM_CHECK = """
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("driver", sys.argv[1])
driver = importlib.util.module_from_spec(spec)
spec.loader.exec_module(driver)
driver.setup_shell()
shell = driver.SHELL["shell"]
from IPython.core.interactiveshell import InteractiveShell
shell.run_cell("value = 1\\nfrom IPython.core.macro import Macro\\nmac = Macro('1')", store_history=True)
out = []
for cell in json.loads(sys.stdin.read()):
    out.append([cell, driver.plain_cell(shell, cell), shell.transform_cell(cell),
                InteractiveShell.transform_cell(shell, cell)])
print(json.dumps(out))
"""
TRANSFORM_CORPUS = [
    "x += 1",
    "value",
    "print('a')\nvalue",
    "pwd",
    "who",
    "ls",
    "exit",
    "mac",
    "value.real",
    "  indented",
    "\n\nvalue",
    "x = 1  # 100%",
    "a = !ls",
    "!ls",
    "%time 1",
    "%%capture\n1",
    "obj?",
    ">>> 1 + 1",
    "In [1]: 2",
    "def f():\n    ...\n",
    ",f a b",
    "/f a",
    "for i in range(3):\n    pwd = i\npwd",
    "",
    "pwd = 3",
    "value\n\n",
    "lambda: None",
    "x = [1,\n/2]",
    "await f()",
    "é = 1\né",
]


def test_the_fast_path_transforms_cells_as_ipython_does() -> None:
    """The driver skips IPython's input transforms only for a cell they would leave as it is."""
    from lgurban.sandbox import driver

    run = subprocess.run(
        [sys.executable, "-P", "-c", TRANSFORM_CHECK, driver.__file__],
        input=json.dumps(TRANSFORM_CORPUS),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    results = json.loads(run.stdout)
    for cell, _plain, ours, ipythons in results:
        assert ours == ipythons, cell
    plain = {cell for cell, is_plain, _, _ in results if is_plain}
    assert {"x += 1", "value", "print('a')\nvalue", "lambda: None", "é = 1\né"} <= plain  # the fast path runs
    assert not plain & {"pwd", "exit", "mac", "!ls", "obj?", "  indented", ">>> 1 + 1"}
