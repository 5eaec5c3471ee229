"""Slack: installations (a workspace belongs to FS INGE or to a municipality) and received
deliveries (commands, events, button clicks), stored before Slack is acknowledged."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

from service.models.base import TZDateTime, utcnow


class SlackInstallation(SQLModel, table=True):
    __tablename__ = "slack_installations"

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=50, unique=True)
    name: str = Field(default="", max_length=200)
    # None: FS INGE's own workspace (advisors); otherwise the municipality that uses it
    municipality_id: int | None = Field(
        default=None, foreign_key="municipalities.id", ondelete="CASCADE"
    )
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(TZDateTime, nullable=False)
    )


class DeliveryStatus(StrEnum):
    NEW = "neu"
    DONE = "erledigt"
    FAILED = "fehlgeschlagen"


class SlackDelivery(SQLModel, table=True):
    """One request from Slack; `key` (event id, trigger id …) makes retries idempotent."""

    __tablename__ = "slack_deliveries"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)
    kind: str = Field(max_length=20)  # frage | status | weiterleiten | uebernehmen
    team_id: str = Field(default="", max_length=50)
    user_id: str = Field(default="", max_length=50)
    channel_id: str = Field(default="", max_length=50)
    thread_ts: str | None = Field(default=None, max_length=50)
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: str = Field(default=DeliveryStatus.NEW.value, max_length=20)
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    question_id: int | None = Field(default=None, foreign_key="questions.id", ondelete="SET NULL")
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(TZDateTime, nullable=False)
    )
