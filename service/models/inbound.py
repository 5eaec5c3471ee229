"""E-mail received by INGE's SMTP receiver, stored raw before it is accepted."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, LargeBinary, Text
from sqlmodel import Field, SQLModel

from service.models.base import TZDateTime, utcnow


class InboundStatus(StrEnum):
    NEW = "neu"
    DONE = "verarbeitet"
    IGNORED = "ignoriert"  # auto-reply, bulk, bounce, loop
    FAILED = "fehlgeschlagen"


class InboundMail(SQLModel, table=True):
    __tablename__ = "inbound_mails"

    id: int | None = Field(default=None, primary_key=True)
    envelope_from: str = Field(default="", max_length=320)
    envelope_to: str = Field(default="", max_length=1000)
    message_id: str | None = Field(default=None, max_length=500, index=True)
    raw: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    size_bytes: int = 0
    status: str = Field(default=InboundStatus.NEW.value, max_length=20, index=True)
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    question_id: int | None = Field(default=None, foreign_key="questions.id", ondelete="SET NULL")
    received_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(TZDateTime, nullable=False)
    )
