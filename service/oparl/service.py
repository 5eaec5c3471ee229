"""Importing a municipality's Beschlussvorlagen over OParl: new and changed papers become
documents (and are checked, like an upload); tombstones are recorded; each import keeps the
earlier versions."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, select

from integrations.oparl.client import OParlClient, OParlError, normalise_ags
from service.config import Settings
from service.documents.service import create_document
from service.errors import IngeError
from service.models import DocumentKind, Municipality, OParlPaper, OParlSource, utcnow
from service.storage import BytesReader

OVERLAP = timedelta(minutes=5)  # clocks of server and INGE differ; re-reading is harmless


@dataclass
class SyncReport:
    imported: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.imported)} neu, {len(self.changed)} geändert, "
            f"{len(self.skipped)} übersprungen, {len(self.deleted)} gelöscht, "
            f"{len(self.errors)} Fehler"
        )


async def sync(
    session: Session,
    source: OParlSource,
    settings: Settings,
    *,
    client: OParlClient | None = None,
) -> SyncReport:
    """One incremental sync of `source` (papers modified since the last good sync)."""
    client = client or OParlClient()
    municipality = session.get(Municipality, source.municipality_id)
    assert municipality is not None
    started = utcnow()
    source.last_sync_started = started
    report = SyncReport()
    try:
        body = await asyncio.to_thread(client.get, source.body_url)
        since = (source.last_sync_ok - OVERLAP).isoformat() if source.last_sync_ok else None
        papers = await asyncio.to_thread(_all, client, str(body.get("paper") or ""), since)
    except OParlError as exc:
        source.last_error = exc.message[:2000]
        session.add(source)
        report.errors.append(exc.message)
        return report
    body_ags = normalise_ags(body.get("ags"))
    if body_ags and body_ags != municipality.ags:
        report.skipped.append(f"Hinweis: Body-AGS {body_ags} ≠ {municipality.ags}")
    meetings: dict[str, datetime | None] = {}
    for paper in papers:
        await _paper(session, client, municipality, source, paper, settings, report, meetings)
    source.last_sync_ok, source.last_error = started, None
    session.add(source)
    return report


def _all(client: OParlClient, url: str, since: str | None) -> list[dict[str, Any]]:
    if not url:
        raise OParlError("Die Body-Antwort nennt keine Paper-Liste.")
    return list(client.items(url, modified_since=since))


async def _paper(
    session: Session,
    client: OParlClient,
    municipality: Municipality,
    source: OParlSource,
    paper: dict[str, Any],
    settings: Settings,
    report: SyncReport,
    meetings: dict[str, datetime | None],
) -> None:
    oparl_id = str(paper.get("id") or paper.get("_fetched_from") or "")
    label = str(paper.get("reference") or oparl_id)
    row = session.exec(
        select(OParlPaper).where(
            OParlPaper.municipality_id == municipality.id, OParlPaper.oparl_id == oparl_id
        )
    ).first()
    if paper.get("deleted"):
        if row is not None and not row.deleted:
            row.deleted = True
            session.add(row)
            report.deleted.append(label)
        return
    if paper.get("paperType") not in source.paper_types:
        report.skipped.append(f"{label} ({paper.get('paperType') or 'ohne Art'})")
        return
    if row is not None and row.modified == paper.get("modified") and row.documents:
        report.skipped.append(f"{label} (unverändert)")
        return
    file = _file_of(paper)
    if file is None:
        report.skipped.append(f"{label} (keine PDF-Datei)")
        return
    try:
        await _import(session, client, municipality, paper, file, row, settings, meetings)
    except (OParlError, IngeError) as exc:
        report.errors.append(f"{label}: {exc.message}")
        return
    (report.changed if row is not None else report.imported).append(label)


def _file_of(paper: dict[str, Any]) -> dict[str, Any] | None:
    """The main file, else the first PDF among the auxiliary files."""
    candidates = [paper.get("mainFile"), *(paper.get("auxiliaryFile") or [])]
    for file in candidates:
        if isinstance(file, dict) and (file.get("downloadUrl") or file.get("accessUrl")):
            mime = (file.get("mimeType") or "application/pdf").lower()
            if mime == "application/pdf":
                return file
    return None


async def _import(
    session: Session,
    client: OParlClient,
    municipality: Municipality,
    paper: dict[str, Any],
    file: dict[str, Any],
    row: OParlPaper | None,
    settings: Settings,
    meetings: dict[str, datetime | None],
) -> None:
    url = str(file.get("downloadUrl") or file.get("accessUrl"))
    data = await asyncio.to_thread(client.download, url, sha1=file.get("sha1Checksum"))
    name = str(paper.get("name") or paper.get("reference") or "Vorlage")
    document = await create_document(
        session,
        BytesReader(data),
        filename=str(file.get("fileName") or "vorlage.pdf"),
        kind=DocumentKind.BESCHLUSSVORLAGE,
        municipality=municipality,
        principal=None,
        settings=settings,
    )
    document.title = name[:300]
    session.add(document)
    assert municipality.id is not None and document.id is not None
    if row is None:
        row = OParlPaper(municipality_id=municipality.id, oparl_id=str(paper.get("id")))
    row.reference, row.name = paper.get("reference"), name
    row.paper_type, row.modified = paper.get("paperType"), paper.get("modified")
    row.file_url, row.file_sha1 = url, file.get("sha1Checksum")
    row.meeting_start = await _meeting_start(client, paper, meetings)
    row.documents = [*row.documents, document.id]
    row.history = [
        *row.history,
        {"modified": row.modified, "document_id": document.id, "imported": utcnow().isoformat()},
    ]
    row.updated_at = utcnow()
    session.add(row)


async def _meeting_start(
    client: OParlClient, paper: dict[str, Any], cache: dict[str, datetime | None]
) -> datetime | None:
    """The start of the meeting of the first authoritative consultation (else the first)."""
    consultations = [c for c in paper.get("consultation") or [] if isinstance(c, dict)]
    chosen = next((c for c in consultations if c.get("authoritative")), None)
    chosen = chosen or (consultations[0] if consultations else None)
    meeting = chosen.get("meeting") if chosen else None
    if not isinstance(meeting, str):
        return None
    if meeting not in cache:
        try:
            start = (await asyncio.to_thread(client.get, meeting)).get("start")
            cache[meeting] = datetime.fromisoformat(start) if isinstance(start, str) else None
        except (OParlError, ValueError):
            cache[meeting] = None
    return cache[meeting]
