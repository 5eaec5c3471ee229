"""Background extraction of an INSEK's goal set after its text has been extracted."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlmodel import Session, col, select

from nlp.insek import clean_document, extract_goalset
from service.insek.service import draft_from_extraction
from service.jobs import task
from service.models import Document, DocumentKind, DocumentPage, DocumentStatus, GoalSet

log = logging.getLogger(__name__)


@task
async def extract_goal_set(ctx: dict[str, Any], session: Session, document_id: int) -> str:
    """Create a draft goal set from a processed INSEK document; does nothing twice."""
    document = session.get(Document, document_id)
    if document is None or document.kind != DocumentKind.INSEK:
        return "kein INSEK"
    if document.status != DocumentStatus.PROCESSED:
        return "Text fehlt"
    existing = session.exec(select(GoalSet).where(GoalSet.document_id == document.id)).first()
    if existing is not None:
        return f"Fassung {existing.version} existiert"
    pages = session.exec(
        select(DocumentPage.text)
        .where(DocumentPage.document_id == document.id)
        .order_by(col(DocumentPage.number))
    ).all()
    clean, extracted = await asyncio.to_thread(_run, list(pages))
    goal_set = draft_from_extraction(session, document, clean, extracted)
    log.info("Zielsystem-Entwurf %s für Dokument %s angelegt", goal_set.id, document.id)
    return f"Fassung {goal_set.version}"


def _run(pages: list[str]) -> tuple[Any, Any]:
    clean = clean_document(pages)
    return clean, extract_goalset(clean)
