"""NUL characters (U+0000) from outside: PostgreSQL can store none, so a form or JSON field
holding one is a German 422, and where a NUL carries no meaning (file names, mail, chat) it
is dropped. Runs on both backends; on PostgreSQL each of these was a 500 before."""

from __future__ import annotations

from sqlmodel import select

from service.models import Document, Question, Role
from tests.factories import create_municipality, create_token, create_user
from tests.helpers import bearer, login, page_csrf


def test_a_form_field_with_nul_is_a_german_422_and_stores_nothing(client, session):
    town = create_municipality(session)
    clerk = create_user(session, role=Role.CLERK, municipality=town)
    login(client, clerk.email)
    response = client.post(
        "/fragen",
        data={"csrf_token": page_csrf(client, "/fragen/neu"), "text": "Wie\x00 geht das?"},
    )
    assert response.status_code == 422
    assert "Nullzeichen" in response.text
    assert session.exec(select(Question)).all() == []


def test_a_json_field_with_nul_is_a_german_422(client, session):
    town = create_municipality(session)
    token = create_token(session, create_user(session, role=Role.CLERK, municipality=town))
    response = client.post("/api/v1/questions", headers=bearer(token), json={"text": "a\x00b"})
    assert response.status_code == 422
    assert "Nullzeichen" in response.json()["error"]["message"]


def test_a_nul_in_an_upload_file_name_is_dropped(client, session):
    town = create_municipality(session)
    token = create_token(session, create_user(session, role=Role.CLERK, municipality=town))
    # built by hand: HTTP clients percent-encode a NUL in a file name, an attacker need not
    body = (
        b'--X\r\nContent-Disposition: form-data; name="kind"\r\n\r\nother\r\n'
        b'--X\r\nContent-Disposition: form-data; name="file"; filename="vor\x00lage.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\nHallo Welt\r\n--X--\r\n"
    )
    response = client.post(
        "/api/v1/documents",
        headers={**bearer(token), "Content-Type": "multipart/form-data; boundary=X"},
        content=body,
    )
    assert response.status_code == 201, response.text
    assert session.exec(select(Document)).one().original_filename == "vorlage.txt"
