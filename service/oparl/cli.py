"""`inge oparl sync --municipality AGS [--body-url URL]`."""

from __future__ import annotations

import asyncio

import click
from sqlmodel import select

from service.config import Settings, get_settings
from service.db import short_session
from service.jobs import PendingJob, send_now, take_pending_jobs
from service.models import Municipality, OParlSource
from service.oparl.service import SyncReport, sync
from service.settings_store import effective


@click.group("oparl")
def oparl() -> None:
    """Vorlagen aus dem Ratsinformationssystem (OParl) holen."""


@oparl.command("sync")
@click.option("--municipality", "ags", required=True, help="AGS der Kommune")
@click.option("--body-url", default=None, help="OParl-Body der Kommune (wird gespeichert)")
def sync_command(ags: str, body_url: str | None) -> None:
    """Einmal synchronisieren und ausgeben, was neu, geändert oder übersprungen ist."""
    settings = get_settings()
    with short_session(settings.resolved_database_url) as session:
        municipality = session.exec(select(Municipality).where(Municipality.ags == ags)).first()
        if municipality is None or municipality.id is None:
            raise click.ClickException(f"Keine Kommune mit AGS {ags}.")
        source = session.exec(
            select(OParlSource).where(OParlSource.municipality_id == municipality.id)
        ).first()
        if body_url:
            source = source or OParlSource(municipality_id=municipality.id, body_url=body_url)
            source.body_url = body_url
            session.add(source)
            session.flush()
        if source is None:
            raise click.ClickException("Für diese Kommune ist kein OParl-Body eingetragen.")
        report = asyncio.run(sync(session, source, effective(session, settings)))
        jobs = take_pending_jobs(session)
    asyncio.run(_send(settings, jobs))  # extraction and checks, after the commit
    _print(report)
    if report.errors and not (report.imported or report.changed):
        raise SystemExit(1)


async def _send(settings: Settings, jobs: list[PendingJob]) -> None:
    if jobs and not settings.redis_url:
        click.echo("Hinweis: kein Redis eingestellt; der Worker holt die Verarbeitung nach.")
        return
    await send_now(settings, jobs)


def _print(report: SyncReport) -> None:
    click.echo(report.summary())
    for title, items in (
        ("neu", report.imported),
        ("geändert", report.changed),
        ("übersprungen", report.skipped),
        ("gelöscht", report.deleted),
        ("Fehler", report.errors),
    ):
        for item in items:
            click.echo(f"  {title}: {item}")
