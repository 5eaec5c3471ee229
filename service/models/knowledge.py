"""The knowledge base of "Frag doch INGE": imported guidance, approved FAQ, text modules."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from service.models.base import TZDateTime, utcnow


class KnowledgeSource(SQLModel, table=True):
    """One imported document of guidance (state-wide, not tenant-owned)."""

    __tablename__ = "knowledge_sources"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)  # file name; re-importing replaces it
    title: str = Field(max_length=300)
    sha256: str = Field(max_length=64)
    passages: int = 0
    imported_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(TZDateTime, nullable=False)
    )


class KnowledgePassage(SQLModel, table=True):
    __tablename__ = "knowledge_passages"

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="knowledge_sources.id", index=True, ondelete="CASCADE")
    position: int = 0
    section: str | None = Field(default=None, max_length=500)
    page: int | None = None
    start_line: int = 0
    end_line: int = 0
    text: str = Field(sa_column=Column(Text, nullable=False))


class FaqEntry(SQLModel, table=True):
    """An advisor-approved answer, searchable by everyone (state-wide)."""

    __tablename__ = "faq_entries"

    id: int | None = Field(default=None, primary_key=True)
    question: str = Field(sa_column=Column(Text, nullable=False))
    answer: str = Field(sa_column=Column(Text, nullable=False))
    source_question_id: int | None = Field(
        default=None, foreign_key="questions.id", ondelete="SET NULL"
    )
    approved_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(TZDateTime, nullable=False)
    )


class TextModule(SQLModel, table=True):
    """A Textbaustein of FS INGE for answers."""

    __tablename__ = "text_modules"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(TZDateTime, nullable=False)
    )
