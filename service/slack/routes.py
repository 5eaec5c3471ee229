"""Slack's endpoints: every request is verified (v0 signature, five-minute window), stored
once by its delivery key, acknowledged at once, and handled by a job."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any
from urllib.parse import parse_qs

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from integrations.slack.client import now, signature_valid
from integrations.slack.service import CLAIM, FORWARD
from service.context import db
from service.errors import IngeError, ValidationFailed
from service.jobs import enqueue_for_rows
from service.models import SlackDelivery
from service.settings_store import current

MAX_BODY = 256 * 1024
JOB = "handle_slack"


class SlackNotConfigured(IngeError):
    status_code = 503
    code = "slack_not_configured"
    message = "Slack ist für diese Installation nicht eingerichtet."


class BadSignature(IngeError):
    status_code = 401
    code = "bad_signature"
    message = "Ungültige oder abgelaufene Slack-Signatur."


async def verified_body(request: Request) -> bytes:
    """The raw body, if Slack signed it; otherwise 401 (never 5xx)."""
    secret = current(request).slack_signing_secret
    if secret is None:
        raise SlackNotConfigured()
    body = await request.body()
    if len(body) > MAX_BODY:
        raise ValidationFailed("Die Anfrage ist zu groß.")
    valid = signature_valid(
        secret.get_secret_value(),
        body,
        request.headers.get("x-slack-request-timestamp"),
        request.headers.get("x-slack-signature"),
        now=now(),
    )
    if not valid:
        raise BadSignature()
    return body


def store(session: Session, delivery: SlackDelivery) -> SlackDelivery:
    """Store a delivery once; a retried one (same key) returns the stored row, no new job."""
    for name in ("key", "team_id", "user_id", "channel_id", "thread_ts", "text"):
        value = getattr(delivery, name)
        if isinstance(value, str):  # NUL means nothing in chat, and PostgreSQL cannot store it
            setattr(delivery, name, value.replace("\x00", ""))
    existing = session.exec(select(SlackDelivery).where(SlackDelivery.key == delivery.key)).first()
    if existing is not None:
        return existing
    try:
        with session.begin_nested():
            session.add(delivery)
            session.flush()
    except IntegrityError:  # a concurrent retry stored it first
        found = session.exec(select(SlackDelivery).where(SlackDelivery.key == delivery.key)).one()
        return found
    assert delivery.id is not None
    enqueue_for_rows(session, JOB, delivery.id)
    return delivery


def _form(body: bytes) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}


async def commands(request: Request) -> Response:
    form = _form(await verified_body(request))
    text = form.get("text", "").strip()
    kind = "status" if text.lower() == "status" else "frage"
    if kind == "frage" and not text:
        return JSONResponse(
            {"response_type": "ephemeral", "text": "Bitte so fragen: /inge Ihre Frage"}
        )
    trigger = form.get("trigger_id") or hashlib.sha256(json.dumps(form).encode()).hexdigest()
    store(
        db(request),
        SlackDelivery(
            key=f"cmd:{trigger}",
            kind=kind,
            team_id=form.get("team_id", ""),
            user_id=form.get("user_id", ""),
            channel_id=form.get("channel_id", ""),
            text=text,
        ),
    )
    reply = "INGE sucht in der Arbeitshilfe und im INSEK …" if kind == "frage" else "Einen Moment …"
    return JSONResponse({"response_type": "ephemeral", "text": reply})


async def events(request: Request) -> Response:
    payload = _json(await verified_body(request))
    if payload.get("type") == "url_verification":
        return JSONResponse({"challenge": str(payload.get("challenge", ""))})
    event = payload.get("event") or {}
    if payload.get("type") != "event_callback" or not _is_question(event):
        return Response(status_code=200)
    store(
        db(request),
        SlackDelivery(
            key=f"evt:{payload.get('event_id') or event.get('client_msg_id') or event.get('ts')}",
            kind="frage",
            team_id=str(payload.get("team_id", "")),
            user_id=str(event.get("user", "")),
            channel_id=str(event.get("channel", "")),
            thread_ts=str(event.get("thread_ts") or event.get("ts") or "") or None,
            text=_without_mention(str(event.get("text", ""))),
        ),
    )
    return Response(status_code=200)


def _is_question(event: dict[str, Any]) -> bool:
    """Mentions of the app and direct messages by people (not bots, not edits)."""
    if event.get("bot_id") or event.get("subtype"):
        return False
    if event.get("type") == "app_mention":
        return True
    return event.get("type") == "message" and event.get("channel_type") == "im"


def _without_mention(text: str) -> str:
    return re.sub(r"<@[A-Z0-9]+>", "", text).strip()


def _json(body: bytes) -> dict[str, Any]:
    try:
        value = json.loads(body or b"{}")
    except ValueError:
        raise ValidationFailed("Ungültiges JSON.") from None
    if not isinstance(value, dict):
        raise ValidationFailed("Ungültiges JSON.")
    return value


async def interactions(request: Request) -> Response:
    form = _form(await verified_body(request))
    payload = _json(form.get("payload", "{}").encode())
    user = str((payload.get("user") or {}).get("id", ""))
    for action in payload.get("actions") or []:
        action_id = action.get("action_id")
        if action_id not in (FORWARD, CLAIM):
            continue
        store(
            db(request),
            SlackDelivery(
                key=f"act:{action_id}:{action.get('value')}:{user}",
                kind="weiterleiten" if action_id == FORWARD else "uebernehmen",
                team_id=str((payload.get("team") or {}).get("id", "")),
                user_id=user,
                channel_id=str((payload.get("channel") or {}).get("id", "")),
                thread_ts=str((payload.get("message") or {}).get("ts", "")) or None,
                text=str(action.get("value", "")),
            ),
        )
    return Response(status_code=200)


routes = [
    Route("/slack/commands", commands, methods=["POST"], name="slack_commands"),
    Route("/slack/events", events, methods=["POST"], name="slack_events"),
    Route("/slack/interactions", interactions, methods=["POST"], name="slack_interactions"),
]
