"""Finalising a check sends the compliance report (HTML + text, PDF attached) to the
municipality's recipients through the outbox and a real SMTP server."""

from __future__ import annotations

from sqlmodel import select

from service.models import CheckRun, OutboxMessage, Role
from tests.factories import create_municipality, create_token, create_user
from tests.fixtures import vorlage_sample as v
from tests.helpers import adopt_sample_insek, bearer, confirm_all, run_worker, upload


def test_report_mail_on_finalize(client, settings, session, smtp):
    settings.email = smtp.settings()
    town = create_municipality(session, name="Berichtstadt")
    town.report_recipients = ["bauamt@berichtstadt.example"]
    session.add(town)
    session.commit()
    admin = create_user(session, role=Role.MUNICIPAL_ADMIN, municipality=town)
    token = create_token(session, admin)
    headers = bearer(token)
    adopt_sample_insek(client, settings, token)
    upload(client, token, "radweg.txt", v.RADWEG, "beschlussvorlage")
    run_worker(settings)
    run = session.exec(select(CheckRun)).one()
    confirm_all(client, token, run.id)
    final = client.post(f"/api/v1/checks/{run.id}/finalize", headers=headers)
    assert final.status_code == 200, final.text
    run_worker(settings)  # the send job was enqueued after the commit

    assert len(smtp.messages) == 1
    mail = smtp.messages[0]
    assert mail["To"] == "bauamt@berichtstadt.example"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert "Bau eines Radwegs" in mail["Subject"]
    parts = {part.get_content_type(): part for part in mail.walk()}
    assert "Berichtstadt" in parts["text/plain"].get_content()
    assert "<strong>" in parts["text/html"].get_content()
    pdf = parts["application/pdf"]
    assert pdf.get_filename() == f"inge-pruefbericht-{run.id}.pdf"
    assert pdf.get_content().startswith(b"%PDF")
    session.expire_all()
    assert session.exec(select(OutboxMessage)).one().status == "gesendet"
