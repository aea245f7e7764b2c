"""All settings in one place, read from the environment (prefix ``APP_``)."""

import base64
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_JWT_SECRET = "dev-only-secret-change-me-0123456789abcdef"  # noqa: S105 - refused in production
DEV_MATCHING_KEY = "dev-only-matching-key-0123456789abcdef"  # refused in production
DEV_DOCUMENT_KEY = "ZGV2LW9ubHktZG9jdW1lbnQta2V5LW5vdC1zZWNyZXQ="  # refused in production


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="APP_", env_file=".env", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    # may carry a password: never shown in a repr or an error (load_settings)
    database_url: str = Field("sqlite+aiosqlite:///./data/app.db", repr=False)
    database_echo: bool = False
    # connections kept open per process (PostgreSQL): as many as requests it serves at once
    database_pool_size: int = Field(20, ge=1, le=200)
    # a database that does not answer fails a request within these, with 503: never a hang
    database_connect_timeout_seconds: float = Field(3.0, gt=0, le=60)
    database_command_timeout_seconds: float = Field(10.0, gt=0, le=600)
    database_pool_timeout_seconds: float = Field(3.0, gt=0, le=60)

    jwt_secret: SecretStr = SecretStr(DEFAULT_JWT_SECRET)
    jwt_issuer: str = "vot-case-management"
    jwt_audience: str = "vot-case-management-api"
    access_token_minutes: int = Field(15, ge=1, le=15)
    refresh_token_days: int = Field(14, ge=1, le=90)

    cors_origins: list[str] = []
    # the reverse proxies whose X-Forwarded-For / -Proto are believed (addresses or networks,
    # comma-separated; `python -m app serve`): none by default, so no caller forges its address
    trusted_proxies: str = ""
    max_body_bytes: int = Field(1024 * 1024, ge=1024)
    timezone: str = "UTC"
    redis_url: str | None = None

    # the State Committee for Migration and Employment's job-referral service (the default is
    # the fake one `python -m app fake-scme` serves for development)
    scme_base_url: str = "http://127.0.0.1:8900"
    scme_token: SecretStr | None = Field(None, description="Bearer credential SCME issued us.")
    # the outbox: how messages leave the system (python -m app worker, or in-process)
    outbox_in_process: bool = False
    outbox_timeout_seconds: float = Field(5.0, gt=0, le=60)
    outbox_max_attempts: int = Field(8, ge=1, le=50)
    outbox_backoff_seconds: float = Field(2.0, gt=0)
    outbox_backoff_max_seconds: float = Field(900.0, gt=0)
    outbox_poll_seconds: float = Field(1.0, gt=0)
    outbox_batch_size: int = Field(20, ge=1, le=200)
    # development and tests only: partner endpoints are HTTPS on public hosts
    webhook_allow_http: bool = False
    # --- webhook secrets at rest: Fernet keys, comma-separated; the first encrypts, each one
    # decrypts. Rotation: put a new key first, restart the workers (each re-encrypts every
    # stored secret under the first key as it starts), then drop the old key. Required in
    # production; development and tests fall back on a fixed key that production refuses.
    webhook_secret_keys: SecretStr | None = None

    @field_validator("webhook_secret_keys")
    @classmethod
    def _fernet_keys(cls, value: SecretStr | None) -> SecretStr | None:
        from cryptography.fernet import Fernet

        keys = [k.strip() for k in (value.get_secret_value() if value else "").split(",")]
        for key in filter(None, keys):
            try:
                Fernet(key)
            except ValueError:
                raise ValueError("each key is 32 url-safe base64-encoded bytes") from None
        return SecretStr(",".join(filter(None, keys))) if any(keys) else None

    @model_validator(mode="after")
    def _private_webhook_keys_in_production(self) -> "Settings":
        if self.env == "production" and (
            self.webhook_secret_keys is None
            or self.dev_webhook_secret_key() in self.webhook_secret_key_list
        ):
            raise ValueError(
                "APP_WEBHOOK_SECRET_KEYS must be set to private Fernet keys in production "
                "(python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())')"
            )
        return self

    @staticmethod
    def dev_webhook_secret_key() -> str:
        """Development and tests only: a secret stored under it is as good as plain text."""
        return "ZGV2LW9ubHktd2ViaG9vay1rZXktbm90LXNlY3JldCE="

    @property
    def webhook_secret_key_list(self) -> list[str]:
        """The keys, the one that encrypts first (the development key when none is set)."""
        if self.webhook_secret_keys is None:
            return [self.dev_webhook_secret_key()]
        return self.webhook_secret_keys.get_secret_value().split(",")

    # --- end of the webhook secrets' settings

    # the key of the matching hashes (issue 17: names and birth dates are kept for matching
    # only as HMACs under it). Required in production; changing it needs
    # `python -m app matching rekey`, which makes every person's keys again.
    matching_key: SecretStr | None = None
    # the largest spreadsheet an import takes, and its rows
    import_max_bytes: int = Field(5 * 1024 * 1024, ge=1024)
    import_max_rows: int = Field(20_000, ge=1)

    @model_validator(mode="after")
    def _private_matching_key_in_production(self) -> "Settings":
        key = self.matching_key.get_secret_value() if self.matching_key else ""
        if self.env == "production" and (len(key) < 32 or key == DEV_MATCHING_KEY):
            raise ValueError(
                "APP_MATCHING_KEY must be set to a private value of at least 32 characters "
                "in production (openssl rand -hex 32)"
            )
        return self

    @property
    def matching_secret(self) -> bytes:
        """The HMAC key of the matching hashes (the development key when none is set)."""
        key = self.matching_key.get_secret_value() if self.matching_key else DEV_MATCHING_KEY
        return key.encode()

    # --- documents (issue 18): encrypted at rest, outside the database. Each file has a key of
    # its own (AES-256-GCM), kept wrapped by one of these keys: base64 of 32 random bytes,
    # comma-separated, the first wraps new files, the others still unwrap older ones (rotation:
    # put a new key first, run `python -m app documents rewrap`, then drop the old one).
    document_keys: SecretStr | None = None
    document_store: Literal["local", "s3"] = "local"
    document_dir: Path = Path("data/documents")  # the local store's folder
    # the S3 store: a bucket, and an S3-compatible endpoint (None: AWS itself); credentials
    # from the AWS SDK's own chain unless given here
    document_s3_bucket: str = "documents"
    document_s3_endpoint_url: str | None = None
    document_s3_region: str = "us-east-1"
    document_s3_access_key_id: str | None = None
    document_s3_secret_access_key: SecretStr | None = None

    @field_validator("document_keys")
    @classmethod
    def _document_keys(cls, value: SecretStr | None) -> SecretStr | None:
        keys = [k.strip() for k in (value.get_secret_value() if value else "").split(",")]
        for key in filter(None, keys):
            try:
                decoded = base64.b64decode(key, validate=True)
            except ValueError:
                decoded = b""
            if len(decoded) != 32:
                raise ValueError("each key is 32 random bytes, base64-encoded")
        return SecretStr(",".join(filter(None, keys))) if any(keys) else None

    @model_validator(mode="after")
    def _private_document_keys_in_production(self) -> "Settings":
        if self.env == "production" and (
            self.document_keys is None or DEV_DOCUMENT_KEY in self.document_key_list
        ):
            raise ValueError(
                "APP_DOCUMENT_KEYS must be set to private keys in production "
                "(python -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')"
            )
        return self

    @property
    def document_key_list(self) -> list[str]:
        """The keys, the one that wraps new files first (the development key when none is set)."""
        if self.document_keys is None:
            return [DEV_DOCUMENT_KEY]
        return self.document_keys.get_secret_value().split(",")

    # --- reminders (issue 19): the daily digest, sent by the outbox worker by email. Its links
    # point into the frontend; the mail server is reached over TLS (STARTTLS on the submission
    # port, or TLS from the start on 465), with a private CA's certificate if it has one.
    frontend_url: str = "http://localhost:3000"
    smtp_host: str = "localhost"
    smtp_port: int = Field(587, ge=1, le=65535)
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = Field(None, repr=False)
    smtp_ca_file: Path | None = None
    smtp_sender: str = "reminders@localhost"

    @model_validator(mode="after")
    def _encrypted_mail_in_production(self) -> "Settings":
        if self.env == "production" and self.smtp_security == "none":
            raise ValueError("APP_SMTP_SECURITY=none is for development only")
        if self.env == "production" and not self.frontend_url.startswith("https://"):
            raise ValueError("APP_FRONTEND_URL must be HTTPS in production")
        return self

    # login throttling as OWASP advises (services/login_throttle.py): failures from one
    # address, a username's failures from one address, and a ceiling on a username's failures
    # from all addresses together, high enough that it is no tool for locking the owner out
    login_window_minutes: int = 15
    login_max_failures_per_address: int = 20
    login_max_failures_per_username_and_address: int = Field(5, ge=1)
    login_max_failures_per_account: int = Field(100, ge=1)
    idempotency_retention_hours: int = Field(24, ge=24)

    @field_validator("scme_token", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("jwt_secret")
    @classmethod
    def _long_secret(cls, value: SecretStr) -> SecretStr:
        if len(value.get_secret_value()) < 32:
            raise ValueError("must be at least 32 characters (openssl rand -hex 32)")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("is not a known IANA time zone (such as Asia/Bishkek)") from exc
        return value

    @model_validator(mode="after")
    def _refuse_default_secret_in_production(self) -> "Settings":
        if self.env == "production" and self.jwt_secret.get_secret_value() == DEFAULT_JWT_SECRET:
            raise ValueError("APP_JWT_SECRET must be set to a private value in production")
        return self

    @model_validator(mode="after")
    def _encrypted_exchange_in_production(self) -> "Settings":
        if self.env != "production":
            return self
        if self.webhook_allow_http:
            raise ValueError("APP_WEBHOOK_ALLOW_HTTP is for development only")
        if not self.scme_base_url.startswith("https://"):
            raise ValueError("APP_SCME_BASE_URL must be HTTPS in production: it carries names")
        return self

    @property
    def outbox_lease(self) -> timedelta:
        """How long a worker holds a claimed message: its send's timeout, and a margin."""
        return timedelta(seconds=2 * self.outbox_timeout_seconds + 30)

    @property
    def access_token_ttl(self) -> timedelta:
        return timedelta(minutes=self.access_token_minutes)

    @property
    def refresh_token_ttl(self) -> timedelta:
        return timedelta(days=self.refresh_token_days)

    @property
    def login_window(self) -> timedelta:
        return timedelta(minutes=self.login_window_minutes)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class SettingsError(SystemExit):
    """Settings the service cannot start with: one line per setting, naming it (as its
    environment variable) and never its value, which may be a secret. Exits without a
    traceback wherever the settings are read (the API, the CLI, the migrations)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("Invalid settings: " + "; ".join(problems))


def _problems(error: ValidationError) -> list[str]:
    found = []
    for item in error.errors(include_input=False, include_url=False):
        message = str(item["msg"]).removeprefix("Value error, ")
        names = [f"APP_{part}".upper() for part in item["loc"] if isinstance(part, str)]
        found.append(f"{names[0]}: {message}" if names else message)
    return found


def load_settings(**overrides: object) -> Settings:
    """The settings from the environment, or a SettingsError that names what is wrong."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        raise SettingsError(_problems(error)) from None


@lru_cache
def get_settings() -> Settings:
    return load_settings()
