"""Questions to FS INGE: the advisors' queue across all municipalities, with history."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

from service.models.base import TZDateTime, utcnow


class QuestionStatus(StrEnum):
    """Values are the German words users see."""

    NEW = "neu"
    IN_PROGRESS = "in Bearbeitung"
    QUERY = "Rückfrage an Kommune"
    ANSWERED = "beantwortet"
    CLOSED = "geschlossen"


OPEN_STATUSES = (QuestionStatus.NEW, QuestionStatus.IN_PROGRESS, QuestionStatus.QUERY)
OPEN_STATUS_VALUES = [s.value for s in OPEN_STATUSES]  # for SQL `IN`


class Channel(StrEnum):
    """Where a question came from; the answer goes back the same way."""

    WEB = "web"
    EMAIL = "email"
    SLACK = "slack"
    CHECK = "check"  # a finding of a resolution check

    @property
    def label(self) -> str:
        return {
            "web": "Web",
            "email": "E-Mail",
            "slack": "Slack",
            "check": "Prüfbefund",
        }[self.value]


class EventKind(StrEnum):
    CREATED = "erstellt"
    STATUS = "Status"
    ASSIGNED = "zugewiesen"
    NOTE = "interne Notiz"  # never sent to the municipality
    ANSWER = "Antwort"
    REPLY = "Nachricht der Kommune"
    CHANGED = "geändert"
    REMINDER = "Erinnerung"
    FAQ = "als FAQ übernommen"


# what the municipality sees of a question's history (notes and triage stay with FS INGE)
PUBLIC_EVENTS = frozenset(
    k.value for k in (EventKind.CREATED, EventKind.ANSWER, EventKind.REPLY, EventKind.STATUS)
)


class Question(SQLModel, table=True):
    __tablename__ = "questions"

    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipalities.id", index=True, ondelete="CASCADE")
    asker_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    asker_name: str = Field(default="", max_length=200)
    asker_address: str | None = Field(default=None, max_length=320)  # e-mail or Slack user id
    channel: str = Field(default=Channel.WEB.value, max_length=20, index=True)
    thread_ref: str | None = Field(default=None, max_length=500)  # Message-ID, Slack ts, …
    subject: str = Field(max_length=300)
    text: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default=QuestionStatus.NEW.value, max_length=30, index=True)
    assignee_id: int | None = Field(
        default=None, foreign_key="users.id", ondelete="SET NULL", index=True
    )
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    handlungsfeld: str | None = Field(default=None, max_length=300)
    document_id: int | None = Field(default=None, foreign_key="documents.id", ondelete="SET NULL")
    check_run_id: int | None = Field(
        default=None, foreign_key="check_runs.id", ondelete="SET NULL", index=True
    )
    check_item: str | None = Field(default=None, max_length=20)  # e.g. "INSEK-04"
    attachments: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    meeting_date: date | None = None
    due_date: date = Field(index=True)
    due_reason: str = Field(default="", max_length=200)
    inge_answered: bool = False  # INGE found passages that answer it
    suggestions: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    reminded_on: date | None = None
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(TZDateTime, nullable=False)
    )
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(TZDateTime, nullable=False)
    )
    answered_at: datetime | None = Field(default=None, sa_column=Column(TZDateTime, nullable=True))


class QuestionEvent(SQLModel, table=True):
    """One entry of a question's history: messages both ways, notes, status and assignment."""

    __tablename__ = "question_events"

    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipalities.id", index=True, ondelete="CASCADE")
    question_id: int = Field(foreign_key="questions.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=30)
    actor_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(TZDateTime, nullable=False)
    )
