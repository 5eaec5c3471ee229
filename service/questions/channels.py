"""Channel adapters: an answer goes back the way its question came.

Each adapter turns an answer into what its channel needs. Outgoing messages go to the outbox
in the same transaction. The worker sends them once the change is committed (e-mail and Slack
senders: issue 6). Web and check-finding answers are visible at once in the asker's view; the
asker is also told by e-mail.
"""

from __future__ import annotations

from typing import Protocol

from sqlmodel import Session

from service.models import Channel, Question, User
from service.outbox.service import queue_message


class ReplyChannel(Protocol):
    """Delivers an answer for one channel; returns a German note on how it went out."""

    def deliver(
        self, session: Session, question: Question, text: str, *, sender: str, public_url: str
    ) -> str: ...


def _link(public_url: str, question: Question) -> str:
    return f"{public_url.rstrip('/')}/fragen/{question.id}"


def _queue(session: Session, question: Question, **fields: str | None) -> None:
    queue_message(
        session,
        municipality_id=question.municipality_id,
        question_id=question.id,
        purpose="answer",
        **fields,
    )


class WebChannel:
    """The answer shows on the question page; the asker gets an e-mail with the link."""

    def deliver(
        self, session: Session, question: Question, text: str, *, sender: str, public_url: str
    ) -> str:
        asker = session.get(User, question.asker_id) if question.asker_id else None
        address = asker.email if asker is not None else question.asker_address
        if not address:
            return "im Portal sichtbar"
        body = (
            f"FS INGE hat Ihre Frage „{question.subject}“ beantwortet ({sender}):\n\n{text}\n\n"
            f"Frage und Antwort im Portal: {_link(public_url, question)}\n"
        )
        _queue(
            session,
            question,
            channel="email",
            recipient=address,
            subject=f"Antwort der FS INGE: {question.subject}"[:300],
            body=body,
        )
        return f"im Portal sichtbar, Benachrichtigung an {address} in der Ausgangswarteschlange"


class EmailChannel:
    """A reply in the asker's e-mail thread (In-Reply-To the question's Message-ID)."""

    def deliver(
        self, session: Session, question: Question, text: str, *, sender: str, public_url: str
    ) -> str:
        if not question.asker_address:
            return "keine Absenderadresse bekannt; nur im Portal sichtbar"
        _queue(
            session,
            question,
            channel="email",
            recipient=question.asker_address,
            subject=f"Re: {question.subject}"[:300],
            body=f"{text}\n\n-- \n{sender}, FS INGE\n{_link(public_url, question)}\n",
            thread_ref=question.thread_ref,
        )
        return f"per E-Mail an {question.asker_address} in der Ausgangswarteschlange"


class SlackChannel:
    """A reply in the Slack thread the question was asked in."""

    def deliver(
        self, session: Session, question: Question, text: str, *, sender: str, public_url: str
    ) -> str:
        if not question.asker_address:
            return "kein Slack-Kanal bekannt; nur im Portal sichtbar"
        _queue(
            session,
            question,
            channel="slack",
            recipient=question.asker_address,
            body=f"{text}\n— {sender}, FS INGE",
            thread_ref=question.thread_ref,
        )
        return "als Slack-Antwort im Thread in der Ausgangswarteschlange"


ADAPTERS: dict[str, ReplyChannel] = {
    Channel.WEB.value: WebChannel(),
    Channel.CHECK.value: WebChannel(),  # the finding's page shows it; the clerk gets an e-mail
    Channel.EMAIL.value: EmailChannel(),
    Channel.SLACK.value: SlackChannel(),
}


def adapter_for(channel: str) -> ReplyChannel:
    return ADAPTERS[channel]
