"""A throwaway PostgreSQL cluster serving TLS with a self-signed CA on its own port (removed after)."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import free_port
from tests.storage.conftest import bucket, moto  # noqa: F401  (fixtures)


@dataclass
class TlsCluster:
    port: int
    ca: Path  # the CA that signed the server certificate (CN/SAN: localhost only)
    wrong_ca: Path  # another CA

    def url(self, host: str = "localhost", query: str = "") -> str:
        return f"postgresql://postgres@{host}:{self.port}/postgres" + (f"?{query}" if query else "")


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def _make_certs(d: Path) -> None:
    for name in ("ca", "wrong"):
        subj, key, crt = f"/CN={name}-test-ca", f"{name}.key", f"{name}.crt"
        _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                 "-subj", subj, "-keyout", key, "-out", crt, cwd=d)  # fmt: skip
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
             "-keyout", "server.key", "-out", "server.csr", cwd=d)  # fmt: skip
    (d / "ext.cnf").write_text("subjectAltName=DNS:localhost\n")
    _openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
             "-days", "2", "-extfile", "ext.cnf", "-out", "server.crt", cwd=d)  # fmt: skip


@pytest.fixture(scope="session")
def tls_cluster() -> Iterator[TlsCluster]:
    bindir = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
    root = Path(tempfile.mkdtemp(prefix="lgurban-tls-pg-"))
    certs, data = root / "certs", root / "data"
    certs.mkdir()
    _make_certs(certs)
    shutil.chown(root, "postgres")
    for f in certs.iterdir():
        os.chmod(f, 0o644)
    shutil.copy(certs / "server.key", root / "server.key")
    shutil.chown(root / "server.key", "postgres")
    os.chmod(root / "server.key", 0o600)
    port = free_port()
    as_pg = ["runuser", "-u", "postgres", "--"]
    subprocess.run([*as_pg, f"{bindir}/initdb", "-D", str(data), "-A", "trust", "-U", "postgres"],
                   check=True, capture_output=True)  # fmt: skip
    with open(data / "postgresql.conf", "a") as conf:
        conf.write(f"port={port}\nlisten_addresses='127.0.0.1'\nunix_socket_directories='{root}'\nssl=on\n")
        conf.write(f"ssl_cert_file='{certs}/server.crt'\nssl_key_file='{root}/server.key'\n")
    subprocess.run([*as_pg, f"{bindir}/pg_ctl", "-D", str(data), "-l", str(root / "log"), "-w", "start"],
                   check=True, capture_output=True)  # fmt: skip
    try:
        yield TlsCluster(port=port, ca=certs / "ca.crt", wrong_ca=certs / "wrong.crt")
    finally:
        stop = [*as_pg, f"{bindir}/pg_ctl", "-D", str(data), "-m", "immediate", "stop"]
        subprocess.run(stop, capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
