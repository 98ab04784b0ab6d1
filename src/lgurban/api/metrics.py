"""`GET /metrics`: Prometheus text, for a scraper holding METRICS_TOKEN (or, unset, one on this machine)."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST

from lgurban.api.deps import ResourcesDep
from lgurban.errors import MetricsLoopbackOnly, MetricsTokenRequired
from lgurban.observability import metrics
from lgurban.settings import is_loopback_host

router = APIRouter(tags=["service"])


@router.get("/metrics", include_in_schema=False)
async def scrape(request: Request, resources: ResourcesDep) -> Response:
    """This process's metrics in the Prometheus text format."""
    token = resources.settings.metrics_token
    if token is not None:
        given = request.headers.get("authorization", "")
        expected = f"Bearer {token.get_secret_value()}"
        if not hmac.compare_digest(given.encode(), expected.encode()):
            raise MetricsTokenRequired("GET /metrics wants 'Authorization: Bearer <METRICS_TOKEN>'.")
    elif request.client is None or not is_loopback_host(request.client.host):
        raise MetricsLoopbackOnly(
            "GET /metrics answers only clients on this machine; set METRICS_TOKEN to scrape from elsewhere."
        )
    return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)
