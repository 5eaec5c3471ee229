"""Settings edited in the web UI (installation-wide); secrets are stored encrypted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from service.models.base import TZDateTime, utcnow


class StoredSetting(SQLModel, table=True):
    __tablename__ = "stored_settings"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=100, unique=True)
    value: str = Field(sa_column=Column(Text, nullable=False))  # Fernet token for secrets
    secret: bool = False
    updated_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(TZDateTime, nullable=False)
    )
