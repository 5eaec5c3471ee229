"""Delivering outbox rows, shared by the e-mail and Slack senders.

A row is claimed by one worker (status "in Zustellung" with a lease) before it is sent, so two
workers never send it twice; a worker that dies mid-send leaves a lease that runs out, and the
row is tried again.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from service.models import OutboxMessage, OutboxStatus, utcnow

LEASE = timedelta(minutes=10)
BATCH = 20


def claim(session: Session, row_id: int, now: datetime) -> bool:
    """Take one due row for sending; False when another worker was faster."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.id) == row_id,
            (col(OutboxMessage.status) == OutboxStatus.PENDING.value)
            | (
                (col(OutboxMessage.status) == OutboxStatus.SENDING.value)
                & (col(OutboxMessage.lease_until) < now)
            ),
        )
        .values(status=OutboxStatus.SENDING.value, lease_until=now + LEASE)
    )
    session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def due_rows(session: Session, now: datetime, *, channel: str = "email") -> list[int]:
    query = select(OutboxMessage.id).where(
        OutboxMessage.channel == channel,
        col(OutboxMessage.next_attempt_at) <= now,
        (col(OutboxMessage.status) == OutboxStatus.PENDING.value)
        | (
            (col(OutboxMessage.status) == OutboxStatus.SENDING.value)
            & (col(OutboxMessage.lease_until) < now)
        ),
    )
    ids = session.exec(query.order_by(col(OutboxMessage.id)).limit(BATCH)).all()
    return [i for i in ids if i is not None]


def backoff(attempts: int, *, base: float, cap: float) -> timedelta:
    """Exponential backoff with full jitter in the upper half, capped."""
    ceiling = min(cap, base * 2 ** (attempts - 1))
    return timedelta(seconds=random.uniform(ceiling / 2, ceiling))  # noqa: S311 - not crypto


class DeliveryFailed(Exception):
    """A failed attempt; `temporary` ones are tried again with backoff, others are dead."""

    temporary = True

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after  # seconds the other side asked us to wait (429)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    base_seconds: float
    max_seconds: float


Send = Callable[[OutboxMessage], Awaitable[None]]


async def deliver_due(
    session: Session,
    channel: str,
    send: Send,
    policy: RetryPolicy,
    *,
    now: Callable[[], datetime] = utcnow,
) -> dict[str, int]:
    """Send every due row of `channel` once (claimed first, committed after each); returns
    counts by outcome: sent, retry (temporary failure, backoff) and failed (dead letter)."""
    counts = {"sent": 0, "retry": 0, "failed": 0}
    for row_id in due_rows(session, now(), channel=channel):
        if not claim(session, row_id, now()):
            continue
        row = session.get(OutboxMessage, row_id)
        assert row is not None
        session.refresh(row)
        row.attempts += 1
        try:
            await send(row)
        except DeliveryFailed as exc:
            counts[_failed(row, exc, policy, now())] += 1
        else:
            row.status, row.sent_at = OutboxStatus.SENT.value, now()
            row.lease_until, row.last_error = None, None
            counts["sent"] += 1
        session.add(row)
        session.commit()
    return counts


def _failed(row: OutboxMessage, exc: DeliveryFailed, policy: RetryPolicy, now: datetime) -> str:
    row.last_error, row.lease_until = exc.message[:2000], None
    if not exc.temporary or row.attempts >= policy.max_attempts:
        row.status = OutboxStatus.FAILED.value
        return "failed"
    row.status = OutboxStatus.PENDING.value
    delay = backoff(row.attempts, base=policy.base_seconds, cap=policy.max_seconds)
    if exc.retry_after is not None:  # never sooner than the other side asked for
        delay = max(delay, timedelta(seconds=exc.retry_after))
    row.next_attempt_at = now + delay
    return "retry"
