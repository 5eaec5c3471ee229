"""Background processing of uploaded documents."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, delete, select

from nlp.extract import ExtractedText, ExtractionError, extract_text_sandboxed
from service.audit import record
from service.config import Settings
from service.documents.service import extraction_limits
from service.jobs import (
    TransientError,
    checkpoint,
    enqueue_for_rows,
    enqueue_job,
    stale_before,
    task,
)
from service.models import Document, DocumentKind, DocumentPage, DocumentStatus, utcnow
from service.resolutions.service import start_check
from service.storage import BlobStore

log = logging.getLogger(__name__)

MISSING_FILE = "Die hochgeladene Datei ist nicht mehr vorhanden und kann nicht verarbeitet werden."
NO_TEXT = (
    "Die Datei enthält keinen auslesbaren Text (vermutlich ein Scan ohne Texterkennung). "
    "Bitte laden Sie eine Fassung mit Textebene hoch."
)
GAVE_UP = (
    "Die Verarbeitung ist nach mehreren Versuchen gescheitert. "
    "Bitte laden Sie die Datei erneut hoch."
)


@task
async def process_document(ctx: dict[str, Any], session: Session, document_id: int) -> str:
    """Extract the text of a document page by page; idempotent, safe to run again."""
    settings: Settings = ctx["settings"]
    document = session.get(Document, document_id)
    if document is None:
        return "fehlt"
    if document.status in (DocumentStatus.PROCESSED, DocumentStatus.FAILED):
        return document.status
    _set_status(session, document, DocumentStatus.PROCESSING)
    document.attempts += 1
    document.processing_started_at = utcnow()
    checkpoint(session)
    path = BlobStore(settings.blob_dir).path_for(document.sha256)
    if not path.exists():
        _fail(session, document, MISSING_FILE, code="missing")
        return document.status
    try:
        extracted = await _extract(path, settings)
    except ExtractionError as exc:
        _fail(session, document, exc.message, code=exc.code)
        return document.status
    except TransientError:
        if int(ctx.get("job_try", 1)) >= settings.job_max_tries:
            _fail(session, document, GAVE_UP, code="gave_up")
            return document.status
        raise
    _store_pages(session, document, extracted)
    return document.status


async def _extract(path: Path, settings: Settings) -> ExtractedText:
    try:
        return await asyncio.to_thread(
            extract_text_sandboxed, path, limits=extraction_limits(settings)
        )
    except OSError as exc:  # the system, not the file: e.g. no process could be started
        raise TransientError(str(exc)) from exc


def _store_pages(session: Session, document: Document, extracted: ExtractedText) -> None:
    if extracted.char_count == 0 or not extracted.text.strip():
        _fail(session, document, NO_TEXT, code="empty")
        return
    assert document.id is not None
    session.exec(delete(DocumentPage).where(col(DocumentPage.document_id) == document.id))
    start = 0
    for page in extracted.pages:
        session.add(
            DocumentPage(
                document_id=document.id,
                municipality_id=document.municipality_id,
                number=page.number,
                start=start,
                text=page.text,
            )
        )
        start += len(page.text) + 1  # pages are joined with a form feed
    document.page_count = extracted.page_count
    document.text_length = extracted.char_count
    document.error_message = None
    document.processed_at = utcnow()
    _set_status(session, document, DocumentStatus.PROCESSED)
    log.info(
        "Dokument %s verarbeitet: %s Seiten, %s Zeichen",
        document.id,
        document.page_count,
        document.text_length,
    )
    if document.kind == DocumentKind.INSEK:
        assert document.id is not None
        enqueue_for_rows(session, "extract_goal_set", document.id)
    elif document.kind == DocumentKind.BESCHLUSSVORLAGE:
        start_check(session, document, actor_id=document.uploaded_by_id)


def _fail(session: Session, document: Document, message: str, *, code: str) -> None:
    document.error_message = message
    _set_status(session, document, DocumentStatus.FAILED, details={"code": code})
    log.info("Dokument %s fehlgeschlagen: %s", document.id, code)


def _set_status(
    session: Session,
    document: Document,
    status: DocumentStatus,
    *,
    details: dict[str, Any] | None = None,
) -> None:
    previous = document.status
    document.status = status.value
    document.updated_at = utcnow()
    session.add(document)
    record(
        session,
        actor_id=None,
        action="document.status",
        object_type="document",
        object_id=document.id,
        municipality_id=document.municipality_id,
        details={"from": previous, "to": status.value, **(details or {})},
    )


@task
async def document_stragglers(ctx: dict[str, Any], session: Session) -> int:
    """Re-enqueue documents whose job was lost: still `hochgeladen` after two minutes (Redis
    was away at upload, or imported by the CLI without Redis), or `in Verarbeitung` beyond the
    job time limit (the worker died)."""
    settings: Settings = ctx["settings"]
    now = utcnow()
    stale_upload = now - timedelta(minutes=2)
    stale_run = stale_before(settings, now)
    rows = session.exec(
        select(Document).where(
            (
                (col(Document.status) == DocumentStatus.UPLOADED.value)
                & (col(Document.created_at) < stale_upload)
            )
            | (
                (col(Document.status) == DocumentStatus.PROCESSING.value)
                & (col(Document.processing_started_at) < stale_run)
            )
        )
    ).all()
    for document in rows:
        job_id = f"process_document:{document.id}:r{document.attempts}"
        enqueue_job(session, "process_document", document.id, job_id=job_id)
    return len(rows)
