"""Issue 19: a shared conversation whose artifacts live in S3 (moto's server over real HTTP), on SQLite and
PostgreSQL. The shared page names no S3 URL (a presigned link in it would outlive a revocation); its
artifact link redirects to a presigned URL that moto serves with the right bytes and type, signed for
minutes, not the day an owner's own download link lasts; after revocation the link answers 410."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI

from lgurban.api.shares import SHARED_URL_TTL_S
from lgurban.app import create_app
from lgurban.storage.bootstrap import bootstrap
from tests.api.conftest import ApiUser
from tests.api.test_shares import PNG, anonymous_get, seed
from tests.factories import api_client, post_thread
from tests.storage.conftest import Moto, bucket, moto, s3_settings  # noqa: F401 (fixtures)


@pytest.fixture
async def token_app(settings_factory: Any, moto: Moto, bucket: str) -> AsyncIterator[FastAPI]:  # noqa: F811
    """The API in AUTH_MODE=token, its artifacts in moto's S3 (bucket made as `storage bootstrap` does)."""
    settings = settings_factory(auth_mode="token", **s3_settings(moto, s3_bucket=bucket))
    assert await bootstrap(settings)
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


async def test_shared_artifacts_come_from_s3_until_revoked(
    token_app: FastAPI,
    alice: ApiUser,
    moto: Moto,  # noqa: F811
) -> None:
    thread = await post_thread(alice.client, title="Navile")
    art_id = await seed(token_app, thread["id"], "Navile")
    token = (await alice.client.post(f"/api/threads/{thread['id']}/share")).json()["token"]

    page = await anonymous_get(token_app, f"/api/shared/{token}")
    assert page.status_code == 200, page.text
    assert moto.url not in page.text and "X-Amz-" not in page.text  # only links through the share
    (art,) = page.json()["items"][2]["artifacts"]
    assert art["url"] == f"/api/shared/{token}/artifacts/{art_id}"

    r = await anonymous_get(token_app, art["url"])
    assert r.status_code == 307 and r.headers["cache-control"] == "no-store"
    location = r.headers["location"]
    assert location.startswith(f"{moto.url}/")
    query = parse_qs(urlsplit(location).query)
    assert 0 < int(query["X-Amz-Expires"][0]) <= SHARED_URL_TTL_S
    async with httpx.AsyncClient() as s3:  # the browser's request to the object store itself
        blob = await s3.get(location)
    assert blob.status_code == 200 and blob.content == PNG
    assert blob.headers["content-type"] == "image/png"
    assert 'filename="chart.png"' in blob.headers["content-disposition"]

    # the owner's own link is signed for ARTIFACT_URL_TTL_SECONDS (a day by default), the shared one not
    async with api_client(token_app, alice.token) as owner:
        mine = (await owner.get(f"/api/threads/{thread['id']}/messages")).json()["items"][2]["artifacts"][0]
    assert int(parse_qs(urlsplit(mine["url"]).query)["X-Amz-Expires"][0]) > SHARED_URL_TTL_S

    assert (await alice.client.delete(f"/api/threads/{thread['id']}/share")).status_code == 204
    for url in (f"/api/shared/{token}", art["url"]):
        r = await anonymous_get(token_app, url)
        assert r.status_code == 410 and r.json()["error"]["code"] == "SHARE_REVOKED"


async def test_a_shared_artifact_gone_from_s3_is_410(token_app: FastAPI, alice: ApiUser) -> None:
    """The bucket's lifecycle rule deleted the blob: the shared link says so (ARTIFACT_EXPIRED), no 500."""
    thread = await post_thread(alice.client, title="Old")
    art_id = await seed(token_app, thread["id"], "Old")
    token = (await alice.client.post(f"/api/threads/{thread['id']}/share")).json()["token"]
    store = token_app.state.resources.store
    async with token_app.state.resources.sessionmaker() as session:
        from lgurban.db.models import Artifact

        row = await session.get(Artifact, art_id)
        assert row is not None
        await store.delete(row.store_key)
    r = await anonymous_get(token_app, f"/api/shared/{token}/artifacts/{art_id}")
    assert r.status_code == 410 and r.json()["error"]["code"] == "ARTIFACT_EXPIRED"
