"""Slack messages of INGE: answers with sources and the forward button, the advisors'
announcement with Übernehmen/Öffnen, and the Slack side of the outbox."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlmodel import Session

from integrations.slack.client import ChatClient
from nlp.kb import Answer
from service.models import OutboxMessage, Question, utcnow
from service.outbox.delivery import RetryPolicy
from service.outbox.delivery import deliver_due as deliver

FORWARD = "inge_forward"
CLAIM = "inge_claim"
POLICY = RetryPolicy(max_attempts=8, base_seconds=30.0, max_seconds=3600.0)
EXCERPT = 300


def answer_text(question: str, answer: Answer) -> str:
    lines = [f"*Frag doch INGE:* {question}"]
    if answer.answered:
        lines.append("Diese Stellen beantworten Ihre Frage wahrscheinlich:")
    else:
        lines.append("Das kann ich nicht sicher beantworten.")
        if answer.hits:
            lines.append("Vielleicht hilfreich (unsicher):")
    for number, hit in enumerate(answer.hits[:3], start=1):
        p = hit.passage
        where = ", ".join(
            x
            for x in (p.source, f"Abschnitt „{p.section}“" if p.section else "", _page(p.page))
            if x
        )
        excerpt = p.text if len(p.text) <= EXCERPT else p.text[: EXCERPT - 1] + "…"
        lines.append(f"{number}. „{excerpt}“ — {where} (Treffer {hit.score:.2f})")
    return "\n".join(lines)


def _page(page: int | None) -> str:
    return f"S. {page}" if page else ""


def answer_blocks(text: str, delivery_id: int) -> list[dict[str, Any]]:
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": text[:2900]}},
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": "An FS INGE weiterleiten"},
                    "action_id": FORWARD,
                    "value": str(delivery_id),
                }
            ],
        },
    ]


def announcement(question: Question, municipality: str, public_url: str) -> dict[str, Any]:
    """The advisors' channel post for a new queue item (never internal notes)."""
    link = f"{public_url.rstrip('/')}/fragen/{question.id}"
    kind = "Prüfbefund" if question.channel == "check" else "Neue Frage"
    text = f"*{kind}* aus {municipality} (Frist {question.due_date:%d.%m.%Y}): {question.subject}"
    blocks = [
        {"type": "section", "text": {"type": "mrkdwn", "text": text[:2900]}},
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": "Übernehmen"},
                    "action_id": CLAIM,
                    "value": str(question.id),
                },
                {"type": "button", "text": {"type": "plain_text", "text": "Öffnen"}, "url": link},
            ],
        },
    ]
    return {"text": text, "blocks": blocks}


def split_thread(thread_ref: str | None) -> tuple[str | None, str | None]:
    """ "C123:1700000000.000100" → (channel, ts)."""
    if not thread_ref or ":" not in thread_ref:
        return None, None
    channel, _, ts = thread_ref.partition(":")
    return channel, ts


async def deliver_due(
    session: Session, client: ChatClient, *, now: Callable[[], datetime] = utcnow
) -> dict[str, int]:
    """Post every due Slack row of the outbox once."""

    async def send(row: OutboxMessage) -> None:
        channel, ts = split_thread(row.thread_ref)
        # in a thread: slack-sdk is blocking (connection retries, short 429 waits), and the
        # worker's event loop must keep serving the other jobs and their time limits
        await asyncio.to_thread(
            client.post,
            channel or row.recipient,
            row.body,
            thread_ts=ts,
            blocks=row.details.get("blocks"),
        )

    return await deliver(session, "slack", send, POLICY, now=now)
