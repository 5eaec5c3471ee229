from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from service.models.base import TZDateTime, utcnow


class DocumentKind(StrEnum):
    INSEK = "insek"
    BESCHLUSSVORLAGE = "beschlussvorlage"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"insek": "INSEK / INGEKO", "beschlussvorlage": "Beschlussvorlage"}.get(
            self.value, "Sonstiges Dokument"
        )


class DocumentStatus(StrEnum):
    """Processing state; the values are the German words shown to users."""

    UPLOADED = "hochgeladen"
    PROCESSING = "in Verarbeitung"
    PROCESSED = "verarbeitet"
    FAILED = "fehlgeschlagen"


class Document(SQLModel, table=True):
    """An uploaded file of one municipality; the bytes live content-addressed in the blob store."""

    __tablename__ = "documents"

    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipalities.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=20)
    title: str = Field(max_length=300)
    original_filename: str = Field(max_length=300)
    media_type: str = Field(max_length=120)
    sha256: str = Field(max_length=64, index=True)
    size_bytes: int
    status: str = Field(default=DocumentStatus.UPLOADED.value, max_length=20, index=True)
    error_message: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    page_count: int | None = None
    text_length: int | None = None
    attempts: int = Field(default=0)
    uploaded_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(TZDateTime, nullable=False)
    )
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(TZDateTime, nullable=False)
    )
    processing_started_at: datetime | None = Field(
        default=None, sa_column=Column(TZDateTime, nullable=True)
    )
    processed_at: datetime | None = Field(default=None, sa_column=Column(TZDateTime, nullable=True))


class DocumentPage(SQLModel, table=True):
    """Extracted text of one page; ``start`` is the page's offset in the joined document text."""

    __tablename__ = "document_pages"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="documents.id", index=True, ondelete="CASCADE")
    municipality_id: int = Field(foreign_key="municipalities.id", index=True, ondelete="CASCADE")
    number: int
    start: int
    text: str = Field(sa_column=Column(Text, nullable=False))
