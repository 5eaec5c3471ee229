"""Questions by e-mail through INGE's SMTP receiver: new questions, replies in the thread,
attached Vorlagen, unknown senders, automatic mail and loops."""

from __future__ import annotations

import asyncio
from email.message import EmailMessage
from email.utils import make_msgid

import aiosmtplib
import pytest
from sqlmodel import select

from integrations.email.receiver import make_controller
from service.knowledge.service import import_source
from service.mail.receiver import enqueuer
from service.models import (
    Document,
    InboundMail,
    OutboxMessage,
    Question,
    QuestionEvent,
    Role,
)
from tests.factories import create_municipality, create_token, create_user
from tests.fixtures.hostile import normal_pdf_bytes
from tests.fixtures.kb_sample import GUIDANCE
from tests.helpers import run_worker
from tests.integrations.conftest import free_port

INGE = "inge@fs-inge.example"


@pytest.fixture()
def receiver(settings, engine, smtp):
    settings.email = smtp.settings(inbound_port=free_port(), from_address=INGE)
    enqueue = enqueuer(settings)
    controller = make_controller(settings.email, engine, enqueue)
    controller.start()
    yield settings.email.inbound_port
    enqueue.close(controller)
    controller.stop()


@pytest.fixture()
def town(session, tmp_path):
    path = tmp_path / "arbeitshilfe.txt"
    path.write_text(GUIDANCE, encoding="utf-8")
    import_source(session, path, title="Arbeitshilfe (Test)")
    m = create_municipality(session, name="Mailstadt")
    clerk = create_user(session, role=Role.CLERK, municipality=m, email="clara@mailstadt.de")
    session.commit()
    return m, clerk


def mail(sender, subject, text, **headers) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, INGE, subject
    message["Message-ID"] = make_msgid(domain="mailstadt.de")
    for key, value in headers.items():
        message[key.replace("_", "-")] = value
    message.set_content(text)
    return message


def send(port, message, sender=None) -> None:
    asyncio.run(
        aiosmtplib.send(message, hostname="127.0.0.1", port=port, sender=sender, timeout=10)
    )


def test_question_by_mail_and_the_answer_as_reply_in_the_thread(
    client, settings, session, receiver, town, smtp
):
    municipality, clerk = town
    asked = mail(clerk.email, "Beteiligung", "Wie erreichen wir Jugendliche bei der Beteiligung?")
    send(receiver, asked)
    run_worker(settings)
    question = session.exec(select(Question)).one()
    assert question.channel == "email" and question.thread_ref == asked["Message-ID"]
    assert question.municipality_id == municipality.id and question.inge_answered
    assert session.exec(select(InboundMail)).one().status == "verarbeitet"

    advisor = create_user(session, role=Role.ADVISOR)
    headers = {"Authorization": f"Bearer {create_token(session, advisor)}"}
    r = client.post(
        f"/api/v1/questions/{question.id}/answer",
        headers=headers,
        json={"text": "Über Schulen und Jugendclubs."},
    )
    assert r.status_code == 200
    run_worker(settings)
    reply = smtp.messages[-1]
    assert reply["To"] == clerk.email and reply["In-Reply-To"] == asked["Message-ID"]
    assert asked["Message-ID"] in reply["References"] and reply["Auto-Submitted"] is None

    follow_up = mail(
        clerk.email,
        "Re: Beteiligung",
        "Danke! Und wie bei Senioren?\n\nAm 1. Mai schrieb:\n> alt",
        In_Reply_To=reply["Message-ID"],
        References=f"{asked['Message-ID']} {reply['Message-ID']}",
    )
    send(receiver, follow_up)
    run_worker(settings)
    session.expire_all()
    assert len(session.exec(select(Question)).all()) == 1
    replies = session.exec(
        select(QuestionEvent).where(QuestionEvent.kind == "Nachricht der Kommune")
    ).all()
    assert [e.text for e in replies] == ["Danke! Und wie bei Senioren?"]
    assert session.get(Question, question.id).status == "in Bearbeitung"


def test_attached_pdf_becomes_a_checked_vorlage(settings, session, receiver, town):
    municipality, clerk = town
    message = mail(clerk.email, "Bitte prüfen", "Passt die Vorlage zum INSEK?")
    message.add_attachment(
        normal_pdf_bytes(), maintype="application", subtype="pdf", filename="vorlage-12.pdf"
    )
    send(receiver, message)
    run_worker(settings)
    document = session.exec(select(Document)).one()
    assert document.kind == "beschlussvorlage" and document.municipality_id == municipality.id
    assert document.original_filename == "vorlage-12.pdf"
    question = session.exec(select(Question)).one()
    assert question.document_id == document.id and question.attachments == [document.id]


def test_unknown_sender_gets_one_polite_reply(settings, session, receiver, town, smtp):
    for n in range(2):
        send(receiver, mail("fremd@example.org", f"Frage {n}", "Was ist ein INSEK?"))
        run_worker(settings)
    notices = [m for m in smtp.messages if m["To"] == "fremd@example.org"]
    assert len(notices) == 1 and notices[0]["Auto-Submitted"] == "auto-replied"
    assert "INGE-Konto" in notices[0].get_content()
    assert session.exec(select(Question)).first() is None


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto_Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"X_INGE_Outbox": "17"},  # another INGE's mail: no loop
    ],
)
def test_automatic_mail_is_never_answered(settings, session, receiver, town, smtp, headers):
    send(receiver, mail("robot@example.org", "Abwesenheit", "Bin im Urlaub.", **headers))
    run_worker(settings)
    assert session.exec(select(InboundMail)).one().status == "ignoriert"
    assert session.exec(select(OutboxMessage)).first() is None and smtp.messages == []


def test_bounce_with_null_sender_is_ignored(settings, session, receiver, town, smtp):
    send(receiver, mail("mailer-daemon@example.org", "Unzustellbar", "..."), sender="")
    run_worker(settings)
    assert session.exec(select(InboundMail)).one().reason == "Absender leer (Zustellfehler)"
    assert smtp.messages == []


def test_size_and_part_limits(settings, session, receiver, town):
    _, clerk = town
    settings.email.inbound_max_parts = 3
    many = mail(clerk.email, "Viele Anhänge", "Siehe Anhang")
    for n in range(4):
        many.add_attachment(b"x", maintype="application", subtype="octet-stream", filename=f"{n}")
    send(receiver, many)
    run_worker(settings)
    assert session.exec(select(InboundMail)).one().status == "fehlgeschlagen"
    big = mail(clerk.email, "Groß", "x" * (settings.email.inbound_max_bytes + 10))
    with pytest.raises(aiosmtplib.SMTPResponseException) as refused:
        send(receiver, big)
    assert refused.value.code == 552
