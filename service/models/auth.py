from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from service.models.base import TZDateTime, utcnow


class WebSession(SQLModel, table=True):
    """A server-side login session; the cookie holds a random token, we keep its hash."""

    __tablename__ = "web_sessions"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(TZDateTime, nullable=False)
    )
    expires_at: datetime = Field(sa_column=Column(TZDateTime, nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(TZDateTime, nullable=True))


class ApiToken(SQLModel, table=True):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    name: str = Field(default="", max_length=200)
    prefix: str = Field(max_length=16)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(TZDateTime, nullable=False)
    )
    last_used_at: datetime | None = Field(default=None, sa_column=Column(TZDateTime, nullable=True))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(TZDateTime, nullable=True))


class LoginAttempt(SQLModel, table=True):
    """Failed and successful logins, for throttling by e-mail address and by client address."""

    __tablename__ = "login_attempts"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, index=True)
    client_ip: str = Field(max_length=64, index=True)
    succeeded: bool = Field(default=False)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(TZDateTime, nullable=False, index=True)
    )
