"""Background extraction of an INSEK's goal set after its text has been extracted."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from sqlmodel import Session, col, select

from nlp.insek import GoalSet as GoalSetData
from nlp.insek import clean_document, extract_goalset
from nlp.pipeline import get_nlp
from nlp.text import CleanText
from service.documents.service import page_texts
from service.insek.service import VersionTaken, draft_from_extraction, items_of
from service.jobs import TransientError, enqueue_for_rows, stale_before, task
from service.models import Document, DocumentKind, DocumentStatus, GoalSet, utcnow

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
    # spaCy before the first write: on SQLite the write lock is held from the first INSERT to
    # the commit, and tagging hundreds of items there made other jobs fail "database is locked"
    texts = sorted(item_texts(extracted))
    topics = dict(zip(texts, await asyncio.to_thread(tag_topics, texts), strict=True))
    try:
        goal_set = draft_from_extraction(session, document, clean, extracted)
    except VersionTaken as exc:  # another version was made at the same moment: try again
        raise TransientError(exc.message) from exc
    for item in items_of(session, goal_set):
        item.topics = topics[item.text] if item.text in topics else tag_topics([item.text])[0]
        session.add(item)
    log.info("Zielsystem-Entwurf %s für Dokument %s angelegt", goal_set.id, document.id)
    return f"Fassung {goal_set.version}"


def item_texts(extracted: GoalSetData) -> set[str]:
    """The texts the goal-set items will carry."""
    texts = {hf.name for hf in extracted.handlungsfelder}
    texts |= {goal.text for goal in extracted.goals}
    texts |= {approach.text for approach in extracted.approaches}
    texts |= {measure.text for measure in extracted.measures}
    if extracted.leitbild is not None:
        texts.add(extracted.leitbild.text)
    return texts | set(extracted.querschnittsthemen)


def tag_topics(texts: list[str]) -> list[list[str]]:
    """Domain topics of each text, from the process-wide spaCy pipeline."""
    return [list(doc._.topics or []) for doc in get_nlp().pipe(texts, batch_size=256)]


def extract_from_pages(pages: list[str]) -> tuple[CleanText, GoalSetData]:
    """Cleaning and structure extraction, exactly as the worker runs them (also for bench/)."""
    clean = clean_document(pages)
    return clean, extract_goalset(clean)


@task
async def goal_set_stragglers(ctx: dict[str, Any], session: Session) -> int:
    """Re-enqueue the goal-set extraction of INSEK documents processed beyond the job time
    limit ago that still have no goal set: the job was lost (Redis restarted after the
    document's job committed). Original job id; documents of the last day only."""
    now = utcnow()
    stale = stale_before(ctx["settings"], now)
    has_goal_set = select(GoalSet.id).where(GoalSet.document_id == Document.id).exists()
    ids = session.exec(
        select(Document.id).where(
            Document.kind == DocumentKind.INSEK.value,
            Document.status == DocumentStatus.PROCESSED.value,
            col(Document.processed_at) < stale,
            col(Document.processed_at) > now - timedelta(days=1),
            ~has_goal_set,
        )
    ).all()
    return enqueue_for_rows(session, "extract_goal_set", *ids)
