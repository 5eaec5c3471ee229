"""Check runs of Beschlussvorlagen: storing results, confirming items, finalising."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlmodel import Session, col, select

from checks.base import STATUSES, CheckResult
from service.audit import record
from service.errors import Conflict, ValidationFailed
from service.jobs import enqueue_for_rows
from service.models import (
    CheckItem,
    CheckRun,
    CheckRunStatus,
    Document,
    DocumentStatus,
    Municipality,
    User,
    utcnow,
)
from service.outbox.service import queue_report
from service.tenancy import Principal


def store_results(session: Session, run: CheckRun, results: list[CheckResult]) -> None:
    """Replace the run's items with ``results`` (idempotent for a re-run before finalising)."""
    for old in items_of(session, run):
        session.delete(old)
    session.flush()
    assert run.id is not None
    for position, result in enumerate(results):
        session.add(
            CheckItem(
                municipality_id=run.municipality_id,
                check_run_id=run.id,
                position=position,
                check_id=result.check_id,
                requirement=result.requirement,
                status=result.status,
                explanation=result.explanation,
                evidence=[
                    {"side": e.side, "note": e.note, **asdict(e.span)} for e in result.evidence
                ],
            )
        )


def items_of(session: Session, run: CheckRun) -> list[CheckItem]:
    query = select(CheckItem).where(CheckItem.check_run_id == run.id)
    return list(session.exec(query.order_by(col(CheckItem.position))).all())


def effective_status(item: CheckItem) -> str:
    return item.confirmed_status or item.status


def confirm_item(
    session: Session,
    run: CheckRun,
    item: CheckItem,
    *,
    principal: Principal,
    status: str | None,
    reason: str,
) -> CheckItem:
    """Confirm the computed status (``status`` None or equal) or override it with a reason."""
    _require_checked(
        run, closed="Die Prüfung ist abgeschlossen und kann nicht mehr geändert werden."
    )
    new = status or item.status
    if new not in STATUSES:
        raise ValidationFailed(f"Unbekanntes Ergebnis {new!r}; erlaubt: {', '.join(STATUSES)}.")
    if new != item.status and not reason.strip():
        raise ValidationFailed("Wer das Ergebnis ändert, muss einen Grund angeben.")
    before = {"status": effective_status(item), "reason": item.override_reason}
    item.confirmed_status = new
    item.override_reason = reason.strip() or None
    item.confirmed_by_id = principal.user_id
    item.confirmed_at = utcnow()
    session.add(item)
    record(
        session,
        actor_id=principal.user_id,
        action="check.item.confirm",
        object_type="check_item",
        object_id=item.id,
        municipality_id=run.municipality_id,
        details={
            "check_run_id": run.id,
            "check_id": item.check_id,
            "before": before,
            "after": {"status": new, "reason": item.override_reason},
            "computed": item.status,
        },
    )
    return item


def _require_checked(run: CheckRun, *, closed: str) -> None:
    """Only a checked, not yet finalised run can be confirmed or finalised (409 otherwise)."""
    if run.status == CheckRunStatus.FINAL:
        raise Conflict(closed)
    if run.status != CheckRunStatus.DONE:
        raise Conflict("Die Prüfung ist noch nicht fertig.")


ANSWER_RELEVANT = "ja"
ANSWER_NOT_RELEVANT = "nein"


def answer_choices(run: CheckRun) -> list[str]:
    """What the municipality may answer to "INSEK-relevant? Handlungsfeld?" for this run."""
    return [str(f["name"]) for f in run.fields] + [ANSWER_RELEVANT, ANSWER_NOT_RELEVANT]


def finalize(
    session: Session, run: CheckRun, *, principal: Principal, answer: str | None = None
) -> CheckRun:
    """Close the run; every item must have been confirmed or overridden first. `answer` is the
    municipality's own answer (a Handlungsfeld of the goal set, "ja" or "nein"); answered runs
    become precedents for later checks against the same goal set."""
    _require_checked(run, closed="Die Prüfung ist bereits abgeschlossen.")
    open_items = [i.check_id for i in items_of(session, run) if i.confirmed_status is None]
    if open_items:
        raise ValidationFailed(
            "Bitte zuerst alle Punkte bestätigen oder ändern: " + ", ".join(open_items) + "."
        )
    if answer is not None and answer not in answer_choices(run):
        raise ValidationFailed(
            "Die Antwort muss ein Handlungsfeld des INSEK, „ja“ oder „nein“ sein."
        )
    run.answer = answer
    run.status = CheckRunStatus.FINAL.value
    run.finalized_at = utcnow()
    run.finalized_by_id = principal.user_id
    session.add(run)
    municipality = session.get(Municipality, run.municipality_id)
    assert municipality is not None
    queue_report(session, run, municipality, session.get(User, principal.user_id))
    record(
        session,
        actor_id=principal.user_id,
        action="check.finalize",
        object_type="check_run",
        object_id=run.id,
        municipality_id=run.municipality_id,
        details={
            "checklist_version": run.checklist_version,
            "goal_set_version": run.goal_set_version,
            "answer": answer,
        },
    )
    return run


def summary(items: list[CheckItem]) -> dict[str, Any]:
    counts: dict[str, int] = {}
    for item in items:
        counts[effective_status(item)] = counts.get(effective_status(item), 0) + 1
    return {"counts": counts, "open": sum(1 for i in items if i.confirmed_status is None)}


def start_check(session: Session, document: Document, *, actor_id: int | None) -> CheckRun:
    """A new pending run for a processed Vorlage; the check itself runs after the commit."""
    if document.status != DocumentStatus.PROCESSED:
        raise Conflict(
            "Der Text des Dokuments liegt noch nicht vor; bitte warten Sie, bis es verarbeitet ist."
        )
    assert document.id is not None
    run = CheckRun(
        municipality_id=document.municipality_id,
        document_id=document.id,
        title=document.title[:500],
        created_by_id=actor_id,
    )
    session.add(run)
    session.flush()
    record(
        session,
        actor_id=actor_id,
        action="check.start",
        object_type="check_run",
        object_id=run.id,
        municipality_id=run.municipality_id,
        details={"document_id": document.id},
    )
    assert run.id is not None
    enqueue_for_rows(session, "run_check", run.id)
    return run
