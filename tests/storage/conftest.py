"""A real S3 API over HTTP: moto's server on a free loopback port."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from botocore.client import Config
from moto.server import ThreadedMotoServer

from tests.conftest import free_port


@dataclass
class Moto:
    server: ThreadedMotoServer
    url: str
    running: bool = True

    def client(self) -> Any:
        return boto3.session.Session().client(
            "s3",
            endpoint_url=self.url,
            region_name="eu-west-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(s3={"addressing_style": "path"}),
        )

    def stop(self) -> None:
        if self.running:
            self.server.stop()
            self.running = False


@pytest.fixture
def moto() -> Iterator[Moto]:
    """A moto server per test. Its state is per process: tests use their own bucket names."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    m = Moto(server, f"http://127.0.0.1:{port}")
    yield m
    m.stop()


def s3_settings(moto: Moto, **extra: Any) -> dict[str, Any]:
    return {
        "storage_backend": "s3",
        "s3_endpoint_url": moto.url,
        "s3_region": "eu-west-1",
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
        **extra,
    }


@pytest.fixture
def bucket() -> str:
    import uuid

    return f"lgurban-test-{uuid.uuid4().hex[:12]}"
