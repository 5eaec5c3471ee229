"""The e-mail side of the outbox: compose a row into a MIME message and deliver due rows.

Rows are claimed through service.outbox.delivery; a row retried after a lost lease keeps its
Message-ID, so a receiver can drop the duplicate.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import datetime
from email.message import EmailMessage
from email.utils import formataddr

from sqlmodel import Session

from integrations.email.client import Mailer
from service.config import EmailSettings
from service.models import OutboxMessage, utcnow
from service.outbox.delivery import RetryPolicy
from service.outbox.delivery import deliver_due as deliver

AUTOMATIC = frozenset({"reminder", "digest", "report", "notice"})

# purpose -> function adding attachments (e.g. the PDF report); registered by the service
Attachments = Callable[[Session, OutboxMessage], list[tuple[str, str, bytes]]]


def message_id_for(row: OutboxMessage, settings: EmailSettings) -> str:
    """A Message-ID fixed for the row's lifetime (kept across retries)."""
    if row.message_id:
        return row.message_id
    domain = settings.from_address.rpartition("@")[2] or "localhost"
    seed = f"{row.id}:{row.created_at.isoformat()}:{row.recipient}".encode()
    return f"<inge.{row.id}.{hashlib.sha256(seed).hexdigest()[:16]}@{domain}>"


def compose(
    row: OutboxMessage,
    settings: EmailSettings,
    attachments: Sequence[tuple[str, str, bytes]] = (),
) -> EmailMessage:
    """The MIME message: plain text (and HTML when the row has it), threading headers,
    `Auto-Submitted: auto-generated` for automatic mail, attachments."""
    message = EmailMessage()
    message["From"] = formataddr((settings.from_name, settings.from_address))
    message["To"] = row.recipient
    message["Subject"] = row.subject
    message["Message-ID"] = message_id_for(row, settings)
    if row.thread_ref:
        message["In-Reply-To"] = row.thread_ref
        message["References"] = " ".join(
            [*row.details.get("references", []), row.thread_ref]
        ).strip()
    if row.purpose == "notice":  # an automatic reply to a mail (RFC 3834)
        message["Auto-Submitted"] = "auto-replied"
    elif row.purpose in AUTOMATIC:
        message["Auto-Submitted"] = "auto-generated"
    message["X-INGE-Outbox"] = str(row.id)
    message.set_content(row.body)
    html = row.details.get("html")
    if isinstance(html, str) and html:
        message.add_alternative(html, subtype="html")
    for filename, mime, data in attachments:
        maintype, _, subtype = mime.partition("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message


async def deliver_due(
    session: Session,
    mailer: Mailer,
    settings: EmailSettings,
    *,
    attachments: dict[str, Attachments] | None = None,
    now: Callable[[], datetime] = utcnow,
) -> dict[str, int]:
    """Send every due e-mail row once; returns counts by outcome."""
    extras = attachments or {}

    async def send(row: OutboxMessage) -> None:
        row.message_id = message_id_for(row, settings)
        extra = extras[row.purpose](session, row) if row.purpose in extras else []
        await mailer.send(compose(row, settings, extra))

    policy = RetryPolicy(
        settings.max_attempts, settings.retry_base_seconds, settings.retry_max_seconds
    )
    return await deliver(session, "email", send, policy, now=now)
