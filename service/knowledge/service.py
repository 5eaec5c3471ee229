"""The knowledge base behind "Frag doch INGE": imported guidance, approved FAQ entries and the
asking municipality's adopted INSEK, searched together.

Guidance is imported with `inge kb import PATH` (never shipped in the repository). The search
index is built once per process for each state of the knowledge base and municipality; a new
import, a new FAQ entry or a new goal-set version builds it again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, delete, func, select

from nlp.extract import ExtractionLimits, extract_text_sandboxed
from nlp.kb import Answer, KbIndex, KbPassage, passages_from_text
from service.insek.service import current_adopted, items_of
from service.models import (
    FaqEntry,
    GoalItem,
    ItemKind,
    KnowledgePassage,
    KnowledgeSource,
    Municipality,
    utcnow,
)

TEXT_SUFFIXES = {".txt", ".md"}
KB_SUFFIXES = TEXT_SUFFIXES | {".pdf", ".docx"}
INSEK_KINDS = {k.value for k in ItemKind if k is not ItemKind.LEITBILD}
_CACHE: dict[tuple[Any, ...], KbIndex] = {}
_CACHE_SIZE = 32


def read_source(path: Path) -> str:
    """The text of a guidance file; pages of PDF/DOCX are joined with form feeds."""
    if path.suffix.lower() in TEXT_SUFFIXES:
        return path.read_text(encoding="utf-8")
    extracted = extract_text_sandboxed(path, limits=ExtractionLimits(wall_seconds=600))
    return "\f".join(page.text for page in extracted.pages)


def title_of(path: Path) -> str:
    return path.stem.replace("-", " ").replace("_", " ").strip().title()


def import_source(session: Session, path: Path, *, title: str | None = None) -> KnowledgeSource:
    """Import (or replace) one guidance file as passages that keep section, page and lines."""
    text = read_source(path)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    source = session.exec(select(KnowledgeSource).where(KnowledgeSource.key == path.name)).first()
    if source is None:
        source = KnowledgeSource(key=path.name, title=title or title_of(path), sha256=digest)
        session.add(source)
        session.flush()
    else:
        session.exec(delete(KnowledgePassage).where(col(KnowledgePassage.source_id) == source.id))
        source.sha256, source.title = digest, title or source.title
        source.imported_at = utcnow()
    assert source.id is not None
    passages = passages_from_text(text, source=source.title, source_id=f"kb{source.id}")
    for position, p in enumerate(passages):
        session.add(
            KnowledgePassage(
                source_id=source.id,
                position=position,
                section=(p.section or None) and p.section[:500],
                page=p.page,
                start_line=p.start_line,
                end_line=p.end_line,
                text=p.text,
            )
        )
    source.passages = len(passages)
    session.add(source)
    session.flush()
    return source


def kb_files(path: Path) -> list[Path]:
    """A file, or every .txt/.md/.pdf/.docx file of a folder (sorted)."""
    if not path.is_dir():
        return [path]
    return sorted(p for p in path.rglob("*") if p.suffix.lower() in KB_SUFFIXES)


def import_path(session: Session, path: Path) -> list[KnowledgeSource]:
    return [import_source(session, f) for f in kb_files(path)]


def guidance_passages(session: Session) -> list[KbPassage]:
    sources = {s.id: s for s in session.exec(select(KnowledgeSource)).all()}
    rows = session.exec(
        select(KnowledgePassage).order_by(
            col(KnowledgePassage.source_id), col(KnowledgePassage.position)
        )
    ).all()
    return [
        KbPassage(
            text=r.text,
            source=sources[r.source_id].title,
            section=r.section,
            page=r.page,
            start_line=r.start_line,
            end_line=r.end_line,
            ref=f"kb:{r.id}",
        )
        for r in rows
    ]


def faq_passages(session: Session) -> list[KbPassage]:
    rows = session.exec(select(FaqEntry).order_by(col(FaqEntry.id))).all()
    return [
        KbPassage(
            text=f"{r.question}\n{r.answer}",
            source="FAQ der FS INGE",
            section=r.question[:200],
            page=None,
            start_line=0,
            end_line=0,
            ref=f"faq:{r.id}",
        )
        for r in rows
    ]


def insek_passages(municipality: Municipality, items: list[GoalItem]) -> list[KbPassage]:
    """The adopted INSEK's entries, each under its Handlungsfeld, with the page they stand on."""
    by_id = {i.id: i for i in items}
    found = []
    for item in items:
        if item.kind not in INSEK_KINDS:
            continue
        field = _field_of(item, by_id)
        text = item.text + (f"\n{item.description}" if item.description else "")
        found.append(
            KbPassage(
                text=text,
                source=f"INSEK {municipality.name}",
                section=field,
                page=item.source_page,
                start_line=0,
                end_line=0,
                ref=f"goal:{item.id}",
            )
        )
    return found


def _field_of(item: GoalItem, by_id: dict[int | None, GoalItem]) -> str | None:
    current: GoalItem | None = item
    while current is not None:
        if current.kind == ItemKind.HANDLUNGSFELD.value:
            return current.text
        current = by_id.get(current.parent_id)
    return None


def index_for(session: Session, municipality: Municipality | None) -> KbIndex:
    """The search index over guidance, FAQ and (if given) the municipality's adopted INSEK."""
    goal_set = (
        current_adopted(session, municipality.id) if municipality and municipality.id else None
    )
    key = (
        session.exec(select(func.max(KnowledgeSource.imported_at))).one(),
        session.exec(select(func.count()).select_from(KnowledgePassage)).one(),
        session.exec(select(func.max(FaqEntry.id))).one(),
        goal_set.id if goal_set else None,
        goal_set.updated_at if goal_set else None,
    )
    if key not in _CACHE:
        passages = guidance_passages(session) + faq_passages(session)
        if goal_set is not None and municipality is not None:
            passages += insek_passages(municipality, items_of(session, goal_set))
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = KbIndex(passages)
    return _CACHE[key]


def hits_json(answer: Answer) -> list[dict[str, Any]]:
    """Passages as stored with a question and printed by `inge ask`."""
    return [
        {
            "text": hit.passage.text,
            "source": hit.passage.source,
            "section": hit.passage.section,
            "page": hit.passage.page,
            "lines": [hit.passage.start_line, hit.passage.end_line]
            if hit.passage.start_line
            else None,
            "ref": hit.passage.ref,
            "score": round(hit.score, 4),
        }
        for hit in answer.hits
    ]
