"""libpq parameters in a PostgreSQL URL, translated for asyncpg.

RDS documents `?sslmode=verify-full&sslrootcert=/path/global-bundle.pem`; libpq (psycopg, the checkpointer,
pg_dump) reads that URL as is, but asyncpg's `connect()` takes none of `sslrootcert`, `connect_timeout`,
`application_name`, … (TypeError). `split_url` takes them out of the URL and returns asyncpg's `connect_args`
(an `ssl.SSLContext` built the way libpq would), so one DATABASE_URL serves every client of the database.
"""

from __future__ import annotations

import shlex
import ssl
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

# libpq knobs without an asyncpg meaning: taken out of the URL so asyncpg does not refuse them
_LIBPQ_ONLY = {
    "channel_binding",
    "client_encoding",
    "gssencmode",
    "gsslib",
    "hostaddr",
    "keepalives",
    "keepalives_count",
    "keepalives_idle",
    "keepalives_interval",
    "krbsrvname",
    "load_balance_hosts",
    "requirepeer",
    "requiressl",
    "service",
    "sslcompression",
    "sslcrl",
    "sslcrldir",
    "ssl_max_protocol_version",
    "ssl_min_protocol_version",
    "sslsni",
    "tcp_user_timeout",
}
_TLS_KEYS = {"ssl", "sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword"}
_MODES = {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"}
APPLICATION_NAME = "lgurban"


class DatabaseTLSError(ConnectionError):
    """The server's TLS certificate did not verify against the URL's sslrootcert (a 503, not a 500)."""


def split_url(url: str, setting: str = "DATABASE_URL") -> tuple[str, dict[str, Any]]:
    """(the URL without libpq-only parameters, asyncpg connect_args from them). Bad values: ValueError."""
    base, sep, query = url.partition("?")
    if not sep:
        return url, {"server_settings": {"application_name": APPLICATION_NAME}}
    pairs = parse_qsl(query, keep_blank_values=True)
    given = {k: v for k, v in pairs}
    keep = [(k, v) for k, v in pairs if k not in _LIBPQ_ONLY | _TLS_KEYS | _OWN_KEYS]
    args: dict[str, Any] = {}
    server_settings = {"application_name": given.get("application_name") or APPLICATION_NAME}
    if "options" in given:
        server_settings.update(_parse_options(given["options"], setting))
    args["server_settings"] = server_settings
    if "connect_timeout" in given:
        try:
            args["timeout"] = float(given["connect_timeout"])
        except ValueError:
            raise ValueError(f"{setting}: connect_timeout must be a number of seconds") from None
    for key in ("target_session_attrs", "passfile"):
        if key in given:
            args[key] = given[key]
    tls = tls_argument(given, setting)
    if tls is not None:
        args["ssl"] = tls
    return base + ("?" + urlencode(keep) if keep else ""), args


_OWN_KEYS = {"application_name", "options", "connect_timeout", "target_session_attrs", "passfile"}


def _parse_options(options: str, setting: str) -> dict[str, str]:
    """libpq's `options=-c key=value -c …` as server settings."""
    words, out = shlex.split(options), {}
    for i, word in enumerate(words):
        value = None
        if word == "-c" and i + 1 < len(words):
            value = words[i + 1]
        elif word.startswith("-c") and len(word) > 2:
            value = word[2:]
        elif word.startswith("--") and "=" in word:
            value = word[2:]
        if value and "=" in value:
            k, v = value.split("=", 1)
            out[k.replace("-", "_")] = v
    if words and not out:
        raise ValueError(f"{setting}: options must be of the form '-c name=value'")
    return out


def tls_argument(given: dict[str, str], setting: str = "DATABASE_URL") -> ssl.SSLContext | str | bool | None:
    """asyncpg's `ssl=` for libpq's sslmode/sslrootcert/sslcert/sslkey (None: asyncpg's default, prefer)."""
    mode = given.get("sslmode") or given.get("ssl")
    if mode is not None and mode not in _MODES:
        raise ValueError(f"{setting}: sslmode={mode!r} is not one of {', '.join(sorted(_MODES))}")
    root = given.get("sslrootcert")
    if mode == "disable":
        return False
    if mode == "require" and root:
        mode = "verify-ca"  # libpq: require with a root certificate verifies the chain
    if mode not in {"require", "verify-ca", "verify-full"}:
        if given.get("sslcert"):
            raise ValueError(f"{setting}: sslcert needs sslmode=require, verify-ca or verify-full")
        return mode
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if mode == "require":
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    else:
        ctx.check_hostname = mode == "verify-full"
        ctx.verify_mode = ssl.CERT_REQUIRED
        _load_roots(ctx, root, setting)
    if given.get("sslcert"):
        cert, key = given["sslcert"], given.get("sslkey") or None
        try:
            ctx.load_cert_chain(cert, key, password=given.get("sslpassword") or None)
        except (OSError, ssl.SSLError) as exc:
            raise ValueError(f"{setting}: sslcert={cert} / sslkey={key} could not be loaded: {exc}") from None
    return ctx


def _load_roots(ctx: ssl.SSLContext, root: str | None, setting: str) -> None:
    if root == "system":
        ctx.load_default_certs()
        return
    if root is None:  # libpq's default place, else the system store
        default = Path("~/.postgresql/root.crt").expanduser()
        if not default.is_file():
            ctx.load_default_certs()
            return
        root = str(default)
    try:
        ctx.load_verify_locations(cafile=root)
    except (OSError, ssl.SSLError) as exc:
        raise ValueError(f"{setting}: sslrootcert={root} could not be read as PEM: {exc}") from None


def describe_tls_failure(exc: ssl.SSLError, url: str, setting: str = "DATABASE_URL") -> str:
    """What to fix when the server's certificate did not verify: names the URL parameter."""
    given = dict(parse_qsl(url.partition("?")[2]))
    mode = given.get("sslmode") or given.get("ssl") or "prefer"
    root = given.get("sslrootcert") or "(not set: ~/.postgresql/root.crt or the system store)"
    reason = getattr(exc, "verify_message", None) or str(exc)
    return (
        f"PostgreSQL TLS: the server certificate was refused ({reason}) with sslmode={mode} and "
        f"sslrootcert={root}. Check sslrootcert in {setting} (it must be the CA that signed the server's "
        "certificate; for RDS the region's bundle from https://truststore.pki.rds.amazonaws.com) and, for "
        "verify-full, that the host name in the URL is the one in the certificate."
    )
