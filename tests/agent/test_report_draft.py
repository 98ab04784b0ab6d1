"""The report's text without a model (issue 15): the parts the writer appends itself, the plain draft when
the model fails, and the standalone HTML page (nothing fetched, nothing run)."""

from __future__ import annotations

import json

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from lgurban.agent.report.draft import Chart, Citation, assemble, digest, fallback_body
from lgurban.execution.notebook_html import markdown_page

CODE = 'df = pd.read_parquet("datasets/parchi.parquet")\nprint("parchi:", 42)'


def _thread() -> list:  # type: ignore[type-arg]
    return [
        HumanMessage("Quanti parchi ci sono?", id="h1"),
        AIMessage("", tool_calls=[{"name": "execute_code", "args": {"code": CODE}, "id": "c1"}], id="a1"),
        ToolMessage(
            json.dumps({"stdout": "parchi: 42\n"}),
            tool_call_id="c1",
            name="execute_code",
            artifact={"ok": True, "execution_id": "11111111-2222-3333-4444-555555555555"},
        ),
        AIMessage("A Bologna ci sono 42 parchi.", id="a2"),
        HumanMessage("Scrivi un report", id="h2"),
    ]


def test_the_draft_appends_receipts_charts_citations_and_code() -> None:
    messages = _thread()
    charts = [Chart("9e0c7a52-0d7e-4c55-a4f5-8d3a1b2c3d4e", "parchi.png")]
    datasets = [Citation("parchi", "Parchi e giardini", "CC BY 4.0", "2024-05-10"), Citation("alberi")]
    text = assemble("# Parchi\n\n## Findings\n\n- 42 parchi.", messages, charts, datasets)
    assert text.startswith("# Parchi\n\n## Findings")
    assert "- **42**: cell `11111111-2222-3333-4444-555555555555`; datasets `parchi`" in text
    assert "![parchi.png](/api/artifacts/9e0c7a52-0d7e-4c55-a4f5-8d3a1b2c3d4e/download)" in text
    assert (
        "- Parchi e giardini (`parchi`), Open Data Bologna; licence: CC BY 4.0; modified: 2024-05-10" in text
    )
    assert "- `alberi`, Open Data Bologna; licence: not stated; modified: unknown" in text
    assert "## Code appendix\n\n```python\n" + CODE + "\n```" in text
    # the model reads the question, the cell with its output and the answer, not the report request
    read = digest(messages)
    assert "Quanti parchi" in read and "parchi: 42" in read and "42 parchi." in read
    assert "Scrivi un report" not in read


def test_without_the_model_the_draft_is_the_questions_and_answers() -> None:
    body = fallback_body(_thread())
    assert body.startswith("# Report: Quanti parchi ci sono?")
    assert "## Findings\n\nA Bologna ci sono 42 parchi." in body
    assert "Scrivi un report" not in body


def test_the_html_page_embeds_its_charts_and_loads_nothing() -> None:
    link = "/api/artifacts/9e0c7a52-0d7e-4c55-a4f5-8d3a1b2c3d4e/download"
    md = f"# Parchi & co\n\n![chart]({link}) ![x](https://tracker.example/p.png)\n\n<script>alert(1)</script>"
    page = markdown_page("Parchi & co", md, {link: "data:image/png;base64,iVBORw0K"})
    assert '<img src="data:image/png;base64,iVBORw0K" alt="chart"' in page
    assert "tracker.example" not in page and "<em>[image: x]</em>" in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<title>Parchi &amp; co</title>" in page and "Content-Security-Policy" in page
