"""The Slack API unavailable for minutes (connection refused, 503, 429 with a long Retry-After):
the messages in the outbox (an advisor's answer into the asker's thread, announcements in the
advisors' channel) wait with backoff and are posted afterwards, each exactly once, also when
two workers deliver at the same time. A permanent Slack error ends as a visible dead letter.
(The SMTP side: tests/integrations/test_email_outbox.py.)"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from integrations.slack.service import POLICY, deliver_due
from service.models import Channel, OutboxMessage, OutboxStatus, Role, utcnow
from service.questions.service import NewQuestion, create_question
from service.slack.tasks import make_client
from tests.factories import create_municipality, create_token, create_user
from tests.helpers import bearer, login, page_csrf
from tests.integrations.slack_server import SECRET, FakeSlack

THREAD = ("CKOMMUNE", "1700000500.000200")
ADVISORS = "CBERATUNG"


@pytest.fixture()
def slack(settings) -> Iterator[FakeSlack]:
    fake = FakeSlack()
    fake.start()
    settings.slack_signing_secret = SECRET
    settings.slack_bot_token = "xoxb-test"
    settings.slack_api_url = fake.url
    settings.slack_advisors_channel = ADVISORS
    yield fake
    fake.stop()


def deliver(session: Session, settings, at: datetime) -> dict[str, int]:
    client = make_client(settings)
    assert client is not None
    return asyncio.run(deliver_due(session, client, now=lambda: at))


def worker(engine: Engine, settings, at: datetime) -> dict[str, int]:
    """One worker's run of the Slack outbox, with its own database session."""
    with Session(engine) as session:
        return deliver(session, settings, at)


def slack_rows(session: Session) -> list[OutboxMessage]:
    session.expire_all()
    query = select(OutboxMessage).where(OutboxMessage.channel == "slack")
    return list(session.exec(query.order_by(col(OutboxMessage.id))).all())


def queue_messages(client, session: Session, settings, *, questions: int = 3) -> list[str]:
    """Through the app: web questions (each announced in the advisors' channel) and an advisor's
    answer to a question asked in Slack (posted into its thread). Returns the texts to expect."""
    town = create_municipality(session, name="Slackstadt")
    clerk = create_user(session, role=Role.CLERK, municipality=town)
    advisor = create_user(session, role=Role.ADVISOR)
    texts = [f"Frage {n}: Wie messen wir Ziel {n} im Monitoring?" for n in range(questions)]
    for text in texts:
        r = client.post(
            "/api/v1/questions", headers=bearer(create_token(session, clerk)), json={"text": text}
        )
        assert r.status_code in (200, 201), r.text
    assert town.id is not None
    asked = create_question(
        session,
        NewQuestion(
            municipality_id=town.id,
            text="Was gehört in ein Monitoring?",
            channel=Channel.SLACK,
            asker_name="Slack U1",
            asker_address=THREAD[0],
            thread_ref=":".join(THREAD),
        ),
        sla_days=settings.questions.sla_working_days,
        suggestions=[],
        answered=False,
        actor_id=None,
    )
    session.commit()
    answer = "Indikatoren und ein Bericht alle zwei Jahre."
    r = client.post(
        f"/api/v1/questions/{asked.id}/answer",
        headers=bearer(create_token(session, advisor)),
        json={"text": answer},
    )
    assert r.status_code == 200, r.text
    return [*texts, answer]


def concurrently(*jobs: Callable[[], dict[str, int]]) -> list[dict[str, int]]:
    """Run the jobs in threads that start together (two workers of the same outbox)."""
    start = threading.Barrier(len(jobs))
    results: list[dict[str, int]] = []
    errors: list[BaseException] = []

    def run(job: Callable[[], dict[str, int]]) -> None:
        start.wait()
        try:
            results.append(job())
        except BaseException as exc:  # handed to the test thread below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


@pytest.mark.slow  # slack-sdk's own short retries of a refused connection take a few seconds
def test_an_outage_of_several_minutes_loses_nothing_and_sends_nothing_twice(
    client, settings, session, engine, slack
):
    texts = queue_messages(client, session, settings)
    rows = slack_rows(session)
    assert len(rows) == len(texts)
    t0 = utcnow()

    slack.stop()  # connection refused
    assert deliver(session, settings, t0) == {"sent": 0, "retry": len(rows), "failed": 0}
    for row in slack_rows(session):
        assert row.status == OutboxStatus.PENDING and row.attempts == 1
        assert row.next_attempt_at > t0 and "nicht erreichbar" in (row.last_error or "")
    assert deliver(session, settings, t0)["retry"] == 0  # backoff: not due again yet

    slack.outage = (503, "service_unavailable", {})
    slack.start()
    assert deliver(session, settings, t0 + timedelta(minutes=3))["retry"] == len(rows)
    assert all("503" in (row.last_error or "") for row in slack_rows(session))

    # rate limited for minutes: not waited out inside the job, the outbox backs off instead
    slack.outage = (429, "ratelimited", {"Retry-After": "300"})
    assert deliver(session, settings, t0 + timedelta(minutes=6))["retry"] == len(rows)
    assert all(row.attempts == 3 for row in slack_rows(session))
    # the next try waits at least as long as Slack asked (the backoff alone would be shorter)
    asked = t0 + timedelta(minutes=6, seconds=300)
    assert all(row.next_attempt_at >= asked for row in slack_rows(session))
    assert slack.posted() == []

    slack.outage = None
    slack.delay = 0.1  # each post takes a moment, so that the two workers overlap
    later = t0 + timedelta(minutes=15)
    results = concurrently(*[lambda: worker(engine, settings, later)] * 2)
    assert sum(r["sent"] for r in results) == len(rows)
    assert sum(r["retry"] + r["failed"] for r in results) == 0
    assert deliver(session, settings, t0 + timedelta(hours=2))["sent"] == 0

    posts = slack.posted()
    assert len(posts) == len(texts)  # each message once
    for text in texts:
        assert sum(text in p["text"] for p in posts) == 1, text
    reply = next(p for p in posts if texts[-1] in p["text"])
    assert (reply["channel"], reply["thread_ts"]) == THREAD
    assert all(p["channel"] == ADVISORS and p["blocks"] for p in posts if p is not reply)
    for row in slack_rows(session):
        assert row.status == OutboxStatus.SENT and row.attempts == 4 and row.last_error is None


def test_a_permanent_slack_error_is_a_visible_dead_letter_not_retried(
    client, settings, session, slack
):
    texts = queue_messages(client, session, settings, questions=1)
    slack.channel_errors[ADVISORS] = "channel_not_found"  # the channel was deleted
    t0 = utcnow()
    assert deliver(session, settings, t0) == {"sent": 1, "retry": 0, "failed": 1}
    dead = next(row for row in slack_rows(session) if row.recipient == ADVISORS)
    assert dead.status == OutboxStatus.FAILED and dead.attempts == 1
    assert "channel_not_found" in (dead.last_error or "")
    for hours in (1, 24, 24 * 7):
        assert deliver(session, settings, t0 + timedelta(hours=hours)) == {
            "sent": 0,
            "retry": 0,
            "failed": 0,
        }
    assert len(slack.refused) == 1  # tried once, never again by itself
    assert [p["thread_ts"] for p in slack.posted()] == [THREAD[1]]  # the answer went out

    admin = create_user(session, role=Role.ADMIN)
    login(client, admin.email)
    page = client.get("/einstellungen/ausgang", params={"status": OutboxStatus.FAILED.value})
    assert page.status_code == 200
    assert "channel_not_found" in page.text and f"Nachricht {dead.id} erneut senden" in page.text

    slack.channel_errors.clear()  # the channel is back; the admin sends the message again
    r = client.post(
        f"/einstellungen/ausgang/{dead.id}/erneut",
        data={"csrf_token": page_csrf(client, "/einstellungen/ausgang")},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert deliver(session, settings, utcnow())["sent"] == 1
    announcements = [p for p in slack.posted() if p["channel"] == ADVISORS]
    assert len(announcements) == 1 and texts[0] in announcements[0]["text"]
    assert deliver(session, settings, utcnow() + timedelta(hours=1))["sent"] == 0


def test_an_outage_longer_than_every_retry_ends_as_a_dead_letter(client, settings, session, slack):
    queue_messages(client, session, settings, questions=1)
    slack.outage = (503, "service_unavailable", {})
    at, rounds = utcnow(), 0
    while any(row.status == OutboxStatus.PENDING for row in slack_rows(session)):
        deliver(session, settings, at)
        at, rounds = at + timedelta(hours=2), rounds + 1  # past the longest backoff
        assert rounds <= POLICY.max_attempts
    rows = slack_rows(session)
    assert all(row.status == OutboxStatus.FAILED for row in rows)
    assert all(
        row.attempts == POLICY.max_attempts and "503" in (row.last_error or "") for row in rows
    )
    assert len(slack.refused) == POLICY.max_attempts * len(rows)
    slack.outage = None
    assert deliver(session, settings, at + timedelta(days=7))["sent"] == 0  # waits for an admin
    assert slack.posted() == []
