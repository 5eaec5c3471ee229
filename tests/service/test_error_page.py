"""The German error page of a refused form offers the way back to the form (same origin only)."""

from __future__ import annotations

from service.models import Role
from tests.factories import create_municipality, create_user
from tests.helpers import login, page_csrf


def refused(client, referer: str | None):
    headers = {"Referer": referer} if referer else {}
    data = {"csrf_token": page_csrf(client, "/fragen/neu"), "text": "Nullzeichen\x00?"}
    return client.post("/fragen", data=data, headers=headers)


def test_refused_form_links_back_to_the_form_on_this_site(client, session):
    town = create_municipality(session)
    login(client, create_user(session, role=Role.CLERK, municipality=town).email)
    page = refused(client, "http://testserver/fragen/neu?dokument=3")
    assert page.status_code == 422
    assert 'href="/fragen/neu?dokument=3" data-back>Zurück zum Formular' in page.text
    for foreign in ("https://evil.example/fragen/neu", None):
        assert "Zurück zum Formular" not in refused(client, foreign).text
    assert "Zurück zum Formular" not in client.get("/dokumente/999999").text  # not a form
