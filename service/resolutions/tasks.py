"""Background check of a Beschlussvorlage against the municipality's adopted goal set."""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from datetime import timedelta
from typing import Any

from sqlmodel import Session, col, select

from checks.analysis import Analysis
from checks.registry import CHECKLIST
from service import __version__
from service.audit import record
from service.documents.service import document_text
from service.insek.service import current_adopted, items_of
from service.jobs import enqueue_for_rows, stale_before, task
from service.models import CheckRun, CheckRunStatus, Document, DocumentStatus, utcnow
from service.resolutions.analysis import prepare, run_analysis
from service.resolutions.service import store_results

NO_INSEK = (
    "Für Ihre Kommune ist noch kein INSEK beschlossen. Laden Sie Ihr INSEK hoch, prüfen "
    "Sie das Zielsystem und markieren Sie es als beschlossen; dann kann INGE "
    "Beschlussvorlagen dagegen prüfen."
)
NO_TEXT = "Der Text der Vorlage liegt nicht vor (Verarbeitung fehlgeschlagen oder noch offen)."


@task
async def run_check(ctx: dict[str, Any], session: Session, check_run_id: int) -> str:
    """Fill the checklist of one run; a finalised run is never touched again."""
    run = session.get(CheckRun, check_run_id)
    if run is None or run.status == CheckRunStatus.FINAL:
        return "nichts zu tun"
    document = session.get(Document, run.document_id)
    if document is None or document.status != DocumentStatus.PROCESSED:
        return _fail(session, run, NO_TEXT)
    goal_set = current_adopted(session, run.municipality_id)
    if goal_set is None:
        return _fail(session, run, NO_INSEK)
    text = document_text(session, run.document_id)
    items = items_of(session, goal_set)
    # the session is only used by this thread while the job awaits it
    prepared = await asyncio.to_thread(prepare, goal_set, items, session=session)
    analysis = await asyncio.to_thread(run_analysis, text, prepared, goal_set)
    _store(session, run, analysis, goal_set.id, goal_set.version)
    return run.status


def _store(
    session: Session, run: CheckRun, analysis: Analysis, goal_set_id: int | None, version: int
) -> None:
    context = analysis.context
    run.goal_set_id, run.goal_set_version = goal_set_id, version
    run.checklist_version, run.software_version = CHECKLIST.version, __version__
    run.insek_relevant, run.relevance_score = context.relevant, context.relevance
    run.fields = [{"name": f.name, "score": round(f.score, 4)} for f in context.fields]
    run.precedents = _precedents(session, analysis)
    run.goals = [
        {
            "text": m.entry.text,
            "kind": m.entry.kind,
            "item_id": m.entry.item_id,
            "handlungsfeld": m.entry.handlungsfeld,
            "score": round(m.score, 4),
            "direction": m.direction,
            "vorlage": asdict(m.vorlage),
            "insek": asdict(m.insek),
        }
        for m in context.matches[:10]
    ]
    run.reference = run.reference or analysis.vorlage.nummer
    run.title = (analysis.vorlage.betreff or run.title)[:500]
    run.status, run.error_message, run.checked_at = CheckRunStatus.DONE.value, None, utcnow()
    session.add(run)
    store_results(session, run, analysis.results)
    record(
        session,
        actor_id=None,
        action="check.run",
        object_type="check_run",
        object_id=run.id,
        municipality_id=run.municipality_id,
        details={
            "relevant": context.relevant,
            "goal_set_version": version,
            "checklist_version": CHECKLIST.version,
        },
    )


def _precedents(session: Session, analysis: Analysis) -> list[dict[str, Any]]:
    """The earlier runs that voted, with their title and answer, most similar first."""
    vote = analysis.match.precedents
    if vote is None:
        return []
    found = []
    for reference, answer, similarity in vote.neighbours:
        earlier = session.get(CheckRun, int(reference))
        if earlier is not None and similarity > 0:
            found.append(
                {
                    "check_run_id": earlier.id,
                    "title": earlier.title,
                    "reference": earlier.reference,
                    "answer": answer,
                    "similarity": round(similarity, 3),
                }
            )
    return found


def _fail(session: Session, run: CheckRun, message: str) -> str:
    run.status, run.error_message = CheckRunStatus.FAILED.value, message
    session.add(run)
    record(
        session,
        actor_id=None,
        action="check.failed",
        object_type="check_run",
        object_id=run.id,
        municipality_id=run.municipality_id,
        details={"reason": message},
    )
    return run.status


@task
async def check_stragglers(ctx: dict[str, Any], session: Session) -> int:
    """Re-enqueue checks still `ausstehend` beyond the job time limit: their job was lost
    (Redis restarted between the commit that created the run and the job's start). The job id
    is the original one, so a job that is merely still queued is not doubled. Only runs of the
    last day: an older pending run has a problem a retry every minute would not solve."""
    now = utcnow()
    stale = stale_before(ctx["settings"], now)
    ids = session.exec(
        select(CheckRun.id).where(
            CheckRun.status == CheckRunStatus.PENDING.value,
            col(CheckRun.created_at) < stale,
            col(CheckRun.created_at) > now - timedelta(days=1),
        )
    ).all()
    return enqueue_for_rows(session, "run_check", *ids)
