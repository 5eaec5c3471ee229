"""The arq worker: every job and cron job is registered here, in one place."""

from __future__ import annotations

import logging
from typing import Any, cast

from arq import Worker
from arq.cron import CronJob, cron
from arq.typing import WorkerCoroutine
from arq.worker import Function, func

from service.config import Settings, get_settings
from service.db import make_engine
from service.documents.tasks import document_stragglers, process_document
from service.insek.tasks import extract_goal_set, goal_set_stragglers
from service.jobs import redis_settings
from service.mail.tasks import inbound_stragglers, process_inbound
from service.monitoring.tasks import monthly_reminders
from service.oparl.tasks import oparl_due, oparl_sync
from service.outbox.tasks import send_outbox
from service.questions.tasks import advisor_digest, question_reminders
from service.resolutions.tasks import check_stragglers, run_check
from service.slack.tasks import handle_slack, slack_stragglers

log = logging.getLogger(__name__)


JOBS: dict[str, Any] = {
    "process_document": process_document,
    "extract_goal_set": extract_goal_set,
    "run_check": run_check,
    "send_outbox": send_outbox,
    "handle_slack": handle_slack,
    "process_inbound": process_inbound,
    "oparl_sync": oparl_sync,
}


def functions(settings: Settings) -> list[Function]:
    """Every job of the service, with its retry and time limits."""
    return [
        func(job, name=name, max_tries=settings.job_max_tries, timeout=settings.job_timeout_seconds)
        for name, job in JOBS.items()
    ]


def _co(job: Any) -> WorkerCoroutine:
    """Our task wrapper is an async function of (ctx, *args); arq's type is narrower."""
    return cast(WorkerCoroutine, job)


def cron_jobs() -> list[CronJob]:
    """Reminders at 7:00 and the advisors' digest at 7:15 (server time); the outbox each
    minute."""
    return [
        cron(_co(question_reminders), name="question_reminders", hour=7, minute=0, unique=True),
        cron(_co(advisor_digest), name="advisor_digest", hour=7, minute=15, unique=True),
        # retries of the outbox (the send job is also enqueued right after each commit)
        cron(_co(send_outbox), name="send_outbox_cron", second=0, unique=True),
        cron(_co(inbound_stragglers), name="inbound_stragglers", second=30, unique=True),
        cron(_co(slack_stragglers), name="slack_stragglers", second=45, unique=True),
        cron(_co(document_stragglers), name="document_stragglers", second=15, unique=True),
        cron(_co(check_stragglers), name="check_stragglers", second=20, unique=True),
        cron(_co(goal_set_stragglers), name="goal_set_stragglers", second=25, unique=True),
        cron(
            _co(monthly_reminders), name="monthly_reminders", day=1, hour=7, minute=30, unique=True
        ),
        cron(_co(oparl_due), name="oparl_due", minute=set(range(0, 60, 5)), unique=True),
    ]


async def startup(ctx: dict[str, Any]) -> None:
    settings: Settings = ctx.get("settings") or get_settings()
    ctx["settings"] = settings
    ctx["engine"] = make_engine(settings.resolved_database_url)
    log.info("Worker gestartet (Warteschlange %s)", settings.queue_name)


async def shutdown(ctx: dict[str, Any]) -> None:
    engine = ctx.get("engine")
    if engine is not None:
        engine.dispose()


def build_worker(settings: Settings, *, burst: bool = False, **overrides: Any) -> Worker:
    """An arq Worker for ``settings``; tests run it with ``burst=True`` in-process."""
    options: dict[str, Any] = {
        "functions": functions(settings),
        # also the cron jobs' limit; arq keeps a job's in-progress mark for the longest limit
        # + 10 s, so this bounds how long a crashed worker's job waits before it runs again
        "job_timeout": settings.job_timeout_seconds,
        "cron_jobs": cron_jobs(),
        "redis_settings": redis_settings(settings),
        "queue_name": settings.queue_name,
        "on_startup": startup,
        "on_shutdown": shutdown,
        "ctx": {"settings": settings},
        "burst": burst,
        "max_jobs": 4,
        "keep_result": 3600,
        "handle_signals": not burst,
        "poll_delay": 0.2,
    }
    options.update(overrides)
    return Worker(**options)
