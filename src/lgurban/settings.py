"""One typed settings object for the whole service, read from the environment (and `.env`)."""

from __future__ import annotations

import ipaddress
import secrets
import socket
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from lgurban.db_urls import sqlite_file as sqlite_file  # re-exported: where the callers import them from
from lgurban.db_urls import to_async_url as to_async_url
from lgurban.db_urls import to_libpq_url as to_libpq_url

PLACEHOLDER_SECRETS = {"", "change-me", "changeme", "secret", "placeholder", "dev", "development", "xxx"}


def _year_tiles(url: str) -> str:
    """SIT_TILES_URL: an XYZ template by year; one placeholder missing would draw blank maps."""
    if missing := [p for p in ("{year}", "{z}", "{x}", "{y}") if p not in url]:
        raise ValueError(f"the template lacks {' '.join(missing)}: it needs {{year}} {{z}} {{x}} {{y}}")
    return url


def is_loopback_host(host: str) -> bool:
    """True when `host` only accepts connections from this machine."""
    if host in {"localhost", "localhost.localdomain"}:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        try:
            return all(
                ipaddress.ip_address(info[4][0]).is_loopback for info in socket.getaddrinfo(host, None)
            )
        except OSError:
            return False


class Settings(BaseSettings):
    """Everything configurable. Tests build `Settings(...)` explicitly; the app builds it once at start-up."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    # --- service ---
    environment: Literal["development", "production", "test"] = "development"
    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = Path("./data")
    log_level: str = "INFO"
    # ops (issue 12): json = one JSON object per line with request_id/thread_id, and JSON access lines
    log_format: Literal["text", "json"] = "text"
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    secret_key: SecretStr | None = None
    frontend_dist: Path | None = None
    # ops (issue 12): GET /metrics wants `Authorization: Bearer <METRICS_TOKEN>`; unset, only loopback clients
    metrics_token: SecretStr | None = None
    # ops (issue 12): errors to Sentry (off when unset); every secret setting is scrubbed from the events
    sentry_dsn: SecretStr | None = None

    # --- database ---
    # ops (issue 12): secret-typed so repr(Settings) and logs never show the password
    database_url: SecretStr | None = None
    langgraph_checkpoint_db_url: SecretStr | None = None
    db_pool_size: int = 10
    # api (issue 17): request body caps by route, enforced before the body is read (413 PAYLOAD_TOO_LARGE)
    api_max_body_bytes: int = 1024 * 1024
    api_max_code_body_bytes: int = 8 * 1024 * 1024
    # issue 14: a file uploaded to a workspace (POST /api/threads/{id}/files), in MiB; streamed to disk
    upload_max_mb: int = Field(default=512, ge=1)
    # api (issue 17): how long a finished cell's record is retried while the database is unreachable
    execution_record_retry_s: float = 30.0
    db_connect_timeout_s: float = 5.0
    # a pooled PostgreSQL connection idle longer than this is tested before use (0: test every time)
    db_ping_after_idle_s: float = 5.0

    # --- scale-out (bus): live run events and cancellation between API replicas; empty = in-process bus ---
    redis_url: str | None = None
    redis_prefix: str = "lgurban:"
    redis_stream_maxlen: int = 50_000  # events kept per run stream (approximate trim)
    redis_stream_ttl_s: int = 3600  # a run's stream expires this long after its last event

    # --- auth ---
    auth_mode: Literal["local", "token", "oidc"] = "local"
    local_user_name: str = "local"
    # issue 13: a web sign-in lasts this long; failed sign-ins per client IP within the window before 429
    auth_session_ttl_s: int = Field(default=7 * 24 * 3600, gt=0)
    auth_sign_in_max_failures: int = Field(default=10, gt=0)
    auth_sign_in_window_s: float = Field(default=300.0, gt=0)
    # issue 13, AUTH_MODE=oidc: any OpenID Connect provider (OIDC_ISSUER/.well-known/openid-configuration);
    # no client secret = a public client (PKCE only). Only the listed e-mail addresses / domains may sign in
    # ("*" in OIDC_ALLOWED_DOMAINS: anyone the provider signs in). The callback is PUBLIC_BASE_URL (or the
    # request's own address) + /api/auth/oidc/callback unless OIDC_REDIRECT_URL says otherwise.
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None
    oidc_provider_name: str | None = None  # "Sign in with NAME"; default: the issuer's host name
    oidc_scopes: str = "openid email profile"
    oidc_redirect_url: str | None = None
    oidc_allowed_emails: Annotated[list[str], NoDecode] = Field(default_factory=list)
    oidc_allowed_domains: Annotated[list[str], NoDecode] = Field(default_factory=list)
    oidc_timeout_s: float = Field(default=10.0, gt=0)
    # issue 13: users' own model keys (PUT /api/me/provider-keys/…), encrypted at rest with a key derived from
    # PROVIDER_KEYS_SECRET (unset: from SECRET_KEY); PROVIDER_KEYS_PREVIOUS_SECRETS (comma-separated) still
    # decrypt, until `lgurban provider-keys rotate` re-encrypted every key with the current one.
    provider_keys_secret: SecretStr | None = None
    provider_keys_previous_secrets: SecretStr | None = None
    require_own_provider_key: bool = False  # a run without the user's own key for its provider: 409

    # --- sandbox ---
    sandbox_backend: Literal["local", "modal", "host"] = "local"
    sandbox_exec_timeout_s: float = 120.0
    sandbox_transport_timeout_s: float = 30.0
    sandbox_idle_timeout_s: float = 600.0
    # variables across a stop the user did not ask for (idle, eviction, crash): the thread's earlier cells are
    # re-run in the new sandbox within this many seconds in all (sandbox/replay.py); 0 turns it off
    sandbox_replay_s: float = Field(default=60.0, ge=0)
    sandbox_max_live: int = 32
    # fair sharing (issue 13): how many of those one user may hold; unset = off on a single-user install
    # (AUTH_MODE=local), a quarter of SANDBOX_MAX_LIVE otherwise; 0 = no per-user cap
    sandbox_max_per_user: int | None = Field(default=None, ge=0)
    # chat runs a user may start per hour (issue 13): unset = off with AUTH_MODE=local, else 120; 0 = none
    quota_runs_per_hour: int | None = Field(default=None, ge=0)
    sandbox_memory_mb: int = 2048
    sandbox_cpu_time_s: int = 3600
    sandbox_max_processes: int = 64
    sandbox_max_file_mb: int = 2048
    sandbox_max_open_files: int = 256
    # sandbox isolation (issue 17): per-sandbox cgroup CPU cap in cores (cpu.cfs_quota_us), and how long
    # processes/threads may keep running after a cell returns before they are stopped
    sandbox_cpus: float = 1.0
    sandbox_background_grace_s: float = 5.0
    sandbox_disk_mb: int = 1024  # per workspace, by accounting (sandbox/local_disk.py)
    sandbox_output_limit_bytes: int = 1024 * 1024
    # the sandbox protocol's limits, enforced by the host whatever the sandbox sends (issue 17; area: proto):
    # rich outputs (displayed values, figures) per cell, their total size, artifacts reported per cell, and
    # the longest message (one line) the host reads from a sandbox
    sandbox_max_outputs: int = Field(default=100, ge=1)
    sandbox_rich_output_limit_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    sandbox_max_reported_files: int = Field(default=200, ge=1)
    sandbox_message_limit_bytes: int = Field(default=32 * 1024 * 1024, ge=64 * 1024)
    sandbox_require_isolation: bool = True
    # --- sandbox host (SANDBOX_BACKEND=host, issue 11): a separate `lgurban sandbox-host` process
    sandbox_host_url: str | None = None  # unix:///path/to/socket or http://host:port
    sandbox_host_secret: SecretStr | None = None  # shared by the host and every API replica
    modal_app_name: str = "lgurban-sandbox"
    modal_cpu: float = 1.0
    modal_memory_mb: int = 2048
    modal_sandbox_timeout_s: int = 3600

    # --- storage ---
    storage_backend: Literal["local", "s3"] = "local"
    storage_dir: Path | None = None
    s3_bucket: str | None = None
    s3_datasets_bucket: str | None = None
    s3_artifacts_bucket: str | None = None
    s3_endpoint_url: str | None = None
    # deploy (issue 12): S3_REGION unset → AWS_REGION → AWS_DEFAULT_REGION → eu-west-1 (resolved_s3_region);
    # the store also reads the bucket's real region at start-up (x-amz-bucket-region) and signs for that one
    s3_region: str | None = None
    aws_region: str | None = None
    aws_default_region: str | None = None
    aws_access_key_id: SecretStr | None = None
    aws_secret_access_key: SecretStr | None = None
    aws_session_token: SecretStr | None = None  # deploy (issue 12): with temporary keys (STS)
    artifact_url_ttl_seconds: int = 86400
    artifact_max_bytes: int = 100 * 1024 * 1024
    public_base_url: str | None = None

    # --- maps (issue 16) ---
    # the basemap of show_map's maps ("" = none: the map then asks no host but this app); {z}/{x}/{y} tiles
    map_tiles_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    map_tiles_attribution: str = "&copy; OpenStreetMap contributors"
    # geocode / reverse_geocode: a Nominatim-compatible service (GET /search, GET /reverse), at most one
    # request per GEOCODER_MIN_INTERVAL_S (Nominatim's public service allows one a second), answers cached
    geocoder_url: str = "https://nominatim.openstreetmap.org"
    geocoder_min_interval_s: float = 1.0
    geocoder_timeout_s: float = 10.0
    geocoder_cache_ttl_s: float = 86400.0
    # results are biased to this box (Bologna), lon_min,lat_min,lon_max,lat_max (Nominatim's viewbox order)
    geocoder_viewbox: str = "11.229,44.421,11.434,44.556"
    # aerial photos as XYZ tiles by year (browsers fetch them); the 3D viewer ({lat}/{lon}: the place's)
    sit_tiles_url: Annotated[str, AfterValidator(_year_tiles)] = (
        "https://sitmappe.comune.bologna.it/tms/tileserver/Ortofoto{year}/{z}/{x}/{y}.png"
    )
    sit_ortofoto_years: Annotated[list[int], NoDecode, Field(min_length=1)] = [2017, 2018, *range(2020, 2025)]
    sit_tiles_attribution: str = "&copy; Comune di Bologna, SIT"
    city_3d_url: str = "https://sitmappe.comune.bologna.it/Bologna3D/?center={lon},{lat}&level=18"

    # --- open data ---
    opendata_base_url: str = "https://opendata.comune.bologna.it/api/explore/v2.1"
    opendata_timeout_s: float = 30.0
    opendata_retries: int = 3
    opendata_cache_ttl_s: float = 300.0
    opendata_max_export_bytes: int = 2 * 1024**3
    # maps (issue 16): a portal geo dataset's bbox is computed from its export (cached, reused by loads);
    # datasets with more records than this are not downloaded only for it (their bbox stays null)
    dataset_bbox_max_records: int = 200_000

    # --- models ---
    llm_model: str = "openai:gpt-4.1-mini"
    llm_helper_model: str | None = None
    llm_temperature: float = 0.2
    llm_context_window: int = 128_000
    llm_timeout_s: float = 120.0
    llm_max_retries: int = 2
    agent_recursion_limit: int = 50
    # the reviewer (issue 15, docs/reviewer.md): scores 1-5 by the helper model; an answer below either
    # minimum goes back to the analyst with the critique at most REVIEWER_MAX_REROUTES times
    reviewer_enabled: bool = True
    reviewer_max_reroutes: int = Field(default=1, ge=0, le=5)
    reviewer_min_completeness: int = Field(default=3, ge=1, le=5)
    reviewer_min_relevancy: int = Field(default=3, ge=1, le=5)
    reviewer_timeout_s: float = Field(default=30.0, gt=0)
    # chat runs: SSE keepalive comment interval, run heartbeat, and when a silent run counts as dead
    agent_keepalive_s: float = 15.0
    # (scale-out: a beat every 2 s, dead after 7 s, so another replica takes a dead one's threads within 10 s)
    agent_heartbeat_s: float = 2.0
    agent_stale_run_s: float = 7.0
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    anthropic_api_key: SecretStr | None = None
    anthropic_base_url: str | None = None

    @field_validator(
        "cors_origins", "oidc_allowed_emails", "oidc_allowed_domains", "sit_ortofoto_years", mode="before"
    )
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [o.strip() for o in value.split(",") if o.strip()]
        return value

    @model_validator(mode="after")
    def _check_oidc(self) -> Settings:
        if self.auth_mode == "oidc":
            missing = [n.upper() for n in ("oidc_issuer", "oidc_client_id") if not getattr(self, n)]
            if missing:
                raise ValueError(f"AUTH_MODE=oidc needs {' and '.join(missing)}")
            issuer = urlsplit(self.oidc_issuer or "")
            if issuer.scheme != "https" and not is_loopback_host(issuer.hostname or ""):
                raise ValueError("OIDC_ISSUER must be an https:// URL (plain http only on this machine)")
            if not self.oidc_allowed_emails and not self.oidc_allowed_domains:
                raise ValueError(
                    "AUTH_MODE=oidc needs OIDC_ALLOWED_EMAILS or OIDC_ALLOWED_DOMAINS (comma-separated; "
                    "OIDC_ALLOWED_DOMAINS=* lets in everyone the provider signs in)"
                )
        return self

    @model_validator(mode="after")
    def _refuse_placeholders(self) -> Settings:
        if self.environment == "production":
            key = self.secret_key.get_secret_value() if self.secret_key else ""
            if key.strip().lower() in PLACEHOLDER_SECRETS or len(key) < 32:
                raise ValueError(
                    "SECRET_KEY must be set to a random value of at least 32 characters in production "
                    "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))')"
                )
        return self

    # --- derived values ---
    @cached_property
    def resolved_database_url(self) -> str:
        """The SQLAlchemy async URL; a SQLite file under DATA_DIR unless DATABASE_URL is set."""
        given = self.database_url.get_secret_value() if self.database_url else ""
        url = given or f"sqlite+aiosqlite:///{(self.data_dir / 'lgurban.sqlite').resolve()}"
        return to_async_url(url)

    @cached_property
    def resolved_checkpoint_url(self) -> str:
        """Where LangGraph keeps its checkpoints: a sibling SQLite file, or the same PostgreSQL server."""
        given = self.langgraph_checkpoint_db_url
        if given and given.get_secret_value():  # postgresql+asyncpg:// and friends → the libpq form
            return to_libpq_url(given.get_secret_value())
        url = self.resolved_database_url
        if url.startswith("sqlite"):
            return str((self.data_dir / "checkpoints.sqlite").resolve())
        return to_libpq_url(url)

    def secret_values(self) -> list[str]:
        """The values of every secret setting (and the passwords inside URL secrets), longest first: what
        error reports must never contain (observability/sentry.py scrubs them)."""
        found: set[str] = set()
        for name in type(self).model_fields:
            value = getattr(self, name, None)
            if not isinstance(value, SecretStr):
                continue
            raw = value.get_secret_value()
            if len(raw) >= 6:
                found.add(raw)
            try:
                password = urlsplit(raw).password
            except ValueError:
                password = None
            if password and len(password) >= 4:
                found.add(password)
        return sorted(found, key=len, reverse=True)

    @property
    def sandbox_user_cap(self) -> int:
        """Sandboxes one user may hold at once (0: no cap), from SANDBOX_MAX_PER_USER or its default."""
        if self.sandbox_max_per_user is not None:
            return self.sandbox_max_per_user
        return 0 if self.auth_mode == "local" else max(1, self.sandbox_max_live // 4)

    @property
    def runs_per_hour_cap(self) -> int:
        """Chat runs one user may start per hour (0: no limit), from QUOTA_RUNS_PER_HOUR or its default."""
        if self.quota_runs_per_hour is not None:
            return self.quota_runs_per_hour
        return 0 if self.auth_mode == "local" else 120

    @property
    def resolved_s3_region(self) -> str:
        """deploy (issue 12): the configured bucket region, falling back like the AWS SDKs do."""
        return self.s3_region or self.aws_region or self.aws_default_region or "eu-west-1"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    @cached_property
    def resolved_storage_dir(self) -> Path:
        return (self.storage_dir or self.data_dir / "store").resolve()

    @cached_property
    def workspaces_dir(self) -> Path:
        return (self.data_dir / "workspaces").resolve()

    def signing_key(self) -> bytes:
        """The HMAC key for signed URLs; in development a random key is kept under DATA_DIR."""
        if self.secret_key is not None and self.secret_key.get_secret_value():
            return self.secret_key.get_secret_value().encode()
        path = self.data_dir / ".secret_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip().encode()

    def check_bind(self, host: str) -> None:
        """Refuse to serve without authentication on an address other machines can reach."""
        if self.auth_mode == "local" and not is_loopback_host(host):
            raise ValueError(
                f"Refusing to listen on {host} with AUTH_MODE=local: anyone on the network would act as "
                "the local user. Set AUTH_MODE=token and create a token with `lgurban users create NAME`, "
                "or bind to 127.0.0.1."
            )


class InvalidSettings(ValueError):
    """The environment does not make a valid `Settings`; the message names each setting, never its value."""


def load_settings(**overrides: object) -> Settings:
    """`Settings` from the environment and `.env` with `overrides` on top; InvalidSettings says why not."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        # name each setting and what is wrong, never the values (they may be secrets)
        lines = []
        for err in exc.errors(include_input=False, include_url=False):
            where = ".".join(str(p) for p in err["loc"]).upper()
            lines.append(f"  {where + ': ' if where else ''}{err['msg']}")
        raise InvalidSettings("Invalid configuration:\n" + "\n".join(lines)) from exc
