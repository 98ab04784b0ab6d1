"""`lgurban deploy modal` against a stand-in `modal` module with the SDK's surface (App.lookup, the Image
chain, image.build, Dict.from_name/put/get): the fake in tests/fakes/modal_fake.py has no Dict, so this one
is small and local. The calls are checked against the real SDK's signatures too."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any, ClassVar

import modal as real_modal
import pytest
from typer.testing import CliRunner

import lgurban.cli.deploy as deploy
import lgurban.sandbox.modal_image as modal_image
from lgurban.cli import app as cli_app


class FakeImage:
    builds: ClassVar[list[Any]] = []

    def __init__(self, steps: tuple[Any, ...] = ()) -> None:
        self.steps = steps
        self.object_id: str | None = None

    def pip_install(self, *packages: str) -> FakeImage:
        return FakeImage((*self.steps, ("pip", packages)))

    def env(self, values: dict[str, str]) -> FakeImage:
        return FakeImage((*self.steps, ("env", values)))

    def add_local_file(self, local: Any, remote: str, *, copy: bool = False) -> FakeImage:
        return FakeImage((*self.steps, ("file", str(local), remote, copy)))

    def build(self, app: Any) -> FakeImage:
        FakeImage.builds.append(app)
        self.object_id = "im-" + str(abs(hash(repr(self.steps))))[:10]
        return self


class FakeDict:
    stores: ClassVar[dict[str, dict[str, str]]] = {}

    def __init__(self, data: dict[str, str]) -> None:
        self.data = data

    @classmethod
    def from_name(cls, name: str, *, create_if_missing: bool = False) -> FakeDict:
        if name not in cls.stores:
            if not create_if_missing:
                raise LookupError(f"Dict {name!r} not found")  # Modal raises NotFoundError
            cls.stores[name] = {}
        return cls(cls.stores[name])

    def put(self, key: str, value: str) -> None:
        self.data[key] = value

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)


class FakeModal:
    class App:
        @staticmethod
        def lookup(name: str, *, create_if_missing: bool = False) -> str:
            assert create_if_missing
            return f"app:{name}"

    class Image:
        @staticmethod
        def debian_slim(python_version: str | None = None) -> FakeImage:
            return FakeImage((("debian_slim", python_version),))

    Dict = FakeDict


@pytest.fixture
def fake(monkeypatch: Any, tmp_path: Path) -> FakeModal:
    FakeDict.stores = {}
    FakeImage.builds = []
    monkeypatch.setattr(deploy, "_sdk", FakeModal)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    return FakeModal()


def test_publish_then_check_finds_the_release_image(fake: FakeModal) -> None:
    runner = CliRunner()
    missing = runner.invoke(cli_app, ["deploy", "modal", "--check"])
    assert missing.exit_code == 1
    assert "not published" in missing.output and "lgurban deploy modal" in missing.output
    published = runner.invoke(cli_app, ["deploy", "modal"])
    assert published.exit_code == 0, published.output
    name = f"lgurban-sandbox:{deploy.release()}"
    assert f"published {name} → im-" in published.output
    assert FakeImage.builds == ["app:lgurban-sandbox"]  # built once, in the app
    found = runner.invoke(cli_app, ["deploy", "modal", "--check"])
    assert found.exit_code == 0 and f"published: {name} → im-" in found.output
    assert FakeImage.builds == ["app:lgurban-sandbox"]  # a check builds nothing


def test_a_new_release_is_not_found_under_the_old_name(fake: FakeModal, monkeypatch: Any) -> None:
    assert CliRunner().invoke(cli_app, ["deploy", "modal"]).exit_code == 0
    monkeypatch.setattr(modal_image, "release", lambda: "9.9.9-000000000000")
    again = CliRunner().invoke(cli_app, ["deploy", "modal", "--check"])
    assert again.exit_code == 1 and "lgurban-sandbox:9.9.9-000000000000 is not published" in again.output


def test_the_calls_match_the_real_sdk() -> None:
    """What publish/published_image_id call exists in the installed modal with these keyword arguments."""
    assert "create_if_missing" in inspect.signature(real_modal.App.lookup).parameters
    assert "create_if_missing" in inspect.signature(real_modal.Dict.from_name).parameters
    assert {"key", "value"} <= set(inspect.signature(real_modal.Dict.put).parameters)
    assert "key" in inspect.signature(real_modal.Dict.get).parameters
    assert hasattr(real_modal.Image, "build") and hasattr(real_modal.Image, "from_id")
