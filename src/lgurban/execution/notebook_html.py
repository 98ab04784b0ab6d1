"""A thread as one static, self-contained HTML file (issue 20): the chat and every cell with its outputs.

Nothing is loaded from any host: images are data: URIs, the style is inline, and a Content-Security-Policy in
the page itself forbids every fetch (also when the file is opened from disk). Text from the model and the
sandbox is escaped; Markdown is rendered with raw HTML off; an HTML output (a pandas table) is shown in a
sandboxed frame without scripts.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import html
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt

from lgurban.execution.models import ExecutionOut
from lgurban.execution.notebook import ThreadExport, Turn, loader_source

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-src 'self'"
_IMAGES = ("image/png", "image/jpeg", "image/gif", "image/webp")
_OTHER_IMG = re.compile(r'<img src="(?!data:)[^"]*" alt="([^"]*)"[^>]*>')
_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

STYLE = """
body{font:15px/1.5 system-ui,sans-serif;max-width:860px;margin:2rem auto;padding:0 1rem;color:#1b1f24}
h1{font-size:1.5rem} .turn{margin:1rem 0} .who{font-weight:600;color:#555}
.cell{border:1px solid #d0d7de;border-radius:6px;margin:1rem 0;overflow:hidden}
.cell pre{margin:0;padding:.6rem .8rem;overflow-x:auto;font:13px/1.4 ui-monospace,monospace}
.code{background:#f6f8fa;border-bottom:1px solid #d0d7de} .err{color:#a40e26;background:#fff5f5}
.stderr{background:#fffbe6} .n{color:#888;font:12px ui-monospace,monospace;padding:.2rem .8rem}
img{max-width:100%;display:block;margin:.4rem auto} iframe{width:100%;border:0;min-height:6rem}
table{border-collapse:collapse} td,th{border:1px solid #d0d7de;padding:2px 6px}
"""


@dataclass(frozen=True)
class Figure:
    """An image artifact a cell wrote, embedded in the report (`data` base64), or only named when too big."""

    filename: str
    mime: str
    size: int
    sha256: str
    data: str | None


Figures = Mapping[uuid.UUID | None, list[Figure]]  # by the execution that wrote them; None: no known cell


def to_html(export: ThreadExport, figures: Figures | None = None) -> str:
    figures = figures or {}
    parts = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name=viewport content="width=device-width,initial-scale=1">',
        f"<title>{html.escape(export.title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{html.escape(export.title)}</h1>",
        f"<p class=n>Exported from LG-Urban, thread {export.thread_id}.</p>",
    ]
    if export.datasets:
        parts.append(_pre("code", loader_source(export)))
    cells = set()
    for item in export.items:
        if isinstance(item, Turn):
            parts.append(_turn(item))
        else:
            parts.append(_cell(item, figures.get(item.id, [])))
            cells.add(item.id)
    rest = [f for key, shown in figures.items() if key not in cells for f in shown]
    if rest:  # images no exported cell wrote (an older artifact, a cell not recorded)
        parts += ["<h2>Other figures</h2>", *(_figure(f) for f in rest)]
    parts.append("</body></html>")
    return "".join(parts)


def _turn(turn: Turn) -> str:
    who = "You" if turn.role == "user" else "Analyst"
    return f"<div class=turn><div class=who>{who}</div>{_md.render(turn.text)}</div>"


def _pre(kind: str, text: str) -> str:
    return f"<pre class={kind}>{html.escape(text)}</pre>"


def _cell(cell: ExecutionOut, figures: list[Figure]) -> str:
    n = f"In [{cell.execution_count}]" if cell.execution_count is not None else "In [ ]"
    parts = [f"<div class=cell><div class=n>{n} · {html.escape(cell.source or '')}</div>"]
    parts.append(_pre("code", cell.code or ""))
    if cell.stdout:
        parts.append(_pre("out", cell.stdout))
    if cell.stderr:
        parts.append(_pre("stderr", cell.stderr))
    bundles: dict[int, dict[str, str]] = {}
    for o in cell.outputs:
        bundles.setdefault(o.bundle, {})[o.mime] = o.data
    parts += [_bundle(b) for _, b in sorted(bundles.items())]
    # what it saved under artifacts/ (the chart it made), unless it is the figure shown inline (plt.show())
    inline = {_digest(o.data) for o in cell.outputs if o.mime in _IMAGES}
    parts += [_figure(f) for f in figures if f.sha256 not in inline]
    if cell.error is not None:
        parts.append(_pre("err", cell.error.traceback or f"{cell.error.name}: {cell.error.value}"))
    parts.append("</div>")
    return "".join(parts)


def _digest(b64: str) -> str:
    try:
        return hashlib.sha256(base64.b64decode(b64, validate=True)).hexdigest()
    except (binascii.Error, ValueError):
        return ""


def _figure(figure: Figure) -> str:
    name = html.escape(figure.filename)
    if figure.data is None:
        mb = figure.size / 1024**2
        return f"<p class=n>{name} ({mb:.1f} MB) is not embedded: download it from the app.</p>"
    src = f"data:{html.escape(figure.mime)};base64,{figure.data}"
    return f'<figure><img alt="{name}" src="{src}"><figcaption class=n>{name}</figcaption></figure>'


def _bundle(data: dict[str, Any]) -> str:
    """The richest representation a static page can show safely."""
    for mime in _IMAGES:
        if mime in data:
            return f'<img alt="figure" src="data:{mime};base64,{html.escape(data[mime])}">'
    if "image/svg+xml" in data:  # as an image: an SVG's scripts never run there
        svg = base64.b64encode(data["image/svg+xml"].encode()).decode()
        return f'<img alt="figure" src="data:image/svg+xml;base64,{svg}">'
    if "text/html" in data:
        return f'<iframe sandbox="" srcdoc="{html.escape(data["text/html"], quote=True)}"></iframe>'
    if "text/markdown" in data:
        return str(_md.render(data["text/markdown"]))
    text = data.get("text/plain") or next(iter(data.values()), "")
    return _pre("out", str(text))


def markdown_page(title: str, markdown: str, images: Mapping[str, str] | None = None) -> str:
    """A standalone page of one Markdown text (issue 15: an approved report), in the same safe frame as the
    export: raw HTML off, the CSP forbidding every fetch. `images` maps an image `src` written in the
    Markdown (e.g. the app's link to an artifact) to a data: URI put in its place."""
    body = _md.render(markdown)
    for src, data_uri in (images or {}).items():
        body = body.replace(f'src="{html.escape(src)}"', f'src="{html.escape(data_uri)}"')
    # any other image would be fetched (where a reader ignores the CSP): its alt text instead
    body = _OTHER_IMG.sub(lambda m: f"<em>[image: {m.group(1)}]</em>", body)
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name=viewport content="width=device-width,initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>{body}</body></html>"
    )
