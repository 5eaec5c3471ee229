"""OParl sync jobs: one per source, and a cron job that starts the due ones."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import Session, select

from service.jobs import enqueue_job, task
from service.models import OParlSource, utcnow
from service.oparl.service import sync
from service.settings_store import effective


@task
async def oparl_sync(ctx: dict[str, Any], session: Session, source_id: int) -> str:
    source = session.get(OParlSource, source_id)
    if source is None:
        return "nichts zu tun"
    report = await sync(session, source, effective(session, ctx["settings"]))
    return report.summary()


@task
async def oparl_due(ctx: dict[str, Any], session: Session) -> int:
    """Enqueue a sync for every source whose interval has passed (one job per source)."""
    now = utcnow()
    started = 0
    for source in session.exec(select(OParlSource)).all():
        last = source.last_sync_started
        if last is None or now - last >= timedelta(minutes=source.interval_minutes):
            stamp = now.strftime("%Y%m%d%H%M")
            enqueue_job(session, "oparl_sync", source.id, job_id=f"oparl_sync:{source.id}:{stamp}")
            started += 1
    return started
