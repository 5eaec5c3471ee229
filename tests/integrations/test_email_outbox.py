"""The e-mail outbox against a real SMTP server on loopback: delivery, threading headers,
retries through an outage, dead letters, no double sending."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlmodel import select

from integrations.email.client import SmtpMailer
from integrations.email.service import compose, deliver_due
from service.models import OutboxMessage, OutboxStatus, utcnow
from service.outbox.delivery import claim
from tests.helpers import run_worker


def _row(session, **fields) -> OutboxMessage:
    values = {
        "channel": "email",
        "recipient": "kommune@example.org",
        "subject": "Antwort der FS INGE",
        "body": "Guten Tag,\nhier ist die Antwort.",
        "purpose": "answer",
    }
    row = OutboxMessage(**(values | fields))
    session.add(row)
    session.commit()
    return row


def _deliver(session, smtp, settings, **kwargs):
    return asyncio.run(deliver_due(session, SmtpMailer(settings), settings, **kwargs))


def test_message_headers_threading_and_automatic_marker(session, smtp):
    settings = smtp.settings()
    answer = _row(session, thread_ref="<frage-1@kommune.example>")
    digest = _row(session, purpose="digest", recipient="berater@example.org")
    first = compose(answer, settings)
    assert first["In-Reply-To"] == "<frage-1@kommune.example>"
    assert "<frage-1@kommune.example>" in first["References"]
    assert first["Auto-Submitted"] is None  # an advisor wrote it
    assert compose(answer, settings)["Message-ID"] == first["Message-ID"]  # stable
    assert first["Message-ID"].endswith("@inge.example>")
    assert compose(digest, settings)["Auto-Submitted"] == "auto-generated"


def test_delivered_once_with_the_same_message_id(session, smtp):
    settings = smtp.settings()
    row = _row(session)
    assert _deliver(session, smtp, settings) == {"sent": 1, "retry": 0, "failed": 0}
    assert _deliver(session, smtp, settings) == {"sent": 0, "retry": 0, "failed": 0}
    assert len(smtp.messages) == 1
    received = smtp.messages[0]
    assert (
        received["To"] == "kommune@example.org" and "hier ist die Antwort" in received.get_content()
    )
    session.refresh(row)
    assert row.status == OutboxStatus.SENT and row.message_id == received["Message-ID"]


def test_an_outage_of_several_minutes_loses_nothing(session, smtp):
    settings = smtp.settings()
    rows = [_row(session, subject=f"Nachricht {n}") for n in range(3)]
    smtp.stop()
    assert _deliver(session, smtp, settings)["retry"] == 3
    for row in rows:
        session.refresh(row)
        assert row.status == OutboxStatus.PENDING and row.attempts == 1
        assert row.next_attempt_at > utcnow() and "nicht erreichbar" in row.last_error
    later = utcnow() + timedelta(minutes=3)
    assert _deliver(session, smtp, settings, now=lambda: later)["retry"] == 3  # still down
    smtp.start()
    much_later = utcnow() + timedelta(minutes=10)
    assert _deliver(session, smtp, settings, now=lambda: much_later)["sent"] == 3
    assert sorted(m["Subject"] for m in smtp.messages) == [f"Nachricht {n}" for n in range(3)]
    assert len({m["Message-ID"] for m in smtp.messages}) == 3


def test_temporary_and_permanent_smtp_errors(session, smtp):
    settings = smtp.settings(max_attempts=2)
    row = _row(session)
    smtp.handler.reply = "451 4.3.0 Bitte später"
    assert _deliver(session, smtp, settings)["retry"] == 1
    later = utcnow() + timedelta(hours=2)
    assert _deliver(session, smtp, settings, now=lambda: later)["failed"] == 1
    session.refresh(row)
    assert row.status == OutboxStatus.FAILED and row.attempts == 2 and "451" in row.last_error
    other = _row(session)
    smtp.handler.reply = "550 5.1.1 Unbekannter Empfänger"
    assert _deliver(session, smtp, settings)["failed"] == 1  # permanent: no retry
    session.refresh(other)
    assert other.status == OutboxStatus.FAILED and other.attempts == 1


def test_a_claimed_row_is_not_sent_by_a_second_worker(session, smtp):
    row = _row(session)
    assert claim(session, row.id, utcnow()) is True
    assert claim(session, row.id, utcnow()) is False
    assert _deliver(session, smtp, smtp.settings())["sent"] == 0
    # a worker that died leaves a lease that runs out; then the row goes out (once)
    later = utcnow() + timedelta(minutes=11)
    assert _deliver(session, smtp, smtp.settings(), now=lambda: later)["sent"] == 1
    assert len(smtp.messages) == 1


def enqueue_send(settings) -> None:
    from service.jobs import connect_redis

    async def main() -> None:
        pool = await connect_redis(settings)
        await pool.enqueue_job("send_outbox")
        await pool.aclose()

    asyncio.run(main())


def test_without_smtp_host_mail_waits_in_the_outbox(session, settings):
    _row(session)
    assert settings.email.smtp_host is None
    enqueue_send(settings)
    assert run_worker(settings) == 1
    session.expire_all()
    assert session.exec(select(OutboxMessage)).one().status == OutboxStatus.PENDING


def test_the_worker_job_sends_through_smtp(session, settings, smtp):
    settings.email = smtp.settings()
    _row(session)
    enqueue_send(settings)
    run_worker(settings)
    assert len(smtp.messages) == 1
