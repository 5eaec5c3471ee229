"""Jobs that follow another step (a check after its request, a goal-set extraction after its
document) are lost when Redis restarts empty in between. The reconcilers `check_stragglers`
and `goal_set_stragglers` find the rows left waiting beyond the job time limit and enqueue
their job again, once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import delete, select

from service.config import Settings
from service.db import make_engine
from service.insek.tasks import goal_set_stragglers
from service.jobs import connect_redis
from service.models import CheckRun, Document, GoalItem, GoalSet, Role, utcnow
from service.resolutions.tasks import check_stragglers
from tests.factories import create_municipality, create_token, create_user
from tests.faults.redis_server import RedisServer
from tests.fixtures import vorlage_sample as v
from tests.helpers import adopt_sample_insek, bearer, run_worker, upload


@pytest.fixture()
def redis_url(redis_server: RedisServer) -> str:
    """Overrides the shared test Redis: this test restarts its own, empty."""
    return redis_server.url


@pytest.fixture()
def token(client, settings, session):
    town = create_municipality(session, name="Folgestadt")
    token = create_token(
        session, create_user(session, role=Role.MUNICIPAL_ADMIN, municipality=town)
    )
    adopt_sample_insek(client, settings, token)
    return token


def cron(settings: Settings, job: Callable[..., Any]) -> int:
    """Run a cron job as the worker runs it."""

    async def main() -> int:
        engine = make_engine(settings.resolved_database_url)
        pool = await connect_redis(settings)
        try:
            return int(await job({"settings": settings, "engine": engine, "redis": pool}))
        finally:
            await pool.aclose()
            engine.dispose()

    return asyncio.run(main())


def restart_empty(redis_server: RedisServer) -> None:
    redis_server.kill()
    redis_server.start()


def age(session, row, field: str, settings: Settings) -> None:
    """Move a timestamp back beyond the job time limit (the job would have run by then)."""
    setattr(row, field, utcnow() - timedelta(seconds=settings.job_timeout_seconds + 120))
    session.add(row)
    session.commit()


def test_a_check_whose_job_was_lost_runs_once(client, settings, session, token, redis_server):
    doc = upload(client, token, "radweg.txt", v.RADWEG, "beschlussvorlage")
    run_worker(settings)  # extraction and the first check
    started = client.post("/api/v1/checks", headers=bearer(token), json={"document_id": doc})
    assert started.status_code in (200, 201, 202), started.text
    restart_empty(redis_server)  # the new check's job is gone
    assert run_worker(settings) == 0
    run = session.exec(select(CheckRun).order_by(CheckRun.id.desc())).first()  # type: ignore[union-attr]
    assert run.status == "ausstehend"
    assert cron(settings, check_stragglers) == 0  # not yet beyond the time limit
    age(session, run, "created_at", settings)
    assert cron(settings, check_stragglers) == 1
    assert cron(settings, check_stragglers) == 1  # found again, but the same job id
    assert run_worker(settings) == 1  # one job, not two
    session.expire_all()
    assert session.get(CheckRun, run.id).status == "geprüft"
    assert cron(settings, check_stragglers) == 0


def test_a_goal_set_extraction_whose_job_was_lost_runs_once(
    client, settings, session, token, redis_server
):
    insek = session.exec(select(Document).where(Document.kind == "insek")).one()
    # The state a lost job leaves: the document processed, no goal set, nothing queued.
    goal_sets = [g.id for g in session.exec(select(GoalSet)).all()]
    session.exec(delete(GoalItem).where(GoalItem.goal_set_id.in_(goal_sets)))  # type: ignore[attr-defined]
    session.exec(delete(GoalSet))
    session.commit()
    restart_empty(redis_server)
    assert cron(settings, goal_set_stragglers) == 0  # processed just now: its job may run
    age(session, insek, "processed_at", settings)
    assert cron(settings, goal_set_stragglers) == 1
    assert run_worker(settings) == 1
    session.expire_all()
    assert len(session.exec(select(GoalSet).where(GoalSet.document_id == insek.id)).all()) == 1
    assert cron(settings, goal_set_stragglers) == 0
