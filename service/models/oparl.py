"""OParl: where a municipality's council information system is, and what INGE imported."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from service.models.base import TZDateTime, utcnow


class OParlSource(SQLModel, table=True):
    __tablename__ = "oparl_sources"

    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipalities.id", unique=True, ondelete="CASCADE")
    body_url: str = Field(max_length=1000)
    paper_types: list[str] = Field(
        default_factory=lambda: ["Beschlussvorlage"], sa_column=Column(JSON, nullable=False)
    )
    interval_minutes: int = 60
    last_sync_started: datetime | None = Field(
        default=None, sa_column=Column(TZDateTime, nullable=True)
    )
    last_sync_ok: datetime | None = Field(default=None, sa_column=Column(TZDateTime, nullable=True))
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class OParlPaper(SQLModel, table=True):
    """One imported Paper; `documents` keeps every imported version (newest last)."""

    __tablename__ = "oparl_papers"
    __table_args__ = (UniqueConstraint("municipality_id", "oparl_id"),)

    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipalities.id", index=True, ondelete="CASCADE")
    oparl_id: str = Field(max_length=1000)
    reference: str | None = Field(default=None, max_length=200)
    name: str = Field(default="", sa_column=Column(Text, nullable=False))
    paper_type: str | None = Field(default=None, max_length=200)
    modified: str | None = Field(default=None, max_length=50)
    deleted: bool = False
    meeting_start: datetime | None = Field(
        default=None, sa_column=Column(TZDateTime, nullable=True)
    )
    file_url: str | None = Field(default=None, max_length=1000)
    file_sha1: str | None = Field(default=None, max_length=64)
    documents: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    history: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(TZDateTime, nullable=False)
    )
