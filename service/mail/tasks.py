"""The job that turns a received e-mail into a question (and the cron job for stragglers)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from service.jobs import enqueue_job, task
from service.mail.inbound import process
from service.models import InboundMail, InboundStatus
from service.settings_store import effective


@task
async def process_inbound(ctx: dict[str, Any], session: Session, mail_id: int) -> str:
    """Handle one stored mail once; a handled one is left alone."""
    mail = session.get(InboundMail, mail_id)
    if mail is None or mail.status != InboundStatus.NEW:
        return "nichts zu tun"
    outcome = await process(session, mail, effective(session, ctx["settings"]))
    mail.status, mail.reason, mail.question_id = (
        outcome.status.value,
        outcome.reason[:2000],
        outcome.question_id,
    )
    session.add(mail)
    return mail.status


@task
async def inbound_stragglers(ctx: dict[str, Any], session: Session) -> int:
    """Mails stored while Redis was away: enqueue them now."""
    ids = session.exec(
        select(InboundMail.id).where(InboundMail.status == InboundStatus.NEW.value)
    ).all()
    for mail_id in ids:
        enqueue_job(session, "process_inbound", mail_id, job_id=f"process_inbound:{mail_id}")
    return len(ids)
