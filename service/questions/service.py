"""The question lifecycle: ask, triage, note, answer (through the question's channel), reply,
FAQ; every step is a history event, and every change by staff is audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any, Final, Literal

from sqlmodel import Session, col, select

from service.audit import record
from service.db import get_by_id
from service.errors import Forbidden, ValidationFailed
from service.models import (
    OPEN_STATUSES,
    PUBLIC_EVENTS,
    Channel,
    EventKind,
    FaqEntry,
    Question,
    QuestionEvent,
    QuestionStatus,
    User,
    utcnow,
)
from service.questions.channels import adapter_for
from service.questions.workdays import add_working_days, previous_working_day
from service.tenancy import Principal


class _Keep(Enum):
    KEEP = "keep"


KEEP: Final = _Keep.KEEP  # "leave this attribute as it is" in update_question
Keep = Literal[_Keep.KEEP]

MAX_TEXT = 20_000
MAX_TAGS = 20


@dataclass(frozen=True)
class NewQuestion:
    """What an asker (or a channel) hands in; the municipality is already resolved."""

    municipality_id: int
    text: str
    subject: str = ""
    channel: Channel = Channel.WEB
    asker_id: int | None = None
    asker_name: str = ""
    asker_address: str | None = None
    thread_ref: str | None = None
    document_id: int | None = None
    check_run_id: int | None = None
    check_item: str | None = None
    meeting_date: date | None = None
    attachments: list[int] = field(default_factory=list)
    handlungsfeld: str | None = None
    tags: list[str] = field(default_factory=list)


def due_date(today: date, *, sla_days: int, meeting_date: date | None) -> tuple[date, str]:
    """The service-level date, or the working day before the council meeting if that is
    earlier (an answer after the meeting is of no use to the municipality)."""
    due = add_working_days(today, sla_days)
    reason = f"Servicelevel {sla_days} Arbeitstage"
    if meeting_date is not None:
        before = previous_working_day(meeting_date)
        if before < due:
            due = max(today, before)
            reason = f"Sitzung am {meeting_date:%d.%m.%Y}"
    return due, reason


def create_question(
    session: Session,
    new: NewQuestion,
    *,
    sla_days: int,
    suggestions: list[dict[str, Any]],
    answered: bool,
    actor_id: int | None,
    today: date | None = None,
) -> Question:
    """Store a question with INGE's suggested passages and its due date."""
    text = _clean_text(new.text)
    due, reason = due_date(today or date.today(), sla_days=sla_days, meeting_date=new.meeting_date)
    question = Question(
        municipality_id=new.municipality_id,
        asker_id=new.asker_id,
        asker_name=new.asker_name[:200],
        asker_address=new.asker_address,
        channel=new.channel.value,
        thread_ref=new.thread_ref,
        subject=(new.subject.strip() or _subject_from(text))[:300],
        text=text,
        tags=_clean_tags(new.tags),
        handlungsfeld=new.handlungsfeld,
        document_id=new.document_id,
        check_run_id=new.check_run_id,
        check_item=new.check_item,
        attachments=list(new.attachments),
        meeting_date=new.meeting_date,
        due_date=due,
        due_reason=reason,
        inge_answered=answered,
        suggestions=suggestions,
    )
    session.add(question)
    session.flush()
    _event(session, question, EventKind.CREATED, actor_id, text, {"channel": question.channel})
    _audit(session, question, actor_id, "question.create", {"channel": question.channel})
    return question


def _clean_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationFailed("Bitte schreiben Sie Ihre Frage.", code="text")
    if len(text) > MAX_TEXT:
        raise ValidationFailed("Die Frage ist zu lang (höchstens 20 000 Zeichen).", code="text")
    return text


def _subject_from(text: str) -> str:
    first = text.splitlines()[0]
    return first if len(first) <= 120 else first[:117].rstrip() + "…"


def _clean_tags(tags: list[str]) -> list[str]:
    cleaned = sorted({t.strip()[:50] for t in tags if t.strip()})
    if len(cleaned) > MAX_TAGS:
        raise ValidationFailed("Höchstens 20 Schlagworte.", code="tags")
    return cleaned


def require_staff(principal: Principal) -> None:
    if not principal.sees_all_municipalities:
        raise Forbidden("Das dürfen nur Beraterinnen und Berater der FS INGE.")


def update_question(
    session: Session,
    question: Question,
    principal: Principal,
    *,
    status: str | None = None,
    assignee_id: int | Keep | None = KEEP,
    tags: list[str] | None = None,
    handlungsfeld: str | Keep | None = KEEP,
) -> Question:
    """Triage by staff: status, assignee (None = nobody), tags, Handlungsfeld."""
    require_staff(principal)
    if status is not None and status != question.status:
        set_status(session, question, principal, status)
    if assignee_id is not KEEP and assignee_id != question.assignee_id:
        _assign(session, question, principal, assignee_id)
    if tags is not None and _clean_tags(tags) != question.tags:
        question.tags = _clean_tags(tags)
        _event(session, question, EventKind.CHANGED, principal.user_id, "", {"tags": question.tags})
    if handlungsfeld is not KEEP and (handlungsfeld or None) != question.handlungsfeld:
        question.handlungsfeld = handlungsfeld or None
        details = {"handlungsfeld": question.handlungsfeld}
        _event(session, question, EventKind.CHANGED, principal.user_id, "", details)
    _touch(session, question)
    return question


def set_status(session: Session, question: Question, principal: Principal, status: str) -> None:
    try:
        new = QuestionStatus(status)
    except ValueError:
        allowed = ", ".join(s.value for s in QuestionStatus)
        raise ValidationFailed(f"Unbekannter Status. Erlaubt: {allowed}.", code="status") from None
    old = question.status
    question.status = new.value
    _event(session, question, EventKind.STATUS, principal.user_id, new.value, {"from": old})
    _audit(session, question, principal.user_id, "question.status", {"from": old, "to": new})


def _assign(
    session: Session, question: Question, principal: Principal, assignee_id: int | None
) -> None:
    if assignee_id is not None:
        user = get_by_id(session, User, assignee_id)
        if user is None or not user.is_active or user.staff_role is None:
            raise ValidationFailed(
                "Zuweisen geht nur an aktive Beraterinnen und Berater.", code="assignee"
            )
    question.assignee_id = assignee_id
    if question.status == QuestionStatus.NEW and assignee_id is not None:
        question.status = QuestionStatus.IN_PROGRESS.value
    details = {"assignee_id": assignee_id}
    _event(session, question, EventKind.ASSIGNED, principal.user_id, "", details)
    _audit(session, question, principal.user_id, "question.assign", details)


def add_note(session: Session, question: Question, principal: Principal, text: str) -> None:
    """An internal note of FS INGE; never shown to the municipality, never sent."""
    require_staff(principal)
    _event(session, question, EventKind.NOTE, principal.user_id, _clean_text(text), {})
    _touch(session, question)


def send_answer(
    session: Session,
    question: Question,
    principal: Principal,
    text: str,
    *,
    public_url: str,
    needs_reply: bool = False,
) -> str:
    """Answer the asker through the question's channel; returns how it was delivered.
    `needs_reply` makes it a Rückfrage an die Kommune instead of an answer."""
    require_staff(principal)
    body = _clean_text(text)
    status = QuestionStatus.QUERY if needs_reply else QuestionStatus.ANSWERED
    delivery = adapter_for(question.channel).deliver(
        session, question, body, sender=principal.display_name, public_url=public_url
    )
    details = {"channel": question.channel, "delivery": delivery, "rueckfrage": needs_reply}
    _event(session, question, EventKind.ANSWER, principal.user_id, body, details)
    question.status = status.value
    if not needs_reply:
        question.answered_at = utcnow()
    if question.assignee_id is None:
        question.assignee_id = principal.user_id
    _audit(session, question, principal.user_id, "question.answer", details)
    _touch(session, question)
    return delivery


def add_reply(session: Session, question: Question, principal: Principal, text: str) -> None:
    """A follow-up of the municipality; a closed question opens again."""
    if principal.role_in(question.municipality_id) is None:
        raise Forbidden()
    _event(session, question, EventKind.REPLY, principal.user_id, _clean_text(text), {})
    if question.status in (QuestionStatus.QUERY, QuestionStatus.ANSWERED, QuestionStatus.CLOSED):
        question.status = (
            QuestionStatus.IN_PROGRESS if question.assignee_id else QuestionStatus.NEW
        ).value
    _touch(session, question)


def close_by_asker(session: Session, question: Question, principal: Principal) -> None:
    """The municipality closes its own question (e.g. INGE's passages were enough)."""
    if principal.role_in(question.municipality_id) is None:
        raise Forbidden()
    set_status(session, question, principal, QuestionStatus.CLOSED.value)
    _touch(session, question)


def make_faq(
    session: Session, question: Question, principal: Principal, *, asked: str, answer: str
) -> FaqEntry:
    """Turn a good answer into an FAQ entry that INGE then finds for everybody."""
    require_staff(principal)
    entry = FaqEntry(
        question=_clean_text(asked),
        answer=_clean_text(answer),
        source_question_id=question.id,
        approved_by_id=principal.user_id,
    )
    session.add(entry)
    session.flush()
    _event(session, question, EventKind.FAQ, principal.user_id, "", {"faq_id": entry.id})
    _audit(session, question, principal.user_id, "question.faq", {"faq_id": entry.id})
    return entry


def last_answer(session: Session, question: Question) -> QuestionEvent | None:
    query = select(QuestionEvent).where(
        QuestionEvent.question_id == question.id, QuestionEvent.kind == EventKind.ANSWER.value
    )
    return session.exec(query.order_by(col(QuestionEvent.id).desc())).first()


def history(session: Session, question: Question, *, internal: bool) -> list[QuestionEvent]:
    """The question's events, oldest first; without `internal`, notes and triage are left out."""
    query = select(QuestionEvent).where(QuestionEvent.question_id == question.id)
    events = list(session.exec(query.order_by(col(QuestionEvent.id))).all())
    if internal:
        return events
    return [e for e in events if e.kind in PUBLIC_EVENTS]


def is_overdue(question: Question, today: date | None = None) -> bool:
    return question.status in OPEN_STATUSES and question.due_date < (today or date.today())


def _event(
    session: Session,
    question: Question,
    kind: EventKind,
    actor_id: int | None,
    text: str,
    details: dict[str, Any],
) -> QuestionEvent:
    assert question.id is not None
    event = QuestionEvent(
        municipality_id=question.municipality_id,
        question_id=question.id,
        kind=kind.value,
        actor_id=actor_id,
        text=text,
        details=details,
    )
    session.add(event)
    return event


def _audit(
    session: Session,
    question: Question,
    actor_id: int | None,
    action: str,
    details: dict[str, Any],
) -> None:
    record(
        session,
        actor_id=actor_id,
        action=action,
        object_type="question",
        object_id=question.id,
        municipality_id=question.municipality_id,
        details={k: str(v) if isinstance(v, QuestionStatus) else v for k, v in details.items()},
    )


def _touch(session: Session, question: Question) -> None:
    question.updated_at = utcnow()
    session.add(question)
