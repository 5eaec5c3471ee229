from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from service.models.base import TZDateTime, utcnow


class CheckRunStatus(StrEnum):
    """State of one check of a Vorlage; values are the German words users see."""

    PENDING = "ausstehend"
    DONE = "geprüft"
    FINAL = "abgeschlossen"
    FAILED = "fehlgeschlagen"


class CheckRun(SQLModel, table=True):
    """The resolution checklist run on one Vorlage against one goal set version."""

    __tablename__ = "check_runs"

    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipalities.id", index=True, ondelete="CASCADE")
    document_id: int = Field(foreign_key="documents.id", index=True, ondelete="CASCADE")
    goal_set_id: int | None = Field(
        default=None, foreign_key="goal_sets.id", index=True, ondelete="SET NULL"
    )
    goal_set_version: int | None = None
    checklist_version: str = Field(default="", max_length=20)
    software_version: str = Field(default="", max_length=20)
    status: str = Field(default=CheckRunStatus.PENDING.value, max_length=20, index=True)
    error_message: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    insek_relevant: bool | None = None
    relevance_score: float | None = None
    fields: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    goals: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    # similar earlier Vorlagen that informed the ranking: [{"check_run_id", "title", "answer",
    # "similarity"}]
    precedents: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    # the municipality's own answer at finalising ("INSEK-relevant? Handlungsfeld?"): a field
    # name of the goal set, "ja" (relevant, no single field) or "nein"; precedents for later runs
    answer: str | None = Field(default=None, max_length=300)
    title: str = Field(default="", max_length=500)
    reference: str | None = Field(default=None, max_length=100)
    created_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(TZDateTime, nullable=False)
    )
    checked_at: datetime | None = Field(default=None, sa_column=Column(TZDateTime, nullable=True))
    finalized_at: datetime | None = Field(default=None, sa_column=Column(TZDateTime, nullable=True))
    finalized_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")


class CheckItem(SQLModel, table=True):
    """One point of the checklist: the computed result and what the clerk confirmed."""

    __tablename__ = "check_items"
    __table_args__ = (UniqueConstraint("check_run_id", "check_id"),)

    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipalities.id", index=True, ondelete="CASCADE")
    check_run_id: int = Field(foreign_key="check_runs.id", index=True, ondelete="CASCADE")
    position: int = 0
    check_id: str = Field(max_length=20)
    requirement: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(max_length=20)
    explanation: str = Field(sa_column=Column(Text, nullable=False))
    evidence: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    confirmed_status: str | None = Field(default=None, max_length=20)
    override_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    confirmed_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    confirmed_at: datetime | None = Field(default=None, sa_column=Column(TZDateTime, nullable=True))
