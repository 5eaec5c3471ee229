"""Job plumbing on a real Redis with the real arq worker: retries, after-commit enqueueing."""

from __future__ import annotations

import asyncio

from arq.worker import func

from service.jobs import TransientError, backoff_seconds, connect_redis, task
from service.worker import build_worker

CALLS: list[int] = []


@task
async def flaky(ctx, session, n: int) -> str:
    """A job of the test's own: fails transiently twice, then succeeds."""
    CALLS.append(n)
    if len(CALLS) < 3:
        raise TransientError("Verbindung unterbrochen")
    return "ok"


def test_transient_errors_are_retried_with_backoff(settings, monkeypatch):
    CALLS.clear()
    monkeypatch.setattr("service.jobs.backoff_seconds", lambda attempt: 0.01 * attempt)

    async def main() -> int:
        redis = await connect_redis(settings)
        await redis.enqueue_job("flaky", 7, _job_id="flaky:7")
        await redis.aclose()
        worker = build_worker(
            settings,
            burst=True,
            functions=[func(flaky, name="flaky", max_tries=5)],
            cron_jobs=[],
        )
        try:
            await worker.async_run()
        finally:
            await worker.close()
        return worker.jobs_complete

    assert asyncio.run(main()) == 1
    assert CALLS == [7, 7, 7]


def test_backoff_grows_and_is_capped():
    assert all(0 <= backoff_seconds(1) <= 2 for _ in range(50))
    assert all(0 <= backoff_seconds(20) <= 300 for _ in range(50))
    assert max(backoff_seconds(6) for _ in range(200)) > 8


def test_rejected_upload_enqueues_nothing(client, settings, session):
    from tests.factories import create_municipality, create_token, create_user

    m = create_municipality(session)
    token = create_token(session, create_user(session, municipality=m))
    r = client.post(
        "/api/v1/documents",
        headers={"Authorization": f"Bearer {token}"},
        files={"file": ("x.bin", b"\x00\x01" * 50)},
        data={"kind": "other"},
    )
    assert r.status_code == 415

    async def queued() -> int:
        redis = await connect_redis(settings)
        try:
            return await redis.zcard(settings.queue_name)
        finally:
            await redis.aclose()

    assert asyncio.run(queued()) == 0
    r = client.post(
        "/api/v1/documents",
        headers={"Authorization": f"Bearer {token}"},
        files={"file": ("x.txt", b"Hallo")},
        data={"kind": "other"},
    )
    assert r.status_code == 201
    assert asyncio.run(queued()) == 1


def test_reconciler_re_enqueues_lost_and_stuck_documents(client, settings, session):
    """A document whose job was lost (Redis away) or whose worker died is processed later."""
    import asyncio
    from datetime import timedelta

    from service.documents.tasks import document_stragglers
    from service.jobs import connect_redis
    from service.models import Document, Role, utcnow
    from tests.factories import create_municipality, create_token, create_user
    from tests.helpers import run_worker

    town = create_municipality(session)
    user = create_user(session, role=Role.CLERK, municipality=town)
    headers = {"Authorization": f"Bearer {create_token(session, user)}"}
    ids = [
        client.post(
            "/api/v1/documents",
            headers=headers,
            data={"kind": "other"},
            files={"file": (f"{n}.txt", f"Text Nummer {n}".encode())},
        ).json()["id"]
        for n in range(2)
    ]

    async def drop_queue() -> None:  # the jobs are lost, as if Redis had restarted empty
        pool = await connect_redis(settings)
        await pool.flushdb()
        await pool.aclose()

    asyncio.run(drop_queue())
    session.expire_all()
    lost, stuck = (session.get(Document, i) for i in ids)
    lost.created_at = utcnow() - timedelta(minutes=5)
    stuck.status = "in Verarbeitung"
    stuck.processing_started_at = utcnow() - timedelta(hours=2)
    session.add_all([lost, stuck])
    session.commit()

    async def reconcile() -> int:
        from service.db import make_engine

        pool = await connect_redis(settings)
        engine = make_engine(settings.resolved_database_url)
        try:
            return await document_stragglers(
                {"settings": settings, "engine": engine, "redis": pool}
            )
        finally:
            engine.dispose()
            await pool.aclose()

    assert asyncio.run(reconcile()) == 2
    run_worker(settings)
    session.expire_all()
    assert [session.get(Document, i).status for i in ids] == ["verarbeitet", "verarbeitet"]
