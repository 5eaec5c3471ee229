"""JSON shapes of documents in the API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from service.models import Document, Municipality


class DocumentOut(BaseModel):
    id: int
    municipality: str = Field(description="AGS der Kommune")
    municipality_name: str
    kind: str = Field(description="insek | beschlussvorlage | other")
    title: str
    original_filename: str
    media_type: str
    size_bytes: int
    sha256: str
    status: str = Field(description="hochgeladen | in Verarbeitung | verarbeitet | fehlgeschlagen")
    error: str | None = Field(description="Fehlermeldung auf Deutsch, wenn fehlgeschlagen")
    page_count: int | None
    text_length: int | None
    created_at: datetime
    updated_at: datetime
    processed_at: datetime | None

    @classmethod
    def build(cls, document: Document, municipality: Municipality) -> DocumentOut:
        assert document.id is not None
        return cls(
            id=document.id,
            municipality=municipality.ags,
            municipality_name=municipality.name,
            kind=document.kind,
            title=document.title,
            original_filename=document.original_filename,
            media_type=document.media_type,
            size_bytes=document.size_bytes,
            sha256=document.sha256,
            status=document.status,
            error=document.error_message,
            page_count=document.page_count,
            text_length=document.text_length,
            created_at=document.created_at,
            updated_at=document.updated_at,
            processed_at=document.processed_at,
        )


class DocumentPageOut(BaseModel):
    items: list[DocumentOut]
    total: int
    limit: int
    offset: int
