"""A real SMTP server (aiosmtpd) on loopback that records what it receives, and can be told to
answer with an error or be stopped and started again (an outage)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from service.config import EmailSettings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Recorder:
    """aiosmtpd handler: keeps each message; `reply` (e.g. "451 …") refuses DATA instead."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.reply: str | None = None

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.reply:
            return self.reply
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 OK"


class SmtpServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.handler = Recorder()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    def settings(self, **overrides) -> EmailSettings:
        values = {
            "smtp_host": "127.0.0.1",
            "smtp_port": self.port,
            "smtp_timeout": 5.0,
            "from_address": "inge@inge.example",
            "retry_base_seconds": 60.0,
            "max_attempts": 4,
        }
        return EmailSettings(**(values | overrides))


@pytest.fixture()
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture()
def slack(settings):
    from tests.integrations.slack_server import SECRET, FakeSlack

    fake = FakeSlack()
    fake.start()
    settings.slack_signing_secret = SECRET
    settings.slack_bot_token = "xoxb-test"
    settings.slack_api_url = fake.url
    settings.slack_advisors_channel = "CBERATUNG"
    yield fake
    fake.stop()
