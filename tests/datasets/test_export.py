"""A thread out of the app (issue 20): notebook, script and HTML report of what it said and ran.

The notebook is checked against the reference tools: `nbformat.validate`, and `nbclient` running it in a fresh
Jupyter kernel outside the app (the dataset fetched from the fake portal) reproduces the thread's outputs; the
script runs with `python` and prints the same numbers; the HTML loads nothing from any host.
"""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

from lgurban.db.models import Message, utcnow
from lgurban.db.session import session_scope
from tests.fakes.opendatasoft import FakePortal

CELLS = [
    "import pandas as pd\n"
    "d = pd.read_parquet('datasets/incidenti-stradali-quartieri.parquet')\n"
    "print('rows', len(d))",
    "total = int(d['numero_incidenti'].sum())\ntotal",
    "1 / 0",
    "{'total': total, 'half': total // 2}",
]


async def _thread_with_history(start_app: Any, portal: FakePortal) -> tuple[Any, Any, str]:
    running = await start_app(opendata_base_url=portal.url, opendata_retries=1, opendata_timeout_s=5.0)
    running.resources.datasets.client.backoff_s = 0.01
    alice = await running.make_user()
    tid = await alice.thread()
    r = await alice.client.post(
        f"/api/threads/{tid}/datasets", json={"dataset_id": "incidenti-stradali-quartieri"}
    )
    assert r.status_code == 200, r.text
    async with session_scope(running.resources.sessionmaker) as session:  # a conversation before the cells
        for seq, (role, text) in enumerate(
            [("user", "How many accidents?"), ("assistant", "Let me *count*.")]
        ):
            session.add(
                Message(thread_id=uuid.UUID(tid), seq=seq, role=role, content=text, created_at=utcnow())
            )
    for code in CELLS:
        r = await alice.client.post(f"/api/threads/{tid}/execute", json={"code": code})
        assert r.status_code == 200, r.text
    return running, alice, tid


async def test_the_notebook_validates_and_reproduces_the_threads_outputs_in_a_fresh_kernel(
    start_app: Any, portal: FakePortal, tmp_path: Path
) -> None:
    _, alice, tid = await _thread_with_history(start_app, portal)
    cells = (await alice.client.get(f"/api/threads/{tid}/executions")).json()["items"]
    r = await alice.client.get(f"/api/threads/{tid}/export", params={"format": "ipynb"})
    assert r.status_code == 200, r.text
    assert r.headers["content-disposition"].startswith("attachment")
    nb = nbformat.reads(r.text, as_version=4)
    nbformat.validate(nb)
    kinds = [c.cell_type for c in nb.cells]
    assert kinds == ["markdown", "code", "markdown", "markdown", "code", "code", "code", "code"], kinds
    assert "How many accidents?" in nb.cells[2].source and "*count*" in nb.cells[3].source
    assert [c.source for c in nb.cells[4:]] == CELLS  # every cell, in order, with its recorded outputs
    total = next(o for o in nb.cells[5].outputs if o.output_type == "execute_result")
    assert total.data["text/plain"] == cells[1]["outputs"][0]["data"]
    assert (
        nb.cells[6].outputs[-1].output_type == "error"
        and nb.cells[6].outputs[-1].ename == "ZeroDivisionError"
    )
    assert nb.cells[7].outputs[0].data == {
        o["mime"]: json.loads(o["data"]) if o["mime"] == "application/json" else o["data"]
        for o in cells[3]["outputs"]
    }
    assert set(nb.cells[7].outputs[0].data) == {"text/plain", "application/json"}  # a dict: JSON too
    # outside the app: a fresh kernel, the dataset fetched again from the portal
    recorded = [
        [o.get("text") or o.get("data") for o in c.outputs] for c in nb.cells if c.cell_type == "code"
    ]
    ran = nbformat.reads(r.text, as_version=4)
    client = NotebookClient(
        ran,
        timeout=120,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    await client.async_execute()
    assert "incidenti-stradali-quartieri is the version used" in ran.cells[1].outputs[0].text
    again = [[o.get("text") or o.get("data") for o in c.outputs] for c in ran.cells if c.cell_type == "code"]
    for outputs in recorded:  # a kernel shows a dict as text only; the app adds its JSON (issue 14)
        for data in outputs:
            if isinstance(data, dict):
                data.pop("application/json", None)
    assert again[1:] == recorded[1:]  # the thread's cells give the same outputs


async def test_the_script_runs_with_python_and_prints_the_same_numbers(
    start_app: Any, portal: FakePortal, tmp_path: Path
) -> None:
    _, alice, tid = await _thread_with_history(start_app, portal)
    r = await alice.client.get(f"/api/threads/{tid}/export", params={"format": "py"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/x-python")
    script = tmp_path / "thread.py"
    script.write_text(r.text)
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(script),
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    assert proc.returncode == 0, err.decode()
    cells = (await alice.client.get(f"/api/threads/{tid}/executions")).json()["items"]
    printed = out.decode().splitlines()
    assert printed[0] == "incidenti-stradali-quartieri is the version used"
    assert cells[0]["stdout"].strip() in printed and cells[1]["outputs"][0]["data"] in printed
    assert "# This cell failed in the thread (ZeroDivisionError)" in r.text


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [v or "" for k, v in attrs if k in ("src", "href", "action", "poster", "data")]


async def test_the_html_report_is_self_contained(start_app: Any, portal: FakePortal) -> None:
    _, alice, tid = await _thread_with_history(start_app, portal)
    await alice.client.post(
        f"/api/threads/{tid}/execute",
        json={
            "code": "import matplotlib.pyplot as plt\nplt.plot([1, 3, 2])\nplt.title('<b>x</b>')\nplt.show()"
        },
    )
    r = await alice.client.get(f"/api/threads/{tid}/export", params={"format": "html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in r.headers["content-security-policy"]
    page = r.text
    assert 'http-equiv="Content-Security-Policy"' in page  # also when opened from disk
    links = _Links()
    links.feed(page)
    assert links.urls and all(u.startswith("data:") for u in links.urls), links.urls  # the figure, inline
    assert "How many accidents?" in page and "<em>count</em>" in page
    assert "ZeroDivisionError" in page and str(CELLS[1].splitlines()[0]).replace("'", "&#x27;") in page


async def test_another_users_thread_and_a_bad_format_are_refused(start_app: Any, portal: FakePortal) -> None:
    running, alice, tid = await _thread_with_history(start_app, portal)
    bob = await running.make_user()
    assert (await bob.client.get(f"/api/threads/{tid}/export")).status_code == 404
    r = await alice.client.get(f"/api/threads/{tid}/export", params={"format": "docx"})
    assert r.status_code in (400, 422) and r.json()["error"]["code"]


async def test_the_markdown_export_has_the_chat_the_cells_and_their_output(
    start_app: Any, portal: FakePortal
) -> None:
    _, alice, tid = await _thread_with_history(start_app, portal)
    await alice.client.post(f"/api/threads/{tid}/execute", json={"code": "print('a ``` fence')"})
    r = await alice.client.get(f"/api/threads/{tid}/export", params={"format": "md"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/markdown")
    disposition = r.headers["content-disposition"]
    assert disposition.startswith("attachment") and ".md" in disposition
    text = r.text
    assert "## You\n\nHow many accidents?" in text and "## Analyst\n\nLet me *count*." in text
    assert "```python\n" + CELLS[1] + "\n```" in text
    assert "rows " in text and "Error: `ZeroDivisionError`" in text
    # output holding a fence is wrapped in a longer one, so it cannot end the block early
    assert "````\na ``` fence\n````" in text
    assert text.index("How many accidents?") < text.index(CELLS[1])


async def test_exports_show_the_current_version_of_an_edited_exchange(start_app: Any) -> None:
    running = await start_app()
    alice = await running.make_user()
    tid = uuid.UUID(await alice.thread())
    async with session_scope(running.resources.sessionmaker) as session:
        first = Message(thread_id=tid, seq=1, role="user", content="Old question", created_at=utcnow())
        session.add(first)
        await session.flush()
        later = [
            ("assistant", "Old answer", None),
            ("user", "New question", {"replaces": str(first.id), "resend": "edit"}),
            ("assistant", "New answer", None),
        ]
        for seq, (role, text, meta) in enumerate(later, start=2):
            session.add(
                Message(thread_id=tid, seq=seq, role=role, content=text, meta=meta, created_at=utcnow())
            )
    for format in ("md", "html", "py"):
        text = (await alice.client.get(f"/api/threads/{tid}/export", params={"format": format})).text
        assert "New question" in text and "New answer" in text, format
        assert "Old question" not in text and "Old answer" not in text, format
    # the history itself keeps both
    items = (await alice.client.get(f"/api/threads/{tid}/messages")).json()["items"]
    assert [m["content"] for m in items] == ["Old question", "Old answer", "New question", "New answer"]


async def test_the_html_report_embeds_the_charts_cells_saved_once_each(
    start_app: Any, portal: FakePortal, monkeypatch: Any
) -> None:
    """A chart saved under artifacts/ (no inline figure) is in the report; one shown with plt.show() (inline
    and an artifact of the same bytes) is there once; one over the size cap is named, not embedded."""
    import base64
    import hashlib

    from lgurban.api import export as export_api

    _, alice, tid = await _thread_with_history(start_app, portal)
    saved = "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.savefig('artifacts/trend.png')\n"
    shown = "plt.close('all')\nplt.plot([3, 1])\nplt.show()"
    for code in (saved, shown):
        r = await alice.client.post(f"/api/threads/{tid}/execute", json={"code": code})
        assert r.status_code == 200 and r.json()["ok"], r.text
    artifacts = {
        a["filename"]: a for a in (await alice.client.get(f"/api/threads/{tid}/artifacts")).json()["items"]
    }
    links = _Links()
    links.feed((await alice.client.get(f"/api/threads/{tid}/export", params={"format": "html"})).text)
    images = [hashlib.sha256(base64.b64decode(u.split(",", 1)[1])).hexdigest() for u in links.urls]
    assert images.count(artifacts["trend.png"]["sha256"]) == 1  # the saved chart, which no output showed
    (figure,) = [name for name in artifacts if name.startswith("figure-")]
    assert images.count(artifacts[figure]["sha256"]) == 1  # inline, not a second time as its artifact

    monkeypatch.setattr(export_api, "FIGURE_MAX_BYTES", 100)
    page = (await alice.client.get(f"/api/threads/{tid}/export", params={"format": "html"})).text
    assert "trend.png (0.0 MB) is not embedded: download it from the app." in page
