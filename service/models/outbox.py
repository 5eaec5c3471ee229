"""Messages waiting to leave INGE (e-mail, Slack); written in the same transaction as the
change they report, sent by the worker afterwards."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

from service.models.base import TZDateTime, utcnow


class OutboxStatus(StrEnum):
    PENDING = "wartend"
    SENDING = "in Zustellung"  # claimed by a worker until `lease_until`
    SENT = "gesendet"
    FAILED = "fehlgeschlagen"  # dead letter: permanent error or the last try failed


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox_messages"

    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int | None = Field(
        default=None, foreign_key="municipalities.id", index=True, ondelete="CASCADE"
    )
    channel: str = Field(max_length=20)  # email | slack
    recipient: str = Field(max_length=320)
    subject: str = Field(default="", max_length=300)
    body: str = Field(sa_column=Column(Text, nullable=False))
    thread_ref: str | None = Field(default=None, max_length=500)
    purpose: str = Field(default="", max_length=50)  # answer | reminder | digest | report
    question_id: int | None = Field(default=None, foreign_key="questions.id", ondelete="SET NULL")
    status: str = Field(default=OutboxStatus.PENDING.value, max_length=20, index=True)
    attempts: int = 0
    next_attempt_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(TZDateTime, nullable=False, index=True)
    )
    lease_until: datetime | None = Field(default=None, sa_column=Column(TZDateTime, nullable=True))
    message_id: str | None = Field(default=None, max_length=300)  # stable across retries
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(TZDateTime, nullable=False)
    )
    sent_at: datetime | None = Field(default=None, sa_column=Column(TZDateTime, nullable=True))
