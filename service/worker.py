"""The arq worker: every job and cron job is registered here, in one place."""

from __future__ import annotations

import logging
from typing import Any

from arq import Worker
from arq.worker import Function, func

from service.config import Settings, get_settings
from service.db import make_engine
from service.documents.tasks import process_document
from service.insek.tasks import extract_goal_set
from service.jobs import redis_settings
from service.resolutions.tasks import run_check

log = logging.getLogger(__name__)


JOBS: dict[str, Any] = {
    "process_document": process_document,
    "extract_goal_set": extract_goal_set,
    "run_check": run_check,
}


def functions(settings: Settings) -> list[Function]:
    """Every job of the service, with its retry and time limits."""
    return [
        func(job, name=name, max_tries=settings.job_max_tries, timeout=settings.job_timeout_seconds)
        for name, job in JOBS.items()
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
