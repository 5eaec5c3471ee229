"""Reminders close to and past the due date, and the advisors' daily digest (outbox)."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from service.models import EventKind, OutboxMessage, Question, QuestionEvent
from service.questions.service import NewQuestion, create_question
from service.questions.tasks import digest_for, send_digests, send_reminders

TODAY = date(2026, 11, 24)  # a Tuesday


def _question(session, town, subject, *, due, assignee=None):
    q = create_question(
        session,
        NewQuestion(municipality_id=town.municipality.id, text=subject, subject=subject),
        sla_days=5,
        suggestions=[],
        answered=False,
        actor_id=None,
        today=TODAY,
    )
    q.due_date, q.assignee_id = due, assignee
    session.add(q)
    session.commit()
    return q


def test_reminders_for_due_and_overdue_questions_once_a_day(session, settings, town, advisor):
    late = _question(session, town, "Spät", due=date(2026, 11, 20), assignee=advisor.clerk.id)
    soon = _question(session, town, "Bald", due=date(2026, 11, 25))
    _question(session, town, "Später", due=date(2026, 12, 10))
    done = _question(session, town, "Fertig", due=date(2026, 11, 1))
    done.status = "beantwortet"
    session.add(done)
    session.commit()

    assert send_reminders(session, settings, TODAY) == 2
    session.commit()
    reminded = {
        e.question_id
        for e in session.exec(
            select(QuestionEvent).where(QuestionEvent.kind == EventKind.REMINDER.value)
        )
    }
    assert reminded == {late.id, soon.id}
    mail = session.exec(select(OutboxMessage)).one()  # only the assigned one gets an e-mail
    assert mail.recipient == advisor.clerk.email and "überfällig seit 20.11.2026" in mail.subject
    assert send_reminders(session, settings, TODAY) == 0  # not twice on one day
    assert session.get(Question, late.id).reminded_on == TODAY


def test_digest_lists_own_and_unassigned_questions(session, settings, town, advisor):
    _question(session, town, "Meine Frage", due=date(2026, 11, 20), assignee=advisor.clerk.id)
    _question(session, town, "Offene Frage", due=date(2026, 11, 30))
    body = digest_for(session, advisor.clerk, TODAY, "https://inge.example")
    assert body is not None
    assert "Ihre offenen Fragen (1)" in body and "Meine Frage" in body and "ÜBERFÄLLIG" in body
    assert "Noch niemandem zugewiesen (1)" in body and "Offene Frage" in body
    assert "https://inge.example/fragen" in body
    assert send_digests(session, settings, TODAY) == 1
    session.commit()
    digest = session.exec(select(OutboxMessage).where(OutboxMessage.purpose == "digest")).one()
    assert digest.recipient == advisor.clerk.email


def test_no_digest_when_nothing_is_open(session, advisor):
    assert digest_for(session, advisor.clerk, TODAY, "https://inge.example") is None
