"""Ask → INGE's passages → advisor triages, notes, answers → the asker sees the answer."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from service.models import AuditEvent, OutboxMessage, Question
from service.questions.workdays import add_working_days, previous_working_day


def ask(client, town, text, **extra):
    r = client.post("/api/v1/questions", headers=town.headers, json={"text": text, **extra})
    assert r.status_code == 201, r.text
    return r.json()


def test_clerk_asks_and_inge_answers_with_sources(client, town, knowledge):
    body = ask(client, town, "Wie werden Kinder und Jugendliche beteiligt?")
    assert body["answered"] is True and body["status"] == "neu" and body["channel"] == "web"
    best = body["passages"][0]
    assert "Jugendclubs" in best["text"] and best["source"] == "Arbeitshilfe (Test)"
    assert best["section"] and "BETEILIGUNG" in best["section"].upper()
    assert 0 < best["score"] <= 1
    assert body["municipality"] == town.municipality.ags
    assert date.fromisoformat(body["due_date"]) == add_working_days(date.today(), 5)
    assert body["due_reason"] == "Servicelevel 5 Arbeitstage"


def test_inge_abstains_when_nothing_fits(client, town, knowledge):
    body = ask(client, town, "Wann wird bei uns der Sperrmüll abgeholt?")
    assert body["answered"] is False and body["status"] == "neu"


def test_question_without_text_is_refused_in_german(client, town):
    r = client.post("/api/v1/questions", headers=town.headers, json={"text": "  "})
    assert r.status_code == 422 and "Frage" in r.json()["error"]["message"]


def test_meeting_date_brings_the_due_date_forward(client, town, knowledge):
    meeting = add_working_days(date.today(), 3)
    body = ask(client, town, "Passt die Vorlage zum INSEK?", meeting_date=meeting.isoformat())
    assert date.fromisoformat(body["due_date"]) == previous_working_day(meeting)
    assert body["due_reason"].startswith("Sitzung am")


def test_advisor_works_the_queue_and_the_answer_goes_back(
    client, session, town, other_town, advisor, knowledge
):
    mine = ask(client, town, "Wie oft muss das INSEK fortgeschrieben werden?")
    ask(client, other_town, "Brauchen Dörfer ein eigenes Konzept?")
    queue = client.get("/api/v1/questions", headers=advisor.headers).json()
    assert queue["total"] == 2
    own = client.get("/api/v1/questions", headers=town.headers).json()
    assert [q["id"] for q in own["items"]] == [mine["id"]]
    kreis = client.get(
        "/api/v1/questions", headers=advisor.headers, params={"landkreis": "Landkreis Bautzen"}
    ).json()
    assert [q["municipality_name"] for q in kreis["items"]] == ["Anderdorf"]

    qid = mine["id"]
    url = f"/api/v1/questions/{qid}"
    patch = client.patch(
        url,
        headers=advisor.headers,
        json={"assignee_id": advisor.clerk.id, "tags": ["Fortschreibung"], "handlungsfeld": "X"},
    )
    assert patch.status_code == 200 and patch.json()["status"] == "in Bearbeitung"
    mine_only = client.get("/api/v1/questions?assignee=ich", headers=advisor.headers).json()
    assert [q["id"] for q in mine_only["items"]] == [qid]
    note = client.post(url + "/notes", headers=advisor.headers, json={"text": "intern: X"})
    assert note.status_code == 200
    answer = client.post(
        url + "/answer", headers=advisor.headers, json={"text": "Spätestens nach zehn Jahren."}
    )
    assert answer.status_code == 200 and answer.json()["status"] == "beantwortet"

    seen = client.get(url, headers=town.headers).json()
    kinds = [e["kind"] for e in seen["history"]]
    assert "Antwort" in kinds and "interne Notiz" not in kinds
    assert "intern: X" not in str(seen)
    assert any(e["text"] == "Spätestens nach zehn Jahren." for e in seen["history"])
    staff_view = client.get(url, headers=advisor.headers).json()
    assert "interne Notiz" in [e["kind"] for e in staff_view["history"]]

    mail = session.exec(select(OutboxMessage)).one()
    assert mail.channel == "email" and mail.recipient == town.clerk.email
    assert "Spätestens nach zehn Jahren." in mail.body and f"/fragen/{qid}" in mail.body
    assert "intern" not in mail.body
    actions = {e.action for e in session.exec(select(AuditEvent)).all()}
    assert {"question.create", "question.assign", "question.answer"} <= actions


def test_clerk_cannot_triage_or_answer(client, town, knowledge):
    qid = ask(client, town, "Was ist ein INSEK?")["id"]
    url = f"/api/v1/questions/{qid}"
    assert (
        client.patch(url, headers=town.headers, json={"status": "geschlossen"}).status_code == 403
    )
    for path in ("/notes", "/answer"):
        r = client.post(url + path, headers=town.headers, json={"text": "x"})
        assert r.status_code == 403 and "FS INGE" in r.json()["error"]["message"]


def test_query_to_municipality_and_reply_reopens(client, town, advisor, knowledge):
    qid = ask(client, town, "Was gehört in ein INSEK?")["id"]
    url = f"/api/v1/questions/{qid}"
    r = client.post(
        url + "/answer",
        headers=advisor.headers,
        json={"text": "Um welche Gemeindegröße geht es?", "rueckfrage": True},
    )
    assert r.json()["status"] == "Rückfrage an Kommune" and r.json()["answered_at"] is None
    reply = client.post(url + "/replies", headers=town.headers, json={"text": "8000 Einwohner"})
    assert reply.status_code == 200 and reply.json()["status"] == "in Bearbeitung"
    closed = client.post(url + "/close", headers=town.headers)
    assert closed.json()["status"] == "geschlossen"


def test_good_answer_becomes_faq_that_inge_then_finds(client, town, other_town, advisor, knowledge):
    qid = ask(client, town, "Dürfen wir für das INSEK ein Planungsbüro beauftragen?")["id"]
    url = f"/api/v1/questions/{qid}"
    client.post(url + "/answer", headers=advisor.headers, json={"text": "Ja, das ist üblich."})
    faq = client.post(
        url + "/faq",
        headers=advisor.headers,
        json={
            "question": "Darf eine Gemeinde ein Planungsbüro mit dem INSEK beauftragen?",
            "answer": "Ja. Viele Gemeinden beauftragen ein Planungsbüro; die Steuerung bleibt "
            "bei der Verwaltung.",
        },
    )
    assert faq.status_code == 201
    listed = client.get("/api/v1/questions/faq", headers=other_town.headers).json()
    assert listed[0]["source_question_id"] == qid
    again = ask(client, other_town, "Können wir ein Planungsbüro beauftragen?")
    assert again["answered"] is True
    assert again["passages"][0]["source"] == "FAQ der FS INGE"


def test_filters_reject_unknown_values(client, advisor):
    r = client.get("/api/v1/questions?status=vergessen", headers=advisor.headers)
    assert r.status_code == 422 and "Status" in r.json()["error"]["message"]
    r = client.get("/api/v1/questions?channel=fax", headers=advisor.headers)
    assert r.status_code == 422


def test_overdue_filter(client, session, town, advisor, knowledge):
    qid = ask(client, town, "Was ist ein INSEK?")["id"]
    ask(client, town, "Was ist ein INGEKO?")
    question = session.get(Question, qid)
    question.due_date = date(2020, 1, 6)
    session.add(question)
    session.commit()
    overdue = client.get("/api/v1/questions?overdue=1", headers=advisor.headers).json()
    assert [q["id"] for q in overdue["items"]] == [qid] and overdue["items"][0]["overdue"]


def test_text_modules_for_staff_only(client, town, advisor):
    r = client.post(
        "/api/v1/questions/text-modules",
        headers=advisor.headers,
        json={"title": "Gruß", "body": "Mit freundlichen Grüßen, Ihre FS INGE"},
    )
    assert r.status_code == 201
    module_id = r.json()["id"]
    assert client.get("/api/v1/questions/text-modules", headers=town.headers).status_code == 403
    listed = client.get("/api/v1/questions/text-modules", headers=advisor.headers).json()
    assert [m["title"] for m in listed] == ["Gruß"]
    url = f"/api/v1/questions/text-modules/{module_id}"
    assert client.delete(url, headers=town.headers).status_code == 403
    assert client.delete(url, headers=advisor.headers).status_code == 204
