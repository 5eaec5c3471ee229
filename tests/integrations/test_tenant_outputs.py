"""Tenant isolation of everything INGE produces, not only of its routes.

Municipality B's INSEK, Vorlage and question carry a canary string. Both towns then go through
every flow that produces output: the check job and its precedents, the finalised report (page,
PDF, mail), immediate answers on the web and in Slack, an advisor's answer by mail, the
monthly reminders. Nothing addressed to A may contain the canary; B's own outputs must
(positive controls, so the search for the canary demonstrably works).
"""

from __future__ import annotations

import io
import json
from datetime import date
from email.message import EmailMessage
from urllib.parse import urlencode

import pytest
from pypdf import PdfReader
from sqlmodel import select

from service.knowledge.service import import_source
from service.models import CheckRun, Municipality, OutboxMessage, Role
from service.monitoring.tasks import send_monthly
from tests.factories import create_municipality, create_token, create_user
from tests.fixtures import vorlage_sample as v
from tests.fixtures.insek_sample import as_text
from tests.fixtures.kb_sample import GUIDANCE
from tests.helpers import adopt_sample_insek, bearer, confirm_all, run_worker, upload
from tests.integrations.slack_server import signed_headers

CANARY = "ZAUNKOENIG-B-91c2"
ADVISORS_CHANNEL = "CBERATUNG"


def canary_insek() -> str:
    return (
        as_text()
        .replace("Den Radverkehr stärken", f"Den Radverkehr stärken {CANARY}")
        .replace("Radweg entlang der Mulde bauen (langfristig)", f"Radweg {CANARY} (kurzfristig)")
    )


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def mail_text(message: EmailMessage) -> str:
    """Every header and part of a mail, attached PDFs as their text."""
    texts = [f"{k}: {val}" for k, val in message.items()]
    for part in message.walk():
        if part.is_multipart():
            continue
        if part.get_content_type() == "application/pdf":
            texts.append(pdf_text(part.get_content()))
        else:
            texts.append(str(part.get_content()))
    return "\n".join(texts)


def checked_and_finalised(client, settings, session, token, municipality_id, vorlage, answer):
    upload(client, token, "vorlage.txt", vorlage, "beschlussvorlage")
    run_worker(settings)
    run = session.exec(
        select(CheckRun)
        .where(CheckRun.municipality_id == municipality_id)
        .order_by(CheckRun.id.desc())  # type: ignore[union-attr]
    ).first()
    assert run is not None and run.status == "geprüft", run
    confirm_all(client, token, run.id)
    r = client.post(f"/api/v1/checks/{run.id}/finalize", headers=bearer(token), json=answer)
    assert r.status_code == 200, r.text
    run_worker(settings)  # sends the report mail
    return run.id


def slack_command(client, text: str, user: str) -> None:
    fields = {
        "command": "/inge",
        "text": text,
        "user_id": user,
        "channel_id": f"C-{user}",
        "team_id": "T1",
        "trigger_id": f"trig-{user}",
        "response_url": "",
    }
    body = urlencode(fields).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", **signed_headers(body)}
    assert client.post("/slack/commands", content=body, headers=headers).status_code == 200


@pytest.fixture()
def towns(client, settings, session, smtp, slack, tmp_path):
    settings.email = smtp.settings()
    guidance = tmp_path / "arbeitshilfe.txt"
    guidance.write_text(GUIDANCE, encoding="utf-8")
    import_source(session, guidance, title="Arbeitshilfe (Test)")
    a = create_municipality(session, name="Ahausen")
    b = create_municipality(session, name="Bedorf")
    a.report_recipients, b.report_recipients = ["bau@ahausen.example"], ["bau@bedorf.example"]
    session.add_all([a, b])
    admin_a = create_user(
        session, role=Role.MUNICIPAL_ADMIN, municipality=a, email="amt@ahausen.example"
    )
    admin_b = create_user(
        session, role=Role.MUNICIPAL_ADMIN, municipality=b, email="amt@bedorf.example"
    )
    advisor = create_user(session, role=Role.ADVISOR, email="rat@fs-inge.example")
    slack.emails.update({"UA": admin_a.email, "UB": admin_b.email})
    session.commit()
    return a, b, create_token(session, admin_a), create_token(session, admin_b), advisor


def test_no_output_for_a_carries_bs_canary(client, settings, session, smtp, slack, towns):
    a, b, token_a, token_b, advisor = towns
    # B first, so that everything of B exists when A's outputs are made.
    adopt_sample_insek(client, settings, token_b, decided="2015-01-01", text=canary_insek())
    b_vorlage = v.RADWEG.replace("entlang der Mulde", f"entlang der Mulde {CANARY}")
    run_b = checked_and_finalised(
        client, settings, session, token_b, b.id, b_vorlage, {"answer": "ja"}
    )
    b_question = client.post(
        "/api/v1/questions",
        headers=bearer(token_b),
        json={"text": "Wie stärken wir den Radverkehr?", "subject": f"Frage {CANARY}"},
    ).json()

    adopt_sample_insek(client, settings, token_a, decided="2015-01-01")
    run_a = checked_and_finalised(client, settings, session, token_a, a.id, v.RADWEG, {})
    a_answer = client.post(
        "/api/v1/questions",
        headers=bearer(token_a),
        json={"text": "Wie stärken wir den Radverkehr?"},
    ).json()
    for user in ("UA", "UB"):
        slack_command(client, "Wie stärken wir den Radverkehr?", user)
    advisor_token = create_token(session, advisor)
    answered = client.post(
        f"/api/v1/questions/{a_answer['id']}/answer",
        headers=bearer(advisor_token),
        json={"text": "Mit dem Radweg aus Ihrem INSEK."},
    )
    assert answered.status_code == 200, answered.text
    assert send_monthly(session, settings, date(2026, 12, 1)) >= 2
    session.commit()
    run_worker(settings)

    # --- A sees nothing of B ---------------------------------------------------------------
    assert CANARY not in json.dumps(a_answer, ensure_ascii=False)
    assert a_answer["passages"], "A's question must be answered from A's own INSEK"
    session.expire_all()
    run = session.get(CheckRun, run_a)
    assert CANARY not in json.dumps(run.model_dump(mode="json"), ensure_ascii=False)
    assert run.precedents == []  # B's answered check is no precedent for A
    api_run = client.get(f"/api/v1/checks/{run_a}", headers=bearer(token_a)).text
    assert CANARY not in api_run
    page = client.get(f"/api/v1/checks/{run_a}/report.pdf", headers=bearer(token_a))
    assert page.status_code == 200 and CANARY not in pdf_text(page.content)

    a_addresses = {"bau@ahausen.example", "amt@ahausen.example"}
    a_mails = [m for m in smtp.messages if set(m.get_all("To", [])) & a_addresses]
    purposes = {m.purpose for m in outbox_for(session, a)}
    assert {"report", "answer", "reminder"} <= purposes, purposes
    assert len(a_mails) >= 3
    for message in a_mails:
        assert CANARY not in mail_text(message), message["Subject"]
    for row in outbox_for(session, a):
        assert CANARY not in row.subject + row.body + json.dumps(row.details, default=str)

    a_posts = [p for p in slack.posted() if p["channel"] == "C-UA"]
    assert a_posts, "A's Slack question must be answered"
    assert all(CANARY not in json.dumps(p, ensure_ascii=False) for p in a_posts)

    # --- positive controls: B's own outputs do carry the canary ----------------------------
    b_check = client.get(f"/api/v1/checks/{run_b}", headers=bearer(token_b)).text
    assert CANARY in b_check
    b_mails = [m for m in smtp.messages if "bau@bedorf.example" in m.get_all("To", [])]
    assert any(CANARY in mail_text(m) for m in b_mails)
    assert any(
        CANARY in json.dumps(p, ensure_ascii=False)
        for p in slack.posted()
        if p["channel"] == "C-UB"
    )
    b_reminder = [r for r in outbox_for(session, b) if r.purpose == "reminder"]
    assert any(CANARY in r.body for r in b_reminder)
    assert b_question["id"]


def outbox_for(session, municipality: Municipality) -> list[OutboxMessage]:
    return list(
        session.exec(
            select(OutboxMessage).where(OutboxMessage.municipality_id == municipality.id)
        ).all()
    )
