"""Daily jobs of the queue: reminders for questions close to or past their due date, and a
digest per advisor. Both go through the outbox (e-mail; sent by the e-mail adapter)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from service.config import Settings
from service.jobs import task
from service.models import (
    OPEN_STATUS_VALUES,
    EventKind,
    Question,
    QuestionEvent,
    QuestionStatus,
    User,
)
from service.outbox.service import queue_message
from service.questions.workdays import add_working_days, is_working_day
from service.settings_store import effective


def send_reminders(session: Session, settings: Settings, today: date) -> int:
    """Remind the assignee (or, unassigned, the queue's digest) of questions due within the
    configured working days or overdue; once per question and day. Returns how many."""
    horizon = add_working_days(today, settings.questions.remind_working_days_before)
    query = select(Question).where(
        col(Question.status).in_(OPEN_STATUS_VALUES),
        Question.due_date <= horizon,
        (col(Question.reminded_on).is_(None)) | (Question.reminded_on != today),
    )
    questions = list(session.exec(query.order_by(col(Question.due_date))).all())
    for question in questions:
        overdue = question.due_date < today
        text = ("überfällig seit " if overdue else "fällig am ") + f"{question.due_date:%d.%m.%Y}"
        _remind(session, settings, question, text)
        question.reminded_on = today
        session.add(question)
    return len(questions)


def _remind(session: Session, settings: Settings, question: Question, text: str) -> None:
    assert question.id is not None
    session.add(
        QuestionEvent(
            municipality_id=question.municipality_id,
            question_id=question.id,
            kind=EventKind.REMINDER.value,
            text=text,
        )
    )
    assignee = session.get(User, question.assignee_id) if question.assignee_id else None
    if assignee is None:
        return  # unassigned questions appear in every advisor's digest
    link = f"{settings.questions.public_url.rstrip('/')}/fragen/{question.id}"
    queue_message(
        session,
        municipality_id=question.municipality_id,
        question_id=question.id,
        channel="email",
        recipient=assignee.email,
        subject=f"Erinnerung: {question.subject} ({text})"[:300],
        body=f"Die Frage „{question.subject}“ ist {text}.\n\n{link}\n",
        purpose="reminder",
    )


def digest_for(session: Session, advisor: User, today: date, public_url: str) -> str | None:
    """The advisor's daily digest: their open questions by urgency and the unassigned ones;
    None when there is nothing to report."""
    mine = _open(session, col(Question.assignee_id) == advisor.id)
    unassigned = _open(session, col(Question.assignee_id).is_(None))
    if not mine and not unassigned:
        return None
    base = public_url.rstrip("/")
    lines = [f"Guten Morgen {advisor.display_name or advisor.email},", ""]
    lines += _block("Ihre offenen Fragen", mine, today, base)
    lines += _block("Noch niemandem zugewiesen", unassigned, today, base)
    lines.append(f"Warteschlange: {base}/fragen")
    return "\n".join(lines) + "\n"


def _open(session: Session, condition: Any) -> list[Question]:
    query = select(Question).where(col(Question.status).in_(OPEN_STATUS_VALUES), condition)
    return list(session.exec(query.order_by(col(Question.due_date), col(Question.id))).all())


def _block(title: str, questions: list[Question], today: date, base: str) -> list[str]:
    if not questions:
        return []
    lines = [f"{title} ({len(questions)}):"]
    for q in questions:
        flag = " – ÜBERFÄLLIG" if q.due_date < today else ""
        status = "" if q.status == QuestionStatus.NEW else f" [{q.status}]"
        lines.append(f"- {q.due_date:%d.%m.} {q.subject}{status}{flag}: {base}/fragen/{q.id}")
    return [*lines, ""]


def send_digests(session: Session, settings: Settings, today: date) -> int:
    """Queue one digest e-mail per active advisor who has something to read."""
    advisors = session.exec(
        select(User).where(col(User.staff_role).is_not(None), col(User.is_active).is_(True))
    ).all()
    sent = 0
    for advisor in advisors:
        body = digest_for(session, advisor, today, settings.questions.public_url)
        if body is None:
            continue
        queue_message(
            session,
            channel="email",
            recipient=advisor.email,
            subject=f"FS INGE – Ihre Fragen am {today:%d.%m.%Y}",
            body=body,
            purpose="digest",
        )
        sent += 1
    return sent


@task
async def question_reminders(ctx: dict[str, Any], session: Session) -> int:
    today = date.today()
    settings = effective(session, ctx["settings"])
    return send_reminders(session, settings, today) if is_working_day(today) else 0


@task
async def advisor_digest(ctx: dict[str, Any], session: Session) -> int:
    today = date.today()
    settings = effective(session, ctx["settings"])
    return send_digests(session, settings, today) if is_working_day(today) else 0
