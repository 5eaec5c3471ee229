"""The send job of the outbox (e-mail); enqueued after commits and run by cron each minute."""

from __future__ import annotations

import logging
from typing import Any

from sqlmodel import Session

from integrations.email.client import make_mailer
from integrations.email.service import deliver_due
from service.jobs import task
from service.models import CheckRun, Municipality, OutboxMessage, User
from service.resolutions import report
from service.resolutions.service import items_of
from service.settings_store import effective
from service.slack.tasks import send_slack_outbox
from service.templating import make_templates

log = logging.getLogger(__name__)


def report_attachment(session: Session, row: OutboxMessage) -> list[tuple[str, str, bytes]]:
    """The PDF report of the row's check run, rendered now (the run is final)."""
    run = session.get(CheckRun, int(row.details["check_run_id"]))
    if run is None:
        return []
    municipality = session.get(Municipality, run.municipality_id)
    assert municipality is not None
    finalizer = session.get(User, run.finalized_by_id) if run.finalized_by_id else None
    context = report.report_context(run, items_of(session, run), municipality, finalizer)
    pdf = report.render_pdf(report.render_html(make_templates(), context))
    return [(f"inge-pruefbericht-{run.id}.pdf", "application/pdf", pdf)]


@task
async def send_outbox(ctx: dict[str, Any], session: Session) -> dict[str, int]:
    """Send what is due: e-mail through SMTP, Slack messages through the Web API."""
    settings = effective(session, ctx["settings"])
    counts: dict[str, int] = {}
    mailer = make_mailer(settings.email)
    if mailer is None:
        log.info("Kein SMTP-Server eingestellt; E-Mails bleiben in der Ausgangswarteschlange.")
    else:
        email = await deliver_due(
            session, mailer, settings.email, attachments={"report": report_attachment}
        )
        counts |= {f"email_{k}": v for k, v in email.items()}
    slack = await send_slack_outbox(session, settings)
    return counts | {f"slack_{k}": v for k, v in slack.items()}
