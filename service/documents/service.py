"""Uploading documents: validate by content, store content-addressed, enqueue extraction."""

from __future__ import annotations

import asyncio
import urllib.parse
from pathlib import Path

from sqlmodel import Session, col, func, select

from nlp.extract import DOCX, PDF, TXT, ExtractionLimits, inspect_document, sniff_media_type
from service.audit import record
from service.config import Settings
from service.errors import NotFound, UnsupportedMediaType, ValidationFailed
from service.jobs import enqueue_for_rows
from service.models import Document, DocumentKind, DocumentPage, DocumentStatus, Municipality
from service.storage import AsyncReadable, BlobStore, StagedBlob
from service.tenancy import Principal, scope

ACCEPTED_TYPES = {PDF: "PDF", DOCX: "Word (DOCX)", TXT: "Text"}


def extraction_limits(settings: Settings) -> ExtractionLimits:
    return ExtractionLimits(
        cpu_seconds=settings.extraction.cpu_seconds,
        memory_bytes=settings.extraction.memory_mb * 1024 * 1024,
        wall_seconds=settings.extraction.wall_seconds,
        max_pages=settings.upload.max_pages,
    )


def parse_kind(value: str | None) -> DocumentKind:
    try:
        return DocumentKind((value or "").strip())
    except ValueError:
        raise ValidationFailed(
            "Bitte wählen Sie die Art des Dokuments: insek, beschlussvorlage oder other.",
            code="kind",
        ) from None


async def create_document(
    session: Session,
    source: AsyncReadable,
    *,
    filename: str,
    kind: DocumentKind,
    municipality: Municipality,
    principal: Principal | None,
    settings: Settings,
) -> Document:
    """Store an upload and create its document row; extraction is enqueued for after commit.
    `principal` None: imported by INGE itself (OParl).

    Raises PayloadTooLarge (413), UnsupportedMediaType (415) or ValidationFailed (422) before
    anything is stored.
    """
    store = BlobStore(settings.blob_dir)
    staged = await store.stage(source, max_bytes=settings.upload.max_bytes)
    try:
        media_type = await _validate(staged, settings)
    except BaseException:
        store.discard(staged)
        raise
    store.keep(staged)
    document = _new_document(
        staged,
        media_type,
        filename=filename,
        kind=kind,
        municipality=municipality,
        principal=principal,
    )
    session.add(document)
    session.flush()
    assert document.id is not None
    record(
        session,
        actor_id=principal.user_id if principal else None,
        action="document.upload",
        object_type="document",
        object_id=document.id,
        municipality_id=municipality.id,
        details={"kind": kind.value, "status": document.status, "sha256": staged.sha256},
    )
    enqueue_for_rows(session, "process_document", document.id)
    return document


def _new_document(
    staged: StagedBlob,
    media_type: str,
    *,
    filename: str,
    kind: DocumentKind,
    municipality: Municipality,
    principal: Principal | None,
) -> Document:
    assert municipality.id is not None
    name = Path((filename or "dokument").replace("\x00", "")).name[:300] or "dokument"
    return Document(
        municipality_id=municipality.id,
        kind=kind.value,
        title=Path(name).stem[:300] or name,
        original_filename=name,
        media_type=media_type,
        sha256=staged.sha256,
        size_bytes=staged.size,
        uploaded_by_id=principal.user_id if principal else None,
    )


async def _validate(staged: StagedBlob, settings: Settings) -> str:
    """The media type of a staged upload, judged by content; page count checked for PDFs."""
    with staged.temp_path.open("rb") as fh:
        head = fh.read(8192)
    media_type = sniff_media_type(head, path=staged.temp_path)
    if media_type not in ACCEPTED_TYPES:
        raise UnsupportedMediaType(
            "Dieser Dateityp wird nicht unterstützt. Erlaubt sind PDF, Word (DOCX) und Text."
        )
    if media_type == PDF:
        info = await asyncio.to_thread(
            inspect_document, staged.temp_path, limits=extraction_limits(settings)
        )
        if info.page_count is not None and info.page_count > settings.upload.max_pages:
            raise ValidationFailed(
                f"Die PDF-Datei hat {info.page_count} Seiten; erlaubt sind höchstens "
                f"{settings.upload.max_pages}.",
                code="too_many_pages",
            )
    return media_type


def list_documents(
    session: Session,
    principal: Principal,
    *,
    municipality_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Document], int]:
    """A page of the documents the principal may see (newest first) and their total count."""
    query = scope(select(Document), Document, principal)
    count = scope(select(func.count()).select_from(Document), Document, principal)
    if municipality_id is not None:
        query = query.where(Document.municipality_id == municipality_id)
        count = count.where(Document.municipality_id == municipality_id)
    query = query.order_by(col(Document.created_at).desc(), col(Document.id).desc())
    rows = session.exec(query.offset(offset).limit(limit)).all()
    return list(rows), session.exec(count).one()


def is_pending(document: Document) -> bool:
    return document.status in (DocumentStatus.UPLOADED, DocumentStatus.PROCESSING)


def page_texts(session: Session, document_id: int) -> list[str]:
    """The extracted page texts of a document, in page order."""
    query = select(DocumentPage.text).where(DocumentPage.document_id == document_id)
    return list(session.exec(query.order_by(col(DocumentPage.number))).all())


def document_text(session: Session, document_id: int) -> str:
    """The whole text as checks read it; evidence offsets of check results point into it."""
    return "\n".join(page_texts(session, document_id))


# --- downloads ---------------------------------------------------------------------------

# Types we serve under their own name; anything else goes out as opaque bytes.
DOWNLOAD_TYPES = frozenset({PDF, DOCX, TXT})


def original_path(settings: Settings, document: Document) -> Path:
    """Where the upload's bytes are kept; a missing file is a clear 404, not a 500."""
    path = BlobStore(settings.blob_dir).path_for(document.sha256)
    if not path.is_file():
        raise NotFound("Die Originaldatei ist nicht mehr vorhanden.")
    return path


def download_media_type(media_type: str) -> str:
    base = media_type.split(";", 1)[0].strip().lower()
    return base if base in DOWNLOAD_TYPES else "application/octet-stream"


def attachment_header(filename: str) -> str:
    """`attachment` with an ASCII fallback name and the real name per RFC 6266 / 5987."""
    name = Path(filename.replace("\\", "/")).name or "dokument"
    ascii_name = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in name
    )
    quoted = urllib.parse.quote(name, safe="")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quoted}"
