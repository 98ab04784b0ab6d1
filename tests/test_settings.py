"""The one Settings object: defaults, derived URLs, and what it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from lgurban.settings import InvalidSettings, Settings, is_loopback_host, load_settings, to_async_url

GOOD_KEY = "k" * 40


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The settings under test come from the test, not from the shell that runs it."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)


def make(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def test_defaults_are_the_embedded_shape(tmp_path: Path) -> None:
    s = make(data_dir=tmp_path)
    assert s.auth_mode == "local"
    assert s.host == "127.0.0.1"
    assert s.resolved_database_url == f"sqlite+aiosqlite:///{(tmp_path / 'lgurban.sqlite').resolve()}"
    assert s.is_sqlite
    assert s.resolved_checkpoint_url == str((tmp_path / "checkpoints.sqlite").resolve())
    assert s.resolved_storage_dir == (tmp_path / "store").resolve()


def test_postgres_urls_are_normalised_and_the_checkpointer_follows() -> None:
    s = make(database_url="postgres://u:p@db:5432/app")
    assert s.resolved_database_url == "postgresql+asyncpg://u:p@db:5432/app"
    assert not s.is_sqlite
    assert s.resolved_checkpoint_url == "postgresql://u:p@db:5432/app"
    tls = make(database_url="postgresql://u:p@db.rds.example:5432/app?sslmode=require")
    assert tls.resolved_database_url == "postgresql+asyncpg://u:p@db.rds.example:5432/app?ssl=require"
    assert tls.resolved_checkpoint_url == "postgresql://u:p@db.rds.example:5432/app?sslmode=require"
    explicit = make(database_url="postgresql://db/app", langgraph_checkpoint_db_url="postgresql://other/cp")
    assert explicit.resolved_checkpoint_url == "postgresql://other/cp"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://h/d", "postgresql+asyncpg://h/d"),
        ("postgresql+psycopg://h/d", "postgresql+asyncpg://h/d"),
        ("postgresql+asyncpg://h/d", "postgresql+asyncpg://h/d"),
        ("sqlite:///x.db", "sqlite+aiosqlite:///x.db"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db"),
        ("postgresql://h/d?sslmode=require", "postgresql+asyncpg://h/d?ssl=require"),
        (
            "postgres://h/d?application_name=x&sslmode=verify-full",
            "postgresql+asyncpg://h/d?application_name=x&ssl=verify-full",
        ),
    ],
)
def test_to_async_url(url: str, expected: str) -> None:
    assert to_async_url(url) == expected


def test_environment_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", "http://a.example, http://b.example")
    monkeypatch.setenv("AUTH_MODE", "token")
    monkeypatch.setenv("PORT", "9001")
    s = make()
    assert s.cors_origins == ["http://a.example", "http://b.example"]
    assert s.auth_mode == "token"
    assert s.port == 9001


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("AUTH_MODE=token\nLLM_TEMPERATURE=0.5\n")
    s = Settings(_env_file=env)  # type: ignore[call-arg]
    assert s.auth_mode == "token"
    assert s.llm_temperature == 0.5


@pytest.mark.parametrize("key", [None, "", "change-me", "CHANGEME", "secret", "short-but-random-x9"])
def test_placeholder_secret_refused_in_production(key: str | None) -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY must be set"):
        make(environment="production", secret_key=key)


def test_load_settings_names_each_bad_setting_and_never_its_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "not-a-port-x7")
    with pytest.raises(InvalidSettings) as raised:
        load_settings(auth_mode="token")
    message = str(raised.value)
    assert message.startswith("Invalid configuration:\n  PORT: ")
    assert "not-a-port-x7" not in message
    monkeypatch.delenv("PORT")
    assert load_settings(port=9002, auth_mode="token").port == 9002


def test_real_secret_accepted_in_production_and_placeholders_fine_in_development(tmp_path: Path) -> None:
    assert make(environment="production", secret_key=GOOD_KEY).signing_key() == GOOD_KEY.encode()
    dev = make(environment="development", secret_key="change-me", data_dir=tmp_path)
    assert dev.environment == "development"


def test_development_signing_key_is_random_and_kept(tmp_path: Path) -> None:
    first = make(data_dir=tmp_path).signing_key()
    assert len(first) >= 32
    assert make(data_dir=tmp_path).signing_key() == first
    assert (tmp_path / ".secret_key").stat().st_mode & 0o777 == 0o600


def test_secrets_do_not_show_in_repr() -> None:
    s = make(secret_key=GOOD_KEY, openai_api_key="sk-top-secret")
    assert GOOD_KEY not in repr(s)
    assert "sk-top-secret" not in repr(s)


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost", "127.0.0.2"])
def test_loopback_hosts(host: str) -> None:
    assert is_loopback_host(host)
    make(auth_mode="local").check_bind(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "example.invalid"])
def test_local_auth_refused_on_other_addresses(host: str) -> None:
    assert not is_loopback_host(host)
    with pytest.raises(ValueError, match="AUTH_MODE=token"):
        make(auth_mode="local").check_bind(host)
    make(auth_mode="token").check_bind(host)  # with tokens any address is fine


ROOT = Path(__file__).resolve().parents[1]


def _default_text(name: str) -> str:
    field = Settings.model_fields[name]
    value = field.default_factory() if field.default_factory else field.default  # type: ignore[call-arg]
    return "" if value in (None, []) else str(value)


def test_readme_documents_every_setting_with_its_default() -> None:
    text = (ROOT / "README.md").read_text()
    table = text.split("<!-- settings:begin", 1)[1].split("<!-- settings:end -->", 1)[0]
    rows = {}
    for line in table.splitlines():
        if line.startswith("| `"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            rows[cells[0].strip("`")] = cells[1].strip("`")
    expected = {name.upper(): _default_text(name) for name in Settings.model_fields}
    missing = sorted(set(expected) - set(rows))
    assert not missing, f"add these settings to the README configuration table: {missing}"
    assert not sorted(set(rows) - set(expected)), "the README documents settings that do not exist"
    wrong = {k: (rows[k], v) for k, v in expected.items() if rows[k] != v}
    assert not wrong, f"README defaults differ from Settings (readme, code): {wrong}"


def test_env_example_lists_every_setting_and_changes_nothing(tmp_path: Path) -> None:
    text = (ROOT / ".env.example").read_text()
    listed = {
        line[2:].split("=", 1)[0] for line in text.splitlines() if line.startswith("# ") and "=" in line
    }
    missing = sorted({n.upper() for n in Settings.model_fields} - listed)
    assert not missing, f"add these settings to .env.example: {missing}"
    copied = tmp_path / ".env"
    copied.write_text(text)
    assert Settings(_env_file=copied) == Settings(_env_file=None)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"SIT_TILES_URL": "https://tiles.example/Ortofoto/{z}/{x}/{y}.png"}, "SIT_TILES_URL: Value error"),
        ({"SIT_TILES_URL": "https://tiles.example/{year}/{z}/{x}.png"}, "lacks {y}"),
        ({"SIT_ORTOFOTO_YEARS": ""}, "SIT_ORTOFOTO_YEARS: List should have at least 1 item"),
        ({"SIT_ORTOFOTO_YEARS": "2017,duemila"}, "SIT_ORTOFOTO_YEARS"),
    ],
)
def test_aerial_photo_settings_are_checked_at_start_up(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], needle: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(InvalidSettings) as raised:
        load_settings(_env_file=None)
    assert needle in str(raised.value), str(raised.value)


def test_aerial_photo_years_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIT_ORTOFOTO_YEARS", "2024, 2017")
    monkeypatch.setenv("SIT_TILES_URL", "http://127.0.0.1:9/{year}/{z}/{x}/{y}.png")
    settings = load_settings(_env_file=None)
    assert settings.sit_ortofoto_years == [2024, 2017]
    assert settings.sit_tiles_url == "http://127.0.0.1:9/{year}/{z}/{x}/{y}.png"
