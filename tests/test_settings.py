import pytest
from pydantic import ValidationError

from app.config import (
    DEFAULT_JWT_SECRET,
    DEV_DOCUMENT_KEY,
    DEV_MATCHING_KEY,
    Settings,
    SettingsError,
    load_settings,
)

# Fernet keys of the tests' own (Fernet.generate_key()), for the production settings
WEBHOOK_KEY = "3q7rxDfsUN9dHbeRn0O2Pm1PfL5uxSHbNHT5dD81wj8="
SECOND_KEY = "M8n6JsCnLbxjSEdF0PjAyJEvYdxuzJVw2rCTwMeFqIU="


PRODUCTION = {
    "env": "production",
    "jwt_secret": "p" * 48,
    "scme_base_url": "https://scme.example",
    "webhook_secret_keys": WEBHOOK_KEY,
    "matching_key": "m" * 40,
    "document_keys": "ZG9jdW1lbnRzLWtleS1vZi10aGUtdGVzdHMtb25seSE=",
    "frontend_url": "https://cases.example",
}


def test_production_refuses_the_default_secret() -> None:
    with pytest.raises(ValidationError, match="APP_JWT_SECRET"):
        Settings(**(PRODUCTION | {"jwt_secret": DEFAULT_JWT_SECRET}))  # type: ignore[arg-type]


@pytest.mark.parametrize("key", [None, DEV_MATCHING_KEY, "short"])
def test_production_refuses_a_matching_key_that_is_not_private(key: str | None) -> None:
    with pytest.raises(ValidationError, match="APP_MATCHING_KEY"):
        Settings(**(PRODUCTION | {"matching_key": key}))  # type: ignore[arg-type]


@pytest.mark.parametrize("keys", [None, DEV_DOCUMENT_KEY])
def test_production_refuses_document_keys_that_are_not_private(keys: str | None) -> None:
    with pytest.raises(ValidationError, match="APP_DOCUMENT_KEYS"):
        Settings(**(PRODUCTION | {"document_keys": keys}))  # type: ignore[arg-type]


@pytest.mark.parametrize("keys", ["not base64!", "c2hvcnQ=", f"{DEV_DOCUMENT_KEY},c2hvcnQ="])
def test_a_document_key_is_32_bytes_base64(keys: str) -> None:
    with pytest.raises(ValidationError, match="32 random bytes"):
        Settings(document_keys=keys)  # type: ignore[arg-type]


def test_the_matching_secret_is_the_key_set_or_the_development_one() -> None:
    assert Settings(matching_key="k" * 40).matching_secret == b"k" * 40  # type: ignore[arg-type]
    assert Settings().matching_secret == DEV_MATCHING_KEY.encode()


def test_production_starts_with_a_private_secret() -> None:
    settings = Settings(**PRODUCTION)  # type: ignore[arg-type]
    assert settings.access_token_ttl.total_seconds() <= 900


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"scme_base_url": "http://scme.example"}, "APP_SCME_BASE_URL"),
        ({"webhook_allow_http": True}, "APP_WEBHOOK_ALLOW_HTTP"),
    ],
)
def test_production_sends_names_over_https_only(overrides: dict[str, object], named: str) -> None:
    with pytest.raises(ValidationError, match=named):
        Settings(**(PRODUCTION | overrides))  # type: ignore[arg-type]


def test_the_scme_token_is_never_printed() -> None:
    settings = Settings(scme_token="issued-by-scme-0001")  # type: ignore[arg-type]
    assert "issued-by-scme-0001" not in repr(settings)


def test_settings_come_from_app_prefixed_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_DATABASE_URL", "sqlite+aiosqlite:///elsewhere.db")
    monkeypatch.setenv("APP_CORS_ORIGINS", '["https://frontend.example"]')
    settings = Settings()
    assert settings.database_url == "sqlite+aiosqlite:///elsewhere.db"
    assert settings.cors_origins == ["https://frontend.example"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"access_token_minutes": 16},
        {"jwt_secret": "too-short"},
        {"max_body_bytes": 10},
        {"timezone": "Mars/Olympus"},
    ],
)
def test_unsafe_or_broken_settings_are_refused(overrides: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Settings(**overrides)  # type: ignore[arg-type]


SECRET = "a-secret-nobody-may-see"


def test_a_wrong_setting_is_one_line_that_names_it_and_not_its_value() -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings(jwt_secret=SECRET, access_token_minutes=99, database_url=SECRET)
    message = str(refused.value.code)
    assert message.count("\n") == 0
    assert "APP_JWT_SECRET" in message and "APP_ACCESS_TOKEN_MINUTES" in message
    assert SECRET not in message and SECRET[-6:] not in message
    assert refused.value.__cause__ is None and refused.value.__suppress_context__


def test_production_without_https_scme_says_so_in_one_line() -> None:
    with pytest.raises(SettingsError, match="APP_SCME_BASE_URL must be HTTPS"):
        load_settings(
            env="production",
            jwt_secret="p" * 48,
            webhook_secret_keys=WEBHOOK_KEY,
            matching_key="m" * 40,
            document_keys=PRODUCTION["document_keys"],
            frontend_url=PRODUCTION["frontend_url"],
        )


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        ({"smtp_security": "none"}, "APP_SMTP_SECURITY=none is for development only"),
        ({"frontend_url": "http://cases.example"}, "APP_FRONTEND_URL must be HTTPS"),
    ],
)
def test_production_sends_reminders_over_tls_with_https_links(
    change: dict[str, str], refusal: str
) -> None:
    with pytest.raises(SettingsError, match=refusal):
        load_settings(**(PRODUCTION | change))


@pytest.mark.parametrize(
    "keys",
    [
        None,
        "",
        " , ",
        Settings.dev_webhook_secret_key(),
        f"{WEBHOOK_KEY},{Settings.dev_webhook_secret_key()}",
    ],
)
def test_production_refuses_to_start_without_private_webhook_keys(keys: str | None) -> None:
    settings = PRODUCTION | {"webhook_secret_keys": keys}
    with pytest.raises(SettingsError, match="APP_WEBHOOK_SECRET_KEYS must be set") as refused:
        load_settings(**settings)
    assert str(refused.value.code).count("\n") == 0


def test_a_webhook_key_that_is_not_a_fernet_key_is_named_and_not_shown() -> None:
    with pytest.raises(SettingsError, match="APP_WEBHOOK_SECRET_KEYS") as refused:
        load_settings(webhook_secret_keys=f"{WEBHOOK_KEY},not-a-key-{SECRET}")
    assert SECRET not in str(refused.value.code) and WEBHOOK_KEY not in str(refused.value.code)


def test_the_webhook_keys_in_order_the_first_encrypts() -> None:
    settings = Settings(webhook_secret_keys=f" {SECOND_KEY} , {WEBHOOK_KEY}")  # type: ignore[arg-type]
    assert settings.webhook_secret_key_list == [SECOND_KEY, WEBHOOK_KEY]
    assert SECOND_KEY not in repr(settings) and WEBHOOK_KEY not in str(settings.model_dump())
    # development and tests without keys: the development key
    assert Settings().webhook_secret_key_list == [Settings.dev_webhook_secret_key()]


def test_the_jwt_secret_is_never_printed() -> None:
    settings = Settings(jwt_secret="q" * 40)  # type: ignore[arg-type]
    assert "q" * 40 not in repr(settings) and "q" * 40 not in str(settings.model_dump())


def test_the_database_url_with_its_password_is_never_printed() -> None:
    settings = Settings(database_url="postgresql+asyncpg://app:pw-nobody-sees@db/cases")
    assert "pw-nobody-sees" not in repr(settings)
