"""Background extraction of an INSEK's goal set after its text has been extracted."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlmodel import Session, select

from nlp.insek import GoalSet as GoalSetData
from nlp.insek import clean_document, extract_goalset
from nlp.pipeline import get_nlp
from nlp.text import CleanText
from service.documents.service import page_texts
from service.insek.service import draft_from_extraction, items_of
from service.jobs import task
from service.models import Document, DocumentKind, DocumentStatus, GoalSet

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
    pages = page_texts(session, document_id)
    clean, extracted = await asyncio.to_thread(extract_from_pages, pages)
    goal_set = draft_from_extraction(session, document, clean, extracted)
    items = items_of(session, goal_set)
    topics = await asyncio.to_thread(tag_topics, [item.text for item in items])
    for item, found in zip(items, topics, strict=True):
        item.topics = found
        session.add(item)
    log.info("Zielsystem-Entwurf %s für Dokument %s angelegt", goal_set.id, document.id)
    return f"Fassung {goal_set.version}"


def tag_topics(texts: list[str]) -> list[list[str]]:
    """Domain topics of each text, from the process-wide spaCy pipeline."""
    return [list(doc._.topics or []) for doc in get_nlp().pipe(texts, batch_size=256)]


def extract_from_pages(pages: list[str]) -> tuple[CleanText, GoalSetData]:
    """Cleaning and structure extraction, exactly as the worker runs them (also for bench/)."""
    clean = clean_document(pages)
    return clean, extract_goalset(clean)
