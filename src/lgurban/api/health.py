"""Service health: every part answers, or the service says which one does not."""

from __future__ import annotations

import asyncio
from functools import cache

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from lgurban.agent.providers import configured_providers, split_model_id
from lgurban.api.deps import AppServices, HealthCheck, ResourcesDep
from lgurban.api.responses import errors
from lgurban.api.schemas import HealthOut
from lgurban.db.migrate import MIGRATIONS_DIR
from lgurban.settings import Settings

router = APIRouter(tags=["service"])


@cache
def _code_heads() -> frozenset[str]:
    """The migration revisions this code expects (read once from the migrations folder)."""
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory(str(MIGRATIONS_DIR)).get_heads())


async def check_database(resources: AppServices) -> str:
    try:
        async with asyncio.timeout(resources.settings.db_connect_timeout_s):
            async with resources.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
                try:
                    rows = (await conn.execute(text("SELECT version_num FROM alembic_version"))).all()
                except DBAPIError:
                    rows = []
    except Exception as exc:  # any failure is "down"; the reason is a short name, never a secret
        return f"unavailable ({type(exc).__name__})"
    if frozenset(r[0] for r in rows) != _code_heads():
        return "not migrated: run `lgurban db upgrade`"
    return "ok"


def model_configuration(settings: Settings) -> str:
    """The default model's provider when its key or URL is set, else "not configured" (never calls it)."""
    provider, _ = split_model_id(settings.llm_model.strip())
    return provider if provider in configured_providers(settings) else "not configured"


async def _run_check(name: str, check: HealthCheck) -> tuple[str, str]:
    try:
        return name, await check()
    except Exception as exc:
        return name, f"error ({type(exc).__name__})"


@router.get("/api/health", response_model=HealthOut, responses={503: {"model": HealthOut}, **errors(413)})
async def health(resources: ResourcesDep) -> JSONResponse:
    """200 when every part is ok, 503 naming the ones that are not; `checks.model` names the provider."""
    results = await asyncio.gather(
        _run_check("db", lambda: check_database(resources)),
        *(_run_check(name, check) for name, check in resources.health_checks.items()),
    )
    checks = dict(results)
    ok = all(v == "ok" or v.startswith("ok") for v in checks.values())
    # configuration, not a part that can be down: it does not change the status
    checks["model"] = model_configuration(resources.settings)
    body = HealthOut(status="ok" if ok else "degraded", checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)
