"""Logs carry request and job ids, and no document text, question text, mail body, query
string or secret – with the production configuration, even at DEBUG."""

from __future__ import annotations

import logging

import pytest
from sqlmodel import select

from service import logs
from service.models import Document, Role
from tests.factories import create_municipality, create_token, create_user
from tests.helpers import PASSWORD, bearer, login, run_worker, upload

DOCUMENT_SECRET = "Zitronenfalter-Vorlagengeheimnis"
QUESTION_SECRET = "Distelfink-Fragegeheimnis"
ANSWER_SECRET = "Kleiber-Antwortgeheimnis"
QUERY_SECRET = "Suchwort-Eichelhaeher"


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter(logs.FORMAT))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture()
def log_lines():
    """The production logging configuration at DEBUG, with a handler that keeps every line."""
    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    saved_levels = {name: logging.getLogger(name).level for name in logs.QUIET_LIBRARIES}
    logs.configure("DEBUG")
    collect = Collect()
    root.addHandler(collect)
    yield collect.lines
    root.handlers[:] = saved[1]
    root.setLevel(saved[0])
    for name, level in saved_levels.items():
        logging.getLogger(name).setLevel(level)


def test_logs_have_ids_and_no_content_or_secrets(client, settings, session, smtp, slack, log_lines):
    settings.email = smtp.settings()
    town = create_municipality(session, name="Logstadt")
    clerk = create_user(session, role=Role.CLERK, municipality=town, email="c@logstadt.example")
    advisor = create_user(session, role=Role.ADVISOR, email="b@fs-inge.example")
    token, advisor_token = create_token(session, clerk), create_token(session, advisor)
    session.commit()

    login(client, clerk.email)
    listed = client.get(f"/dokumente?q={QUERY_SECRET}")
    request_id = listed.headers["x-request-id"]
    doc_id = upload(
        client, token, "vorlage.txt", f"Betreff: {DOCUMENT_SECRET}\n", "beschlussvorlage"
    )
    run_worker(settings)
    question = client.post(
        "/api/v1/questions", headers=bearer(token), json={"text": f"{QUESTION_SECRET}?"}
    ).json()
    answered = client.post(
        f"/api/v1/questions/{question['id']}/answer",
        headers=bearer(advisor_token),
        json={"text": ANSWER_SECRET},
    )
    assert answered.status_code == 200
    run_worker(settings)
    assert any(ANSWER_SECRET in str(m) for m in smtp.messages)  # the mail did go out
    session.expire_all()
    assert session.exec(select(Document).where(Document.id == doc_id)).one().status

    # the test client's own request log (httpx2) is the caller's, not the service's
    text = "\n".join(line for line in log_lines if " httpx2 " not in line)
    # ids: our access line with the request id, and job lines with the job id
    assert f"[{request_id}] GET /dokumente 200" in text
    assert f"[job:process_document:{doc_id}] Dokument {doc_id} verarbeitet" in text
    forbidden = {
        "document text": DOCUMENT_SECRET,
        "question text": QUESTION_SECRET,
        "mail body": ANSWER_SECRET,
        "query string": QUERY_SECRET,
        "password": PASSWORD,
        "API token": token,
        "secret key": settings.resolved_secret_key(),
        "Slack token": settings.slack_bot_token,
        "Slack signing secret": settings.slack_signing_secret,
    }
    for what, value in forbidden.items():
        plain = value.get_secret_value() if hasattr(value, "get_secret_value") else value
        assert plain and plain not in text, f"{what} steht im Log"
    session_cookie = client.cookies.get("inge_session")
    assert session_cookie and session_cookie not in text
