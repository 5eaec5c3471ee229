"""Sending mail: the `Mailer` protocol, SMTP through aiosmtplib, and a recording fake.

Errors are sorted for the outbox: `TemporaryMailError` (4xx replies, connection problems,
timeouts) is retried with backoff; `PermanentMailError` (5xx) ends in the dead-letter state.
"""

from __future__ import annotations

from email.message import EmailMessage
from typing import Protocol

import aiosmtplib

from service.config import EmailSettings
from service.outbox.delivery import DeliveryFailed


class MailError(DeliveryFailed):
    """A failed delivery attempt; `message` is shown in the outbox (German where it is ours)."""


class TemporaryMailError(MailError):
    temporary = True


class PermanentMailError(MailError):
    temporary = False


class Mailer(Protocol):
    async def send(self, message: EmailMessage) -> None: ...


class SmtpMailer:
    """One SMTP connection per message; the outbox job sends a handful at a time."""

    def __init__(self, settings: EmailSettings) -> None:
        if not settings.smtp_host:
            raise ValueError("SMTP host not configured")
        self.settings = settings

    async def send(self, message: EmailMessage) -> None:
        s = self.settings
        password = s.smtp_password.get_secret_value() if s.smtp_password else None
        try:
            await aiosmtplib.send(
                message,
                hostname=s.smtp_host,
                port=s.smtp_port,
                username=s.smtp_username,
                password=password,
                start_tls=s.smtp_starttls,
                use_tls=s.smtp_tls,
                timeout=s.smtp_timeout,
            )
        except aiosmtplib.SMTPResponseException as exc:
            text = f"SMTP {exc.code}: {exc.message}"
            if 400 <= exc.code < 500:
                raise TemporaryMailError(text) from exc
            raise PermanentMailError(text) from exc
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            raise TemporaryMailError(f"SMTP nicht erreichbar: {exc}") from exc


def make_mailer(settings: EmailSettings) -> Mailer | None:
    """The mailer for the configured settings; None = no SMTP host, mail waits in the outbox."""
    return SmtpMailer(settings) if settings.smtp_host else None
