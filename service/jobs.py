"""Job plumbing: jobs are buffered on the session and sent to arq only after its commit.

``task`` wraps every worker function: it opens a session per job, commits at the end, sends the
jobs the task enqueued, turns transient errors into ``Retry`` with exponential backoff and jitter,
and records permanent failures through the task's own handler.
"""

from __future__ import annotations

import functools
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from arq import ArqRedis, Retry
from arq.connections import RedisSettings, create_pool
from sqlmodel import Session

from service.config import Settings
from service.db import session_scope
from service.logs import request_id_var

log = logging.getLogger(__name__)

_PENDING = "inge_pending_jobs"


@dataclass(frozen=True)
class PendingJob:
    function: str
    args: tuple[Any, ...]
    job_id: str | None
    kwargs: dict[str, Any] = field(default_factory=dict)


class TransientError(Exception):
    """A failure that may go away by itself (a lock, a network blip): the job is retried."""


def enqueue_job(session: Session, function: str, *args: Any, job_id: str | None = None) -> None:
    """Buffer a job on the session; :func:`send_pending_jobs` sends it after the commit."""
    session.info.setdefault(_PENDING, []).append(PendingJob(function, args, job_id))


def row_job_id(function: str, row_id: int) -> str:
    """The job id of `function` for one row. The straggler crons enqueue under the same id, so
    a job that is merely still queued is not doubled (arq refuses a second job of an id)."""
    return f"{function}:{row_id}"


def enqueue_for_rows(session: Session, function: str, *row_ids: int) -> int:
    """Buffer `function(row_id)` for each row under :func:`row_job_id`; returns how many."""
    for row_id in row_ids:
        enqueue_job(session, function, row_id, job_id=row_job_id(function, row_id))
    return len(row_ids)


def stale_before(settings: Settings, now: datetime) -> datetime:
    """A job started before this is past its time limit (with a minute for arq to notice), so
    a row it left unfinished has lost its job."""
    return now - timedelta(seconds=settings.job_timeout_seconds + 60)


def take_pending_jobs(session: Session) -> list[PendingJob]:
    return list(session.info.pop(_PENDING, []))


async def send_jobs(pool: ArqRedis, jobs: list[PendingJob], *, queue_name: str) -> None:
    """Send committed jobs; an existing job with the same id is left alone (idempotence)."""
    for job in jobs:
        await pool.enqueue_job(job.function, *job.args, _job_id=job.job_id, _queue_name=queue_name)


async def send_now(settings: Settings, jobs: list[PendingJob]) -> None:
    """Send jobs buffered outside a request or job (CLI, benchmarks) on a short-lived pool."""
    if not jobs:
        return
    pool = await connect_redis(settings)
    try:
        await send_jobs(pool, jobs, queue_name=settings.queue_name)
    finally:
        await pool.aclose()


def redis_settings(settings: Settings) -> RedisSettings:
    if not settings.redis_url:
        raise RuntimeError("INGE_REDIS_URL ist nicht gesetzt")
    return RedisSettings.from_dsn(settings.redis_url)


async def connect_redis(settings: Settings) -> ArqRedis:
    return await create_pool(redis_settings(settings), default_queue_name=settings.queue_name)


def backoff_seconds(attempt: int, *, base: float = 2.0, cap: float = 300.0) -> float:
    """Exponential backoff with full jitter for retry ``attempt`` (1-based)."""
    return random.uniform(0, min(cap, base * 2 ** (attempt - 1)))  # noqa: S311 - not crypto


TaskBody = Callable[..., Awaitable[Any]]


def task(fn: TaskBody) -> Callable[..., Awaitable[Any]]:
    """Wrap ``fn(ctx, session, *args)`` into an arq job with a session and commit boundary."""

    @functools.wraps(fn)
    async def run(ctx: dict[str, Any], *args: Any) -> Any:
        request_id_var.set(f"job:{ctx.get('job_id', fn.__name__)}")  # one task per job
        settings: Settings = ctx["settings"]
        try:
            with session_scope(ctx["engine"]) as session:
                result = await fn(ctx, session, *args)
                jobs = take_pending_jobs(session)
        except TransientError as exc:
            attempt = int(ctx.get("job_try", 1))
            if attempt >= settings.job_max_tries:
                raise
            delay = backoff_seconds(attempt)
            log.warning(
                "%s: vorübergehender Fehler (%s), neuer Versuch in %.1fs",
                fn.__name__,
                type(exc).__name__,
                delay,
            )
            raise Retry(defer=delay) from exc
        await send_jobs(ctx["redis"], jobs, queue_name=settings.queue_name)
        return result

    return run


def checkpoint(session: Session) -> None:
    """Commit what a job has done so far, so users see progress (e.g. "in Verarbeitung").

    Part of the job boundary: only task bodies call it, never services.
    """
    session.commit()
