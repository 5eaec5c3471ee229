"""Handling what Slack sent: a question gets INGE's passages in its thread with a forward
button; `status` lists the asker's open questions; the forward button creates a queue item;
Übernehmen assigns it to the advisor who clicked."""

from __future__ import annotations

from sqlmodel import Session, col, select

from integrations.slack.client import ChatClient
from integrations.slack.service import announcement, answer_blocks, answer_text
from service.config import Settings
from service.errors import IngeError
from service.knowledge.service import hits_json, index_for
from service.models import (
    OPEN_STATUS_VALUES,
    Channel,
    Membership,
    Municipality,
    Question,
    SlackDelivery,
    SlackInstallation,
    User,
)
from service.outbox.service import queue_message
from service.questions.service import NewQuestion, create_question, update_question
from service.tenancy import load_principal


def slack_user(session: Session, client: ChatClient, user_id: str) -> User | None:
    """The active INGE user with the Slack user's e-mail address, if any."""
    email = client.email_of(user_id)
    if not email:
        return None
    user = session.exec(select(User).where(User.email == email)).first()
    return user if user is not None and user.is_active else None


def municipality_for(
    session: Session, delivery: SlackDelivery, user: User | None
) -> Municipality | None:
    """The workspace's municipality, else the user's only municipality, else none."""
    install = session.exec(
        select(SlackInstallation).where(SlackInstallation.team_id == delivery.team_id)
    ).first()
    if install is not None and install.municipality_id is not None:
        return session.get(Municipality, install.municipality_id)
    if user is None:
        return None
    rows = session.exec(select(Membership).where(Membership.user_id == user.id)).all()
    return session.get(Municipality, rows[0].municipality_id) if len(rows) == 1 else None


def answer_question(session: Session, client: ChatClient, delivery: SlackDelivery) -> None:
    """INGE's passages in the thread (public guidance only for unknown users)."""
    user = slack_user(session, client, delivery.user_id)
    municipality = municipality_for(session, delivery, user) if user else None
    answer = index_for(session, municipality).search(delivery.text, k=3)
    text = answer_text(delivery.text, answer)
    assert delivery.id is not None
    ts = client.post(
        delivery.channel_id,
        text,
        thread_ts=delivery.thread_ts,
        blocks=answer_blocks(text, delivery.id),
    )
    delivery.thread_ts = delivery.thread_ts or ts
    delivery.payload = {"answered": answer.answered, "passages": hits_json(answer)}


def list_status(session: Session, client: ChatClient, delivery: SlackDelivery) -> None:
    user = slack_user(session, client, delivery.user_id)
    if user is None:
        client.post_ephemeral(
            delivery.channel_id,
            delivery.user_id,
            "Ich kenne Sie noch nicht: Ihre Slack-E-Mail-Adresse gehört zu keinem INGE-Konto.",
        )
        return
    rows = session.exec(
        select(Question)
        .where(Question.asker_id == user.id, col(Question.status).in_(OPEN_STATUS_VALUES))
        .order_by(col(Question.due_date))
    ).all()
    lines = [f"• {q.subject} – {q.status}, Frist {q.due_date:%d.%m.%Y}" for q in rows]
    text = "Ihre offenen Fragen:\n" + "\n".join(lines) if lines else "Keine offenen Fragen."
    client.post_ephemeral(delivery.channel_id, delivery.user_id, text)


def forward(
    session: Session, client: ChatClient, delivery: SlackDelivery, settings: Settings
) -> None:
    """The asker's "An FS INGE weiterleiten": one queue item per original question."""
    original = session.get(SlackDelivery, int(delivery.text)) if delivery.text.isdigit() else None
    if original is None:
        return
    if original.question_id is not None:
        return  # clicked twice: the question exists already
    user = slack_user(session, client, delivery.user_id)
    municipality = municipality_for(session, original, user)
    if municipality is None or municipality.id is None:
        client.post_ephemeral(
            delivery.channel_id,
            delivery.user_id,
            "Weiterleiten geht nur mit einem INGE-Konto einer Kommune "
            "(dieselbe E-Mail-Adresse wie in Slack).",
        )
        return
    question = create_question(
        session,
        NewQuestion(
            municipality_id=municipality.id,
            text=original.text,
            channel=Channel.SLACK,
            asker_id=user.id if user else None,
            asker_name=user.display_name if user else f"Slack {original.user_id}",
            asker_address=original.channel_id,
            thread_ref=f"{original.channel_id}:{original.thread_ts}",
        ),
        sla_days=settings.questions.sla_working_days,
        suggestions=list(original.payload.get("passages", [])),
        answered=bool(original.payload.get("answered")),
        actor_id=user.id if user else None,
    )
    original.question_id = question.id
    session.add(original)
    client.post(
        original.channel_id,
        "Ihre Frage liegt jetzt bei der FS INGE; die Antwort kommt hier im Thread.",
        thread_ts=original.thread_ts,
    )
    announce(session, question, settings)


def announce(session: Session, question: Question, settings: Settings) -> None:
    """Post a new queue item to the advisors' channel (through the outbox)."""
    channel = settings.slack_advisors_channel
    if not channel or settings.slack_bot_token is None:
        return
    municipality = session.get(Municipality, question.municipality_id)
    post = announcement(
        question, municipality.name if municipality else "?", settings.questions.public_url
    )
    queue_message(
        session,
        municipality_id=question.municipality_id,
        question_id=question.id,
        channel="slack",
        recipient=channel,
        body=post["text"],
        purpose="announcement",
        details={"blocks": post["blocks"]},
    )


def claim_question(session: Session, client: ChatClient, delivery: SlackDelivery) -> None:
    """Übernehmen: assign the question to the advisor with the Slack user's e-mail."""
    user = slack_user(session, client, delivery.user_id)
    question = session.get(Question, int(delivery.text)) if delivery.text.isdigit() else None
    if question is None:
        return
    if user is None or user.staff_role is None:
        client.post_ephemeral(
            delivery.channel_id, delivery.user_id, "Übernehmen können nur Beraterinnen und Berater."
        )
        return
    try:
        update_question(session, question, load_principal(session, user), assignee_id=user.id)
    except IngeError as exc:
        client.post_ephemeral(delivery.channel_id, delivery.user_id, exc.message)
        return
    client.post_ephemeral(
        delivery.channel_id, delivery.user_id, f"Sie bearbeiten jetzt: {question.subject}"
    )
