"""The pages: ask, the asker's view, the advisors' queue and answer editor, text modules."""

from __future__ import annotations

from tests.helpers import login, page_csrf


def test_ask_on_the_web_and_see_inges_passages(client, town, knowledge):
    login(client, town.clerk.email)
    assert "Frag doch INGE" in client.get("/fragen/neu").text
    csrf = page_csrf(client, "/fragen/neu")
    r = client.post(
        "/fragen",
        data={"csrf_token": csrf, "text": "Wie oft berichtet man dem Gemeinderat?"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert "Was INGE dazu gefunden hat" in page and "Quelle: Arbeitshilfe (Test)" in page
    assert "Bearbeitung" not in page.split("Verlauf")[1]  # no triage form for clerks
    assert "Nachricht an die FS INGE" in page


def test_abstention_is_said_plainly(client, town, knowledge):
    login(client, town.clerk.email)
    csrf = page_csrf(client, "/fragen/neu")
    r = client.post(
        "/fragen",
        data={"csrf_token": csrf, "text": "Wo beantrage ich einen Personalausweis?"},
        follow_redirects=False,
    )
    page = client.get(r.headers["location"]).text
    assert "Das kann ich nicht sicher beantworten." in page


def test_advisor_queue_answer_editor_and_modules(client, town, advisor, knowledge):
    client.post(
        "/api/v1/questions",
        headers=town.headers,
        json={"text": "Wie beteiligen wir Jugendliche?"},
    )
    login(client, advisor.clerk.email)
    csrf = page_csrf(client, "/textbausteine")
    client.post(
        "/textbausteine",
        data={"csrf_token": csrf, "title": "Gruß", "body": "Viele Grüße, FS INGE"},
    )
    queue = client.get("/fragen").text
    assert "Warteschlange der FS INGE" in queue and "Musterstadt" in queue
    import re

    qid = re.search(r'href="/fragen/(\d+)"', queue).group(1)
    detail = client.get(f"/fragen/{qid}").text
    assert "Passende Stellen (INGE)" in detail and "Jugendclubs" in detail
    assert 'data-insert="answer-text"' in detail and "Viele Grüße, FS INGE" in detail
    csrf = page_csrf(client, f"/fragen/{qid}")
    r = client.post(
        f"/fragen/{qid}/bearbeiten",
        data={"csrf_token": csrf, "status": "in Bearbeitung", "assignee": "ich", "tags": "a, b"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    client.post(f"/fragen/{qid}/notiz", data={"csrf_token": csrf, "text": "Notiz X"})
    client.post(
        f"/fragen/{qid}/antwort", data={"csrf_token": csrf, "text": "Über Schulen und Clubs."}
    )
    detail = client.get(f"/fragen/{qid}").text
    assert "beantwortet" in detail and "Notiz X" in detail and "Als FAQ übernehmen" in detail
    filtered = client.get("/fragen?status=beantwortet&bearbeitung=ich").text
    assert f"/fragen/{qid}" in filtered
    assert f"/fragen/{qid}" not in client.get("/fragen?status=neu").text
