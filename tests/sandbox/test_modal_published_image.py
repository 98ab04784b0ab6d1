"""The server runs the sandbox image `lgurban deploy modal` published for its release (issue 12): it looks the
image up by name and never builds one at start; without one it refuses to start, naming the command."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from lgurban.app import create_app
from lgurban.errors import ConfigurationError
from lgurban.sandbox import modal_backend
from lgurban.sandbox.manager import SandboxManager
from lgurban.sandbox.modal_backend import ModalBackend
from lgurban.sandbox.modal_image import image_name
from tests.fakes.modal_fake import FakeModal
from tests.sandbox.conftest import sandbox_settings


@pytest.fixture
def fake(tmp_path: Path) -> FakeModal:
    fake = FakeModal(tmp_path / "modal")
    fake.publish_all = False  # only what a test publishes is there
    return fake


async def test_the_published_image_runs_and_nothing_is_built(tmp_path: Path, fake: FakeModal) -> None:
    settings = sandbox_settings(tmp_path / "data", sandbox_backend="modal")
    image_id = fake.publish(image_name(settings))
    m = SandboxManager(settings, ModalBackend(settings, sdk=fake))
    await m.start()
    try:
        assert (await m.execute(uuid.uuid4(), "6 * 7")).outputs[0].data == "42"
        assert fake.calls_to("Image.build") == []
        assert [c.args for c in fake.calls_to("Image.from_id")] == [(image_id,)]
        assert fake.sandboxes[0].image is fake.images[image_id]
    finally:
        await m.close()


async def test_an_unpublished_release_refuses_to_start(tmp_path: Path, fake: FakeModal) -> None:
    settings = sandbox_settings(tmp_path / "data", sandbox_backend="modal")
    fake.publish("lgurban-sandbox:0.0.1-oldrelease00")  # an older release's image is no substitute
    backend = ModalBackend(settings, sdk=fake)
    with pytest.raises(ConfigurationError) as refused:
        await backend.start()
    message = refused.value.message
    assert image_name(settings) in message and "not published" in message
    assert "`lgurban deploy modal`" in message
    assert fake.calls_to("Image.build") == [] and fake.sandboxes == []
    await backend.close()


async def test_no_registry_at_all_refuses_too(tmp_path: Path, fake: FakeModal) -> None:
    backend = ModalBackend(sandbox_settings(tmp_path / "data", sandbox_backend="modal"), sdk=fake)
    with pytest.raises(ConfigurationError, match="lgurban deploy modal"):
        await backend.start()
    await backend.close()


async def test_the_app_does_not_start_without_the_image(
    settings_factory: Any, fake: FakeModal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(modal_backend, "load_sdk", lambda: fake)
    app = create_app(settings_factory(sandbox_backend="modal", modal_app_name="lgurban-api-test"))
    with pytest.raises(ConfigurationError, match="run `lgurban deploy modal`"):
        async with app.router.lifespan_context(app):
            pass
