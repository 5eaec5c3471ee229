"""Redis restarted during work (killed, started again empty): no accepted upload is lost. Uploads
made while Redis is down are accepted and kept; the reconciler (the `document_stragglers` cron
job) re-enqueues documents whose job was lost, and documents stuck `in Verarbeitung` beyond
their time limit; every document is then extracted once."""

from __future__ import annotations

import asyncio
import os
import signal
from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, col, func, select

from service.config import Settings
from service.db import make_engine
from service.documents import tasks as document_tasks
from service.jobs import connect_redis
from service.models import (
    AuditEvent,
    CheckRun,
    CheckRunStatus,
    Document,
    DocumentPage,
    Role,
    utcnow,
)
from service.storage import BlobStore
from tests.factories import create_municipality, create_token, create_user
from tests.faults.redis_server import RedisServer
from tests.faults.test_worker_crash import start_worker, wait_for
from tests.fixtures.hostile import slow_pdf_bytes
from tests.helpers import bearer, login, page_csrf, run_worker, upload

VORLAGE = "Beschlussvorlage B-7/2024\nBetreff: Sanierung der Grundschule am Markt\n" * 5


@pytest.fixture()
def redis_url(redis_server: RedisServer) -> str:
    """Overrides the shared test Redis: these tests kill theirs."""
    return redis_server.url


def reconcile(settings: Settings, monkeypatch: pytest.MonkeyPatch, *, at: datetime) -> int:
    """Run the cron job `document_stragglers` as the worker runs it, with the clock at `at`."""

    async def main() -> int:
        engine = make_engine(settings.resolved_database_url)
        pool = await connect_redis(settings)
        ctx = {"settings": settings, "engine": engine, "redis": pool, "job_try": 1}
        try:
            return int(await document_tasks.document_stragglers(ctx))
        finally:
            await pool.aclose()
            engine.dispose()

    with monkeypatch.context() as clock:
        clock.setattr(document_tasks, "utcnow", lambda: at)
        return asyncio.run(main())


def web_upload(client, name: str, text: str) -> int:
    """Upload through the web form (303 to the document's page); returns the id."""
    r = client.post(
        "/dokumente",
        data={"kind": "other", "csrf_token": page_csrf(client, "/dokumente/neu")},
        files={"file": (name, text.encode())},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return int(r.headers["location"].rsplit("/", 1)[-1])


def processed_once(session: Session, document_id: int) -> int:
    """How often the document reached `verarbeitet` (from the audit trail), checked against
    its pages: each page stored once."""
    session.expire_all()
    document = session.get(Document, document_id)
    assert document is not None
    assert document.status == "verarbeitet", (document.status, document.error_message)
    pages = session.exec(select(func.count()).where(DocumentPage.document_id == document_id)).one()
    assert pages == document.page_count
    events = session.exec(
        select(AuditEvent).where(
            AuditEvent.action == "document.status",
            AuditEvent.object_type == "document",
            AuditEvent.object_id == document_id,
        )
    ).all()
    return sum(1 for e in events if e.details.get("to") == "verarbeitet")


def test_uploads_survive_a_redis_restart(client, settings, session, redis_server, monkeypatch):
    town = create_municipality(session)
    clerk = create_user(session, role=Role.CLERK, municipality=town)
    token = create_token(session, clerk)
    login(client, clerk.email)

    queued = [
        upload(client, token, "a.txt", "Erstes Dokument vor dem Ausfall. " * 20, "other"),
        upload(client, token, "b.txt", "Zweites Dokument vor dem Ausfall. " * 20, "other"),
        upload(client, token, "vorlage.txt", VORLAGE, "beschlussvorlage"),
    ]
    assert redis_server.queued(settings.queue_name) == 3

    redis_server.kill()
    r = client.post(
        "/api/v1/documents",
        headers=bearer(token),
        data={"kind": "other"},
        files={"file": ("c.txt", ("Hochgeladen ohne Redis. " * 20).encode())},
    )
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "hochgeladen"
    while_down = [
        int(r.json()["id"]),
        web_upload(client, "d.txt", "Per Formular ohne Redis. " * 20),
    ]
    blobs = BlobStore(settings.blob_dir)
    for document_id in while_down:
        document = session.get(Document, document_id)
        assert document is not None and document.status == "hochgeladen"
        assert blobs.path_for(document.sha256).is_file()

    redis_server.start()  # empty: the three queued jobs are gone
    assert redis_server.queued(settings.queue_name) == 0
    assert run_worker(settings) == 0
    accepted = queued + while_down

    now = utcnow()
    assert reconcile(settings, monkeypatch, at=now) == 0  # too fresh: a job may still come
    later = now + timedelta(minutes=3)
    assert reconcile(settings, monkeypatch, at=later) == len(accepted)
    assert reconcile(settings, monkeypatch, at=later) == len(accepted)  # the cron runs again
    assert redis_server.queued(settings.queue_name) == len(accepted)  # same job ids: no twins

    run_worker(settings)
    for document_id in accepted:
        assert processed_once(session, document_id) == 1
        assert session.get(Document, document_id).attempts == 1
    runs = session.exec(select(CheckRun).where(col(CheckRun.document_id) == queued[2])).all()
    assert len(runs) == 1 and runs[0].status != CheckRunStatus.PENDING
    assert reconcile(settings, monkeypatch, at=now + timedelta(hours=2)) == 0


@pytest.mark.slow
def test_a_document_stuck_in_processing_is_re_enqueued_after_its_time_limit(
    client, settings, session, redis_server, monkeypatch
):
    """The worker and Redis die together mid-extraction (a host crash): the job is gone, the
    document stays `in Verarbeitung` until its time limit has passed, then runs again once."""
    town = create_municipality(session)
    clerk = create_user(session, role=Role.CLERK, municipality=town)
    r = client.post(
        "/api/v1/documents",
        headers=bearer(create_token(session, clerk)),
        data={"kind": "other"},
        files={"file": ("langsam.pdf", slow_pdf_bytes(pages=2, operations=80_000))},
    )
    assert r.status_code == 201, r.text
    document_id = int(r.json()["id"])

    worker = start_worker(settings)
    try:
        wait_for(session, document_id, {"in Verarbeitung"}, 30)
        redis_server.kill()
        os.killpg(worker.pid, signal.SIGKILL)  # the worker and its extraction child
        worker.wait(10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(10)
    session.expire_all()
    stuck = session.get(Document, document_id)
    assert stuck is not None and stuck.status == "in Verarbeitung" and stuck.attempts == 1
    started = stuck.processing_started_at
    assert started is not None

    redis_server.start()
    assert run_worker(settings) == 0  # nothing left in the queue to run it
    limit = timedelta(seconds=settings.job_timeout_seconds)
    assert reconcile(settings, monkeypatch, at=started + timedelta(minutes=3)) == 0
    assert reconcile(settings, monkeypatch, at=started + limit) == 0  # a worker may be on it
    beyond = started + limit + timedelta(minutes=2)
    assert reconcile(settings, monkeypatch, at=beyond) == 1
    assert reconcile(settings, monkeypatch, at=beyond) == 1
    assert redis_server.queued(settings.queue_name) == 1

    run_worker(settings)
    assert processed_once(session, document_id) == 1
    done = session.get(Document, document_id)
    assert done.attempts == 2 and done.page_count == 2
    assert reconcile(settings, monkeypatch, at=beyond + timedelta(hours=1)) == 0
