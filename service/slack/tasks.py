"""The job behind Slack's endpoints and the Slack side of the outbox."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from integrations.slack.client import ChatClient, SlackClient, SlackError
from integrations.slack.service import deliver_due
from service.config import Settings
from service.jobs import TransientError, enqueue_for_rows, task
from service.models import DeliveryStatus, SlackDelivery
from service.settings_store import effective
from service.slack import service


def make_client(settings: Settings) -> ChatClient | None:
    if settings.slack_bot_token is None:
        return None
    return SlackClient(settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url)


@task
async def handle_slack(ctx: dict[str, Any], session: Session, delivery_id: int) -> str:
    """Handle one stored delivery exactly once (a done delivery is left alone)."""
    delivery = session.get(SlackDelivery, delivery_id)
    if delivery is None or delivery.status != DeliveryStatus.NEW:
        return "nichts zu tun"
    settings = effective(session, ctx["settings"])
    client = make_client(settings)
    if client is None:
        delivery.status, delivery.error = DeliveryStatus.FAILED.value, "kein Slack-Token"
        session.add(delivery)
        return delivery.status
    try:
        _dispatch(session, client, delivery, settings)
    except SlackError as exc:
        if exc.temporary:
            raise TransientError(exc.message) from exc
        delivery.status, delivery.error = DeliveryStatus.FAILED.value, exc.message
        session.add(delivery)
        return delivery.status
    delivery.status = DeliveryStatus.DONE.value
    session.add(delivery)
    return delivery.status


def _dispatch(
    session: Session, client: ChatClient, delivery: SlackDelivery, settings: Settings
) -> None:
    if delivery.kind == "frage":
        service.answer_question(session, client, delivery)
    elif delivery.kind == "status":
        service.list_status(session, client, delivery)
    elif delivery.kind == "weiterleiten":
        service.forward(session, client, delivery, settings)
    elif delivery.kind == "uebernehmen":
        service.claim_question(session, client, delivery)


@task
async def slack_stragglers(ctx: dict[str, Any], session: Session) -> int:
    """Deliveries stored while Redis was away (or whose job was lost): enqueue them now."""
    ids = session.exec(
        select(SlackDelivery.id).where(SlackDelivery.status == DeliveryStatus.NEW.value)
    ).all()
    return enqueue_for_rows(session, "handle_slack", *ids)


async def send_slack_outbox(session: Session, settings: Settings) -> dict[str, int]:
    client = make_client(settings)
    return await deliver_due(session, client) if client is not None else {}
