"""The workspace tools: load a dataset into the thread's workspace, list its files, publish one."""

from __future__ import annotations

from langchain_core.tools import BaseTool, tool

from lgurban.agent.tools.context import ToolContext
from lgurban.agent.tools.results import ToolResult, as_text, guard
from lgurban.db.session import session_scope


def tools(ctx: ToolContext) -> list[BaseTool]:
    """The workspace family's tools, in the order the model sees them."""
    return [select_dataset(ctx), list_datasets(ctx), export_dataset(ctx)]


def select_dataset(ctx: ToolContext) -> BaseTool:
    @tool("select_dataset", response_format="content_and_artifact")
    @guard
    async def run(dataset_id: str) -> ToolResult:
        """Load a dataset into this conversation's workspace so execute_code can read it.

        Returns {path, rows, columns, bytes}; read it with pd.read_parquet(path) (geopandas.read_parquet for
        geographic data). Loading an already loaded dataset refreshes it."""
        async with session_scope(ctx.resources.sessionmaker) as session:
            loaded = await ctx.datasets().load_into_thread(
                session=session, thread_id=ctx.thread_id, dataset_id=dataset_id, workspace=ctx.workspace()
            )
        return as_text(loaded), {"ok": True, "summary": f"loaded {loaded.path}"}

    return run


def list_datasets(ctx: ToolContext) -> BaseTool:
    @tool("list_datasets", response_format="content_and_artifact")
    @guard
    async def run() -> ToolResult:
        """List the files in this conversation's workspace (loaded datasets are datasets/<id>.parquet) and
        the large datasets kept on this server that select_dataset can load ("available")."""
        items = await ctx.datasets().list_for_thread(workspace=ctx.workspace())
        loaded = [f for f in items.files if f.path.startswith("datasets/")]
        return as_text(items), {"ok": True, "summary": f"{len(loaded)} datasets loaded"}

    return run


def export_dataset(ctx: ToolContext) -> BaseTool:
    @tool("export_dataset", response_format="content_and_artifact")
    @guard
    async def run(path: str) -> ToolResult:
        """Publish a file of the workspace (e.g. "datasets/x.parquet" or "output/result.csv") and get a
        download link for the user. Returns {url, expires_at, key}. Give the user the url."""
        async with session_scope(ctx.resources.sessionmaker) as session:  # records the export's row
            exported = await ctx.resources.artifacts.export(
                thread_id=ctx.thread_id, workspace=ctx.workspace(), path=path, session=session
            )
        return as_text(exported), {"ok": True, "summary": f"exported {path}"}

    return run
