"""Hostile inbound mails: each ends with a clear German reason within its limits (or, where
the mail is merely sloppy, as a question), and the next normal mail becomes a question."""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import select

from service.jobs import enqueue_job, send_now, take_pending_jobs
from service.models import Document, InboundMail, Question, Role
from tests.factories import create_municipality, create_user
from tests.fixtures import hostile_mail
from tests.helpers import run_worker

NORMAL = (
    f"From: {hostile_mail.SENDER}\r\nTo: inge@fs-inge.example\r\nSubject: Frage\r\n"
    "Message-ID: <n@mailstadt.de>\r\n\r\nWie oft muss das INSEK fortgeschrieben werden?\r\n"
).encode()


@pytest.fixture()
def clerk(session):
    town = create_municipality(session, name="Mailstadt")
    create_user(session, role=Role.CLERK, municipality=town, email=hostile_mail.SENDER)
    session.commit()


def deliver(session, settings, raw: bytes) -> int:
    """Store a mail as the receiver does and enqueue its job after the commit."""
    row = InboundMail(
        envelope_from=hostile_mail.SENDER,
        envelope_to="inge@fs-inge.example",
        raw=raw,
        size_bytes=len(raw),
    )
    session.add(row)
    session.flush()
    enqueue_job(session, "process_inbound", row.id, job_id=f"process_inbound:{row.id}")
    session.commit()
    asyncio.run(send_now(settings, take_pending_jobs(session)))
    return row.id


@pytest.mark.parametrize("name", sorted(hostile_mail.CASES))
def test_hostile_mail_ends_clearly_and_the_next_one_is_a_question(session, settings, clerk, name):
    make, status, reason = hostile_mail.CASES[name]
    hostile = deliver(session, settings, make())
    normal = deliver(session, settings, NORMAL)
    run_worker(settings)
    run_worker(settings)  # documents made from attachments, and their checks
    session.expire_all()
    row = session.get(InboundMail, hostile)
    assert (row.status, reason in row.reason) == (status, True), row.reason
    assert session.get(InboundMail, normal).status == "verarbeitet"
    texts = [q.text for q in session.exec(select(Question)).all()]
    assert "Wie oft muss das INSEK fortgeschrieben werden?" in texts
    for document in session.exec(select(Document)).all():  # from attachments: failed, said why
        assert document.status == "fehlgeschlagen" and document.error_message


def test_limits_come_from_the_settings(session, settings, clerk):
    settings.email.inbound_max_parts = 3
    parts = hostile_mail.thousands_of_parts(3)  # four parts with the envelope
    row = session.get(InboundMail, deliver(session, settings, parts))
    run_worker(settings)
    session.refresh(row)
    assert row.status == "fehlgeschlagen" and row.reason == "Zu viele Teile in der E-Mail."
