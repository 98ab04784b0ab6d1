"""The FastAPI application factory. Every resource is made in the lifespan and closed after it."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from functools import partial
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Route

from lgurban.agent.checkpointer import check as check_checkpointer
from lgurban.agent.checkpointer import open_checkpointer
from lgurban.agent.run.redis_bus import RedisStreamsBus, open_bus
from lgurban.agent.runs import RunManager, analyst_graph
from lgurban.api import artifacts as artifacts_api
from lgurban.api import chat, health, oidc, sandbox, signin, threads
from lgurban.api import datasets as datasets_api
from lgurban.api import export as export_api
from lgurban.api import langgraph as langgraph_api
from lgurban.api import map_assets as map_assets_api
from lgurban.api import metrics as metrics_api
from lgurban.api import provider_keys as provider_keys_api
from lgurban.api import reproduce as reproduce_api
from lgurban.api import shares as shares_api
from lgurban.api import usage as usage_api
from lgurban.api.deps import AppServices
from lgurban.api.errors import install_error_handlers
from lgurban.api.limits import RequestGuard
from lgurban.artifacts.service import ArtifactService
from lgurban.datasets.service import DatasetService
from lgurban.db.session import make_engine, make_sessionmaker
from lgurban.errors import ConfigurationError
from lgurban.mcp_server.http import McpEndpoint
from lgurban.observability.logs import configure_json_logging
from lgurban.observability.metrics import forget_scrape_sources, observe_at_scrape
from lgurban.observability.middleware import RequestContext
from lgurban.observability.sentry import init_sentry
from lgurban.resources import Resources
from lgurban.sandbox import build_manager as build_sandbox_manager
from lgurban.settings import Settings
from lgurban.storage import build_store
from lgurban.storage.base import ObjectStore

log = logging.getLogger(__name__)

FRONTEND_DIST = Path(__file__).resolve().parents[2] / "frontend" / "dist"
# the API's routes, in the order they are matched
API_ROUTERS = (
    health.router,
    threads.router,
    sandbox.router,
    artifacts_api.router,
    datasets_api.router,
    chat.router,
    export_api.router,
    reproduce_api.router,
    shares_api.router,
    metrics_api.router,
    signin.router,
    oidc.router,
    usage_api.router,
    provider_keys_api.router,
    langgraph_api.router,
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for `settings` (read from the environment when not given)."""
    settings = settings or Settings()
    mcp = McpEndpoint()  # issue 22: the MCP server at /mcp, its session manager run by the lifespan

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        if settings.log_format == "json":  # ops (issue 12): after the server configured its own loggers
            configure_json_logging(settings.log_level)
        dsn = settings.sentry_dsn.get_secret_value() if settings.sentry_dsn else None
        # SENTRY_DSN: errors reported with every secret setting's value scrubbed (off when unset)
        init_sentry(dsn, environment=settings.environment, secrets=settings.secret_values())
        async with AsyncExitStack() as stack:
            # typed: the container must give the routes (and so the agent) all they use of it
            services: AppServices = await open_resources(settings, stack)
            app.state.resources = services
            # closed first (the stack unwinds in reverse): MCP sessions end before what they use
            await stack.enter_async_context(mcp.run(services))
            yield

    app = FastAPI(
        title="LG-Urban",
        version="0.1.0",
        description="A self-hostable AI data analyst for urban open data.",
        lifespan=lifespan,
    )
    # api (issue 17): body caps before anything reads the body, and a 500 that announces the close;
    # added before CORS so that CORS stays outermost and its headers reach these answers too
    app.add_middleware(
        RequestGuard,
        max_body_bytes=settings.api_max_body_bytes,
        max_code_body_bytes=settings.api_max_code_body_bytes,
        max_upload_bytes=settings.upload_max_mb * 1024 * 1024,
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["*"],
        )
    # ops (issue 12): outermost, so every line of a request (and its X-Request-ID) carries its id
    app.add_middleware(RequestContext, access=settings.log_format == "json")
    install_error_handlers(app)
    for router in API_ROUTERS:
        app.include_router(router)
    app.router.routes.append(Route("/mcp", endpoint=mcp))  # every method; before the web app's catch-all
    map_assets_api.mount(app)  # maps (issue 16): the JS/CSS HTML map artifacts load, from this app only
    chat.install_event_schema(app)  # after every route: it patches the document made from them
    _mount_frontend(app, settings.frontend_dist or FRONTEND_DIST)
    return app


async def open_resources(settings: Settings, stack: AsyncExitStack) -> Resources:
    """Make every part in the order each needs the others; `stack` closes them in reverse."""
    engine = make_engine(settings)
    stack.push_async_callback(engine.dispose)
    sessionmaker = make_sessionmaker(engine)
    store = await _open_store(settings, stack)
    datasets = DatasetService(settings=settings, store=store, sessionmaker=sessionmaker)
    stack.push_async_callback(datasets.close)
    sandboxes = build_sandbox_manager(settings, sessionmaker)
    await sandboxes.start()
    stack.push_async_callback(sandboxes.close)
    checkpointer = await stack.enter_async_context(open_checkpointer(settings))
    # scale-out (bus): run events and cancels between replicas through Redis when REDIS_URL is set
    bus = await stack.enter_async_context(open_bus(settings))
    bus_checks = {"redis": bus.check} if isinstance(bus, RedisStreamsBus) else {}
    resources = Resources(
        settings=settings,
        engine=engine,
        sessionmaker=sessionmaker,
        store=store,
        sandboxes=sandboxes,
        artifacts=ArtifactService(store=store, settings=settings),
        datasets=datasets,
        make_agent=lambda parts: RunManager(
            resources=parts, graph_factory=analyst_graph, checkpointer=checkpointer, bus=bus
        ),
        health_checks={
            "store": store.check,
            "sandbox": sandboxes.check,
            "checkpointer": partial(check_checkpointer, checkpointer),
            **bus_checks,
        },
        thread_cleanups=[sandboxes.remove],
    )
    stack.push_async_callback(resources.agent.close)
    stack.push_async_callback(resources.geocoder.close)
    resources.agent.warm_up()
    observe_at_scrape("lgurban_sandboxes_live", sandboxes.live_count)
    observe_at_scrape("lgurban_db_pool_in_use", lambda: _pool_in_use(resources.engine))
    stack.callback(forget_scrape_sources)
    resources.thread_cleanups.append(resources.agent.delete_thread_state)
    return resources


def _pool_in_use(engine: AsyncEngine) -> float:
    checked_out = getattr(engine.sync_engine.pool, "checkedout", None)  # not every pool class counts
    return float(checked_out()) if callable(checked_out) else 0.0


async def _open_store(settings: Settings, stack: AsyncExitStack) -> ObjectStore:
    """The configured object store, refused at start-up when it does not answer."""
    store = build_store(settings)
    stack.push_async_callback(store.close)
    if (reason := await store.check()) != "ok":
        raise ConfigurationError(f"object store ({settings.storage_backend}) not usable: {reason}")
    return store


def _mount_frontend(app: FastAPI, dist: Path) -> None:
    """Serve the built web app at /, or a page that says how to build it."""
    index = dist / "index.html"
    if index.exists():
        if (dist / "assets").is_dir():
            app.mount("/assets", StaticFiles(directory=dist / "assets"), name="assets")

        @app.get("/{path:path}", include_in_schema=False)
        def spa(path: str) -> FileResponse:  # sync: the file checks run in the thread pool
            if path == "api" or path.startswith("api/"):
                raise StarletteHTTPException(404, "Not Found")  # unknown API paths stay JSON 404s
            candidate = (dist / path).resolve()
            if path and candidate.is_file() and candidate.is_relative_to(dist.resolve()):
                return FileResponse(candidate)
            return FileResponse(index)

        return

    @app.get("/", include_in_schema=False)
    async def no_ui() -> HTMLResponse:
        return HTMLResponse(
            "<h1>LG-Urban API</h1><p>The web app is not built. Run <code>make run</code> (it builds "
            "<code>frontend/</code>), or use the API: <a href='/docs'>/docs</a>.</p>"
        )
