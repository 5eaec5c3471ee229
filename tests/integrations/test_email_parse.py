"""The bounded mail reader on well-formed mail: what INGE reads from it."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from integrations.email.parse import MailLimits, UnreadableMail, read_mail
from tests.fixtures import hostile_mail


def test_reads_sender_subject_threading_text_and_attachments():
    message = EmailMessage()
    message["From"] = "Clara Clerk <Clara@Mailstadt.de>"
    message["Subject"] = "Grünflächen – Frage"
    message["Message-ID"] = "<q1@mailstadt.de>"
    message["In-Reply-To"] = "<a1@inge.example>"
    message["References"] = "<q0@mailstadt.de> <a1@inge.example>"
    message["Auto-Submitted"] = "auto-replied"
    message.set_content("Wie fördern wir Grün?")
    message.add_alternative("<p>Wie <b>fördern</b> wir Grün?</p>", subtype="html")
    message.add_attachment(
        b"%PDF-1.4", maintype="application", subtype="pdf", filename="Vorlage Nr. 5.pdf"
    )
    mail = read_mail(message.as_bytes(), MailLimits())
    assert mail.from_address == "clara@mailstadt.de"
    assert mail.subject == "Grünflächen – Frage" and mail.message_id == "<q1@mailstadt.de>"
    assert mail.references == ("<a1@inge.example>", "<q0@mailstadt.de>", "<a1@inge.example>")
    assert mail.auto_submitted == "auto-replied" and mail.text.strip() == "Wie fördern wir Grün?"
    assert [(a.filename, a.media_type, a.data) for a in mail.attachments] == [
        ("Vorlage Nr. 5.pdf", "application/pdf", b"%PDF-1.4")
    ]


def test_html_only_mail_is_read_without_tags():
    message = EmailMessage()
    message["From"] = "a@b.de"
    message.set_content("<p>Hallo <b>INGE</b></p>", subtype="html")
    assert " ".join(read_mail(message.as_bytes(), MailLimits()).text.split()) == "Hallo INGE"


def test_depth_limit_is_its_own_reason():
    with pytest.raises(UnreadableMail, match="zu tief verschachtelt"):
        read_mail(hostile_mail.nested(5), MailLimits(max_depth=3))
    assert read_mail(hostile_mail.nested(5), MailLimits(max_depth=8)).text == "Ganz unten"


def test_nul_characters_are_dropped_from_what_inge_stores():
    raw = (
        b"From: a@b.de\r\nSubject: =?utf-8?q?Fra=00ge?=\r\nContent-Type: text/plain\r\n\r\n"
        b"Wie\x00 geht das?"
    )
    mail = read_mail(raw, MailLimits())
    assert (mail.subject, mail.text) == ("Frage", "Wie geht das?")
