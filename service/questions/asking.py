"""Asking: resolve the municipality and the linked Vorlage or check finding, search the
knowledge base, and store the question with INGE's passages."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from service.config import Settings
from service.errors import NotFound, ValidationFailed
from service.knowledge.service import hits_json, index_for
from service.models import (
    Channel,
    CheckItem,
    CheckRun,
    Document,
    Municipality,
    OParlPaper,
    Question,
    Role,
)
from service.questions.schemas import QuestionIn
from service.questions.service import NewQuestion, create_question
from service.resolutions.service import effective_status
from service.slack.service import announce
from service.tenancy import Principal, get_scoped, municipality_for_write

SUGGESTIONS = 5
ESCALATE_STATUSES = ("prüfen",)
CONFLICT_CHECK = "INSEK-04"


def ask(
    session: Session,
    principal: Principal,
    body: QuestionIn,
    *,
    settings: Settings,
    channel: Channel = Channel.WEB,
) -> Question:
    """Store a question from the web or the API (or a check finding sent to FS INGE)."""
    if body.check_run_id is not None:
        return _from_finding(session, principal, body, settings=settings)
    municipality = municipality_for_write(
        session, principal, body.municipality, roles=frozenset(Role)
    )
    assert municipality.id is not None
    document_ids = _own_documents(session, principal, municipality, body)
    new = NewQuestion(
        municipality_id=municipality.id,
        text=body.text,
        subject=body.subject,
        channel=channel,
        asker_id=principal.user_id,
        asker_name=principal.display_name,
        document_id=body.document_id,
        meeting_date=body.meeting_date,
        attachments=document_ids,
        handlungsfeld=body.handlungsfeld,
        tags=body.tags,
    )
    return _store(session, municipality, new, settings=settings, actor_id=principal.user_id)


def _own_documents(
    session: Session, principal: Principal, municipality: Municipality, body: QuestionIn
) -> list[int]:
    """The linked Vorlage and attachments must be documents of the same municipality."""
    for document_id in [d for d in [body.document_id, *body.attachments] if d is not None]:
        document = get_scoped(session, Document, document_id, principal)
        if document.municipality_id != municipality.id:
            raise ValidationFailed("Das Dokument gehört zu einer anderen Kommune.", code="document")
    return list(dict.fromkeys(body.attachments))


def _from_finding(
    session: Session, principal: Principal, body: QuestionIn, *, settings: Settings
) -> Question:
    assert body.check_run_id is not None
    run = get_scoped(session, CheckRun, body.check_run_id, principal)
    item = _item(session, run, body.check_item)
    status = effective_status(item)
    if status not in ESCALATE_STATUSES and item.check_id != CONFLICT_CHECK:
        raise ValidationFailed(
            "An die FS INGE gehen Befunde mit Ergebnis „prüfen“ und Zielkonflikte."
        )
    municipality = session.get(Municipality, run.municipality_id)
    assert municipality is not None and municipality.id is not None
    text = body.text.strip() or (
        f"Bitte um fachliche Einschätzung zum Prüfpunkt {item.check_id} ({status}) der "
        f"Vorlage „{run.title}“: {item.requirement}\n\n{item.explanation}"
    )
    new = NewQuestion(
        municipality_id=municipality.id,
        text=text,
        subject=f"Prüfbefund {item.check_id}: {run.title}"[:300],
        channel=Channel.CHECK,
        asker_id=principal.user_id,
        asker_name=principal.display_name,
        document_id=run.document_id,
        check_run_id=run.id,
        check_item=item.check_id,
        meeting_date=body.meeting_date or meeting_of(session, run),
        handlungsfeld=body.handlungsfeld or _top_field(run),
        tags=body.tags or ["Prüfbefund"],
    )
    return _store(session, municipality, new, settings=settings, actor_id=principal.user_id)


def _item(session: Session, run: CheckRun, check_id: str | None) -> CheckItem:
    if not check_id:
        raise ValidationFailed("Bitte den Prüfpunkt angeben (z. B. INSEK-04).", code="check_item")
    query = select(CheckItem).where(
        CheckItem.check_run_id == run.id, CheckItem.check_id == check_id
    )
    item = session.exec(query).first()
    if item is None:
        raise NotFound(f"Den Prüfpunkt {check_id} gibt es in dieser Prüfung nicht.")
    return item


def meeting_of(session: Session, run: CheckRun) -> date | None:
    """The council meeting of an imported Vorlage (OParl: first authoritative consultation)."""
    papers = session.exec(
        select(OParlPaper).where(OParlPaper.municipality_id == run.municipality_id)
    ).all()
    for paper in papers:
        if run.document_id in paper.documents and paper.meeting_start is not None:
            return paper.meeting_start.date()
    return None


def _top_field(run: CheckRun) -> str | None:
    return str(run.fields[0]["name"]) if run.fields and run.insek_relevant else None


def _store(
    session: Session,
    municipality: Municipality,
    new: NewQuestion,
    *,
    settings: Settings,
    actor_id: int | None,
) -> Question:
    answer = index_for(session, municipality).search(new.text, k=SUGGESTIONS)
    question = create_question(
        session,
        new,
        sla_days=settings.questions.sla_working_days,
        suggestions=hits_json(answer),
        answered=answer.answered,
        actor_id=actor_id,
    )
    announce(session, question, settings)
    return question
