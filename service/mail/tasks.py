"""The job that turns a received e-mail into a question (and the cron job for stragglers)."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from service.jobs import TransientError, enqueue_for_rows, take_pending_jobs, task
from service.mail.inbound import Outcome, process
from service.models import InboundMail, InboundStatus
from service.settings_store import effective

log = logging.getLogger(__name__)

UNEXPECTED = "Die E-Mail konnte wegen eines internen Fehlers nicht verarbeitet werden."


@task
async def process_inbound(ctx: dict[str, Any], session: Session, mail_id: int) -> str:
    """Handle one stored mail once; a handled one is left alone."""
    mail = session.get(InboundMail, mail_id)
    if mail is None or mail.status != InboundStatus.NEW:
        return "nichts zu tun"
    try:
        outcome = await process(session, mail, effective(session, ctx["settings"]))
    except (TransientError, SQLAlchemyError, OSError):
        raise  # the system, not the mail: retried
    except Exception:  # a bug on this mail must not leave it "neu" for the cron to retry forever
        log.exception("E-Mail %s: unerwarteter Fehler", mail_id)
        session.rollback()
        take_pending_jobs(session)  # jobs for rows that were just rolled back
        mail = session.get(InboundMail, mail_id)
        assert mail is not None
        outcome = Outcome(InboundStatus.FAILED, UNEXPECTED)
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
    return enqueue_for_rows(session, "process_inbound", *ids)
