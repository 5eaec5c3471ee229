"""One settings object for the whole service (environment prefix ``INGE_``)."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class UploadLimits(BaseModel):
    """Limits applied to every upload before anything is stored."""

    max_bytes: int = 50 * 1024 * 1024
    max_pages: int = 1500


class ExtractionSettings(BaseModel):
    """Resource limits of the child process that reads untrusted files."""

    cpu_seconds: int = 120
    memory_mb: int = 1536
    wall_seconds: float = 180.0


class QuestionSettings(BaseModel):
    """Service level of FS INGE (working days in Saxony) and reminder timing."""

    sla_working_days: int = Field(default=5, ge=1, le=60)
    remind_working_days_before: int = Field(default=1, ge=0, le=10)
    public_url: str = "http://127.0.0.1:8000"  # links in e-mails


class EmailSettings(BaseModel):
    """Outgoing mail (SMTP). Without `smtp_host`, mail stays in the outbox (visible, unsent)."""

    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_tls: bool = False
    smtp_timeout: float = 30.0
    from_address: str = "inge@localhost"
    from_name: str = "FS INGE"
    # built-in SMTP receiver for questions by e-mail (the organisation's MTA relays to it)
    inbound_host: str = "127.0.0.1"
    inbound_port: int | None = None
    inbound_max_bytes: int = Field(default=25 * 1024 * 1024, ge=1024)
    inbound_max_parts: int = Field(default=50, ge=1)
    max_attempts: int = Field(default=8, ge=1, le=50)
    retry_base_seconds: float = Field(default=30.0, gt=0)  # doubles per attempt, with jitter
    retry_max_seconds: float = Field(default=3600.0, gt=0)


class Settings(BaseSettings):
    """Service configuration; nested models are set as ``INGE_UPLOAD__MAX_BYTES`` etc."""

    model_config = SettingsConfigDict(
        env_prefix="INGE_", env_nested_delimiter="__", extra="ignore", validate_assignment=True
    )

    data_dir: Path = Path("./var")
    database_url: str | None = None
    redis_url: str | None = None
    queue_name: str = "inge:queue"
    secret_key: SecretStr | None = None
    admin_email: str | None = None
    admin_password: SecretStr | None = None
    session_hours: int = 12
    login_max_failures: int = 5
    login_window_minutes: int = 15
    job_max_tries: int = 5
    job_timeout_seconds: int = 600
    secure_cookies: bool = False
    log_level: str = "INFO"
    upload: UploadLimits = UploadLimits()
    extraction: ExtractionSettings = ExtractionSettings()
    questions: QuestionSettings = QuestionSettings()
    email: EmailSettings = EmailSettings()
    # the installation-wide Slack app (INGE_SLACK_SIGNING_SECRET, _BOT_TOKEN, _API_URL)
    slack_signing_secret: SecretStr | None = None
    slack_bot_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_advisors_channel: str | None = None  # channel id where new queue items are posted

    @property
    def resolved_database_url(self) -> str:
        """The configured database URL, or SQLite under the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'inge.sqlite3').resolve()}"

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    def resolved_secret_key(self) -> str:
        """The secret key; generated once and persisted under the data dir when not set."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        path = self.data_dir / "secret_key"
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        # O_EXCL: two processes starting at once must end up with the same key.
        try:
            with path.open("x", encoding="utf-8") as fh:
                fh.write(key)
            path.chmod(0o600)
        except FileExistsError:
            return path.read_text(encoding="utf-8").strip()
        return key


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment once."""
    return Settings()
