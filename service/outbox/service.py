"""Writing to the outbox: a message is a row in the same transaction as the change that causes
it; the send job is enqueued to run right after the commit (and a cron job catches retries)."""

from __future__ import annotations

from html import escape
from typing import Any

from sqlmodel import Session

from service.jobs import enqueue_job
from service.models import CheckRun, Municipality, OutboxMessage, User

SEND_JOB = "send_outbox"


def queue_message(session: Session, **fields: Any) -> OutboxMessage:
    row = OutboxMessage(**fields)
    session.add(row)
    enqueue_job(session, SEND_JOB)
    return row


def queue_report(
    session: Session, run: CheckRun, municipality: Municipality, finalizer: User | None
) -> list[OutboxMessage]:
    """The compliance report (HTML mail with plain-text part, PDF attached) to each of the
    municipality's report recipients; the PDF is rendered when the mail is sent."""
    who = finalizer.display_name or finalizer.email if finalizer else "INGE"
    title = run.title or f"Vorlage {run.reference or run.id}"
    text = (
        f"Guten Tag,\n\ndie INSEK-Prüfung der Vorlage „{title}“"
        f"{f' ({run.reference})' if run.reference else ''} für {municipality.name} wurde von "
        f"{who} abgeschlossen. Der Prüfbericht liegt als PDF bei.\n\n"
        f"INSEK-relevant: {'ja' if run.insek_relevant else 'nein'}\n"
        f"Checkliste {run.checklist_version}, Zielsystem Fassung {run.goal_set_version}\n\n"
        "Diese Nachricht wurde automatisch von INGE erstellt.\n"
    )
    html = (
        '<!doctype html><html lang="de"><body>'
        f"<p>Guten Tag,</p><p>die INSEK-Prüfung der Vorlage <strong>{_esc(title)}</strong> für "
        f"{_esc(municipality.name)} wurde von {_esc(who)} abgeschlossen. Der Prüfbericht liegt "
        "als PDF bei.</p>"
        f"<p>INSEK-relevant: {'ja' if run.insek_relevant else 'nein'}<br>"
        f"Checkliste {_esc(run.checklist_version)}, Zielsystem Fassung "
        f"{run.goal_set_version}</p><p>Diese Nachricht wurde automatisch von INGE erstellt.</p>"
        "</body></html>"
    )
    return [
        queue_message(
            session,
            municipality_id=municipality.id,
            channel="email",
            recipient=recipient,
            subject=f"INSEK-Prüfbericht: {title}"[:300],
            body=text,
            purpose="report",
            details={"check_run_id": run.id, "html": html},
        )
        for recipient in municipality.report_recipients
    ]


def _esc(value: str) -> str:
    return escape(value, quote=True)
