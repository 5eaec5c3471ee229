"""INGE's built-in SMTP receiver (aiosmtpd): the organisation's mail server relays mail for
INGE's address to it. A message is stored raw in the database before it is accepted (250), so
nothing is lost; if storing fails the sender is told to try later (451). Processing is a job.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from email.parser import BytesHeaderParser
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy.engine import Engine
from sqlmodel import Session as DbSession

from service.config import EmailSettings
from service.models import InboundMail

log = logging.getLogger(__name__)

Enqueue = Callable[[int], Awaitable[None]]


class InboundHandler:
    def __init__(self, engine: Engine, enqueue: Enqueue) -> None:
        self.engine = engine
        self.enqueue = enqueue

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        try:
            mail_id = await asyncio.to_thread(self._store, envelope, raw)
        except Exception:  # the database is away: the sender's server retries later
            log.exception("Eingehende E-Mail konnte nicht gespeichert werden")
            return "451 4.3.0 Bitte später erneut versuchen"
        try:
            await self.enqueue(mail_id)
        except Exception:  # stored: the cron job picks it up
            log.warning("Job für E-Mail %s nicht eingereiht; der Cron-Job holt ihn nach", mail_id)
        return "250 2.0.0 Angenommen"

    def _store(self, envelope: Envelope, raw: bytes) -> int:
        headers = BytesHeaderParser().parsebytes(raw)
        with DbSession(self.engine) as session:
            row = InboundMail(
                envelope_from=(envelope.mail_from or "")[:320],
                envelope_to=", ".join(envelope.rcpt_tos)[:1000],
                message_id=(headers.get("Message-ID") or "").strip()[:500] or None,
                raw=raw,
                size_bytes=len(raw),
            )
            session.add(row)
            session.commit()
            assert row.id is not None
            return row.id


def make_controller(
    settings: EmailSettings, engine: Engine, enqueue: Enqueue, **options: Any
) -> Controller:
    """An aiosmtpd controller on the configured host and port, with the size limit."""
    if not settings.inbound_port:
        raise ValueError("INGE_EMAIL__INBOUND_PORT is not set")
    return Controller(
        InboundHandler(engine, enqueue),
        hostname=settings.inbound_host,
        port=settings.inbound_port,
        data_size_limit=settings.inbound_max_bytes,
        **options,
    )
