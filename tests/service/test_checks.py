"""Upload a Vorlage → checked against the adopted INSEK → confirm, override, finalise, PDF."""

from __future__ import annotations

import pytest
from sqlmodel import select

from service.models import AuditEvent, CheckRun, GoalSet, Role
from tests.factories import create_municipality, create_token, create_user
from tests.fixtures import vorlage_sample as v
from tests.helpers import (
    adopt_sample_insek,
    bearer,
    confirm_all,
    login,
    page_csrf,
    run_worker,
    upload,
)


@pytest.fixture()
def town(session):
    m = create_municipality(session, name="Musterstadt")
    admin = create_user(session, role=Role.MUNICIPAL_ADMIN, municipality=m)
    return m, admin, create_token(session, admin)


def only_run(session):
    session.expire_all()
    return session.exec(select(CheckRun)).one()


def test_vorlage_without_adopted_insek_says_so(client, settings, town, session):
    _, _, token = town
    upload(client, token, "radweg.txt", v.RADWEG, "beschlussvorlage")
    run_worker(settings)
    run = only_run(session)
    body = client.get(f"/api/v1/checks/{run.id}", headers=bearer(token)).json()
    assert body["status"] == "fehlgeschlagen"
    assert "noch kein INSEK beschlossen" in body["error"]


def test_upload_check_confirm_override_finalize_and_pdf(client, settings, town, session):
    _, _, token = town
    adopt_sample_insek(client, settings, token)
    upload(client, token, "radweg.txt", v.RADWEG, "beschlussvorlage")
    run_worker(settings)
    run = only_run(session)
    body = client.get(f"/api/v1/checks/{run.id}", headers=bearer(token)).json()
    assert body["status"] == "geprüft" and body["insek_relevant"] is True
    assert body["handlungsfelder"][0]["name"] == "Mobilität und Klima"
    assert body["goal_set_version"] == 1 and body["checklist_version"] == "2026.1"
    assert body["software_version"]
    goal = body["goals"][0]
    assert goal["vorlage"]["text"] and goal["insek"]["page"] == 3 and goal["item_id"]
    assert [i["check_id"] for i in body["items"]] == [f"INSEK-{n:02d}" for n in range(1, 11)]

    early = client.post(f"/api/v1/checks/{run.id}/finalize", headers=bearer(token))
    assert early.status_code == 422 and "bestätigen" in early.json()["error"]["message"]
    assert (
        client.get(f"/api/v1/checks/{run.id}/report.pdf", headers=bearer(token)).status_code == 409
    )
    no_reason = client.patch(
        f"/api/v1/checks/{run.id}/items/INSEK-10", headers=bearer(token), json={"status": "erfüllt"}
    )
    assert no_reason.status_code == 422 and "Grund" in no_reason.json()["error"]["message"]
    for item in body["items"]:
        payload = {"reason": ""}
        if item["check_id"] == "INSEK-10":
            payload = {"status": "erfüllt", "reason": "Monitoring über Radverkehrszählung"}
        r = client.patch(
            f"/api/v1/checks/{run.id}/items/{item['check_id']}", headers=bearer(token), json=payload
        )
        assert r.status_code == 200, r.text
    final = client.post(f"/api/v1/checks/{run.id}/finalize", headers=bearer(token))
    assert final.status_code == 200 and final.json()["status"] == "abgeschlossen"
    overridden = next(i for i in final.json()["items"] if i["check_id"] == "INSEK-10")
    assert overridden["status"] == "erfüllt" and overridden["computed_status"] != "erfüllt"
    pdf = client.get(f"/api/v1/checks/{run.id}/report.pdf", headers=bearer(token))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf.headers["content-disposition"]
    again = client.patch(
        f"/api/v1/checks/{run.id}/items/INSEK-01", headers=bearer(token), json={"reason": ""}
    )
    assert again.status_code == 409
    actions = [
        e.action
        for e in session.exec(
            select(AuditEvent).where(AuditEvent.object_type.in_(["check_item", "check_run"]))
        )
    ]
    assert actions.count("check.item.confirm") == 10 and "check.finalize" in actions


def test_pdf_report_names_municipality_vorlage_and_confirmer(client, settings, town, session):
    import io

    from pypdf import PdfReader

    _, admin, token = town
    adopt_sample_insek(client, settings, token)
    upload(client, token, "radweg.txt", v.RADWEG, "beschlussvorlage")
    run_worker(settings)
    run = only_run(session)
    login(client, admin.email)
    page = client.get(f"/pruefungen/{run.id}")
    assert page.status_code == 200 and "INSEK-04" in page.text
    csrf = page_csrf(client, f"/pruefungen/{run.id}")
    for n in range(1, 11):
        r = client.post(
            f"/pruefungen/{run.id}/punkte/INSEK-{n:02d}",
            follow_redirects=False,
            data={"csrf_token": csrf, "status": "", "reason": ""},
        )
        assert r.status_code == 303
    r = client.post(
        f"/pruefungen/{run.id}/abschliessen", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert r.status_code == 303
    html = client.get(f"/pruefungen/{run.id}/bericht").text
    assert "Musterstadt" in html and "BV/2026/041" in html and "Bau eines Radwegs" in html
    pdf = client.get(f"/pruefungen/{run.id}/bericht.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Musterstadt" in text and "INSEK-02" in text and admin.email in text


def test_parking_garage_gets_a_conflict_to_review(client, settings, town, session):
    _, _, token = town
    adopt_sample_insek(client, settings, token)
    upload(client, token, "parkhaus.txt", v.PARKHAUS, "beschlussvorlage")
    run_worker(settings)
    run = only_run(session)
    items = client.get(f"/api/v1/checks/{run.id}", headers=bearer(token)).json()["items"]
    conflict = next(i for i in items if i["check_id"] == "INSEK-04")
    assert conflict["status"] == "prüfen"
    assert {e["side"] for e in conflict["evidence"]} == {"vorlage", "insek"}


def test_check_can_be_started_again_through_the_api(client, settings, town, session):
    _, _, token = town
    adopt_sample_insek(client, settings, token)
    doc = upload(client, token, "radweg.txt", v.RADWEG, "beschlussvorlage")
    run_worker(settings)
    r = client.post("/api/v1/checks", headers=bearer(token), json={"document_id": doc})
    assert r.status_code == 201 and r.json()["status"] == "ausstehend"
    run_worker(settings)
    assert (
        client.get(f"/api/v1/checks/{r.json()['id']}", headers=bearer(token)).json()["status"]
        == "geprüft"
    )


def test_evidence_links_mark_the_passage_in_both_documents(client, settings, town, session):
    import html
    import re

    _, admin, token = town
    adopt_sample_insek(client, settings, token)
    upload(client, token, "radweg.txt", v.RADWEG, "beschlussvorlage")
    run_worker(settings)
    run = only_run(session)
    login(client, admin.email)
    page = client.get(f"/pruefungen/{run.id}").text
    links = [html.unescape(u) for u in re.findall(r'href="([^"]+#fundstelle)"', page)]
    vorlage_link = next(u for u in links if u.startswith("/dokumente/"))
    insek_link = next(u for u in links if u.startswith("/insek/"))
    body = run.goals[0]
    marked = client.get(vorlage_link).text
    assert re.search(r'<mark id="fundstelle"[^>]*>[^<]*\S', marked)
    shown = client.get(insek_link).text
    goal_set = session.get(GoalSet, run.goal_set_id)
    start, end = map(int, re.search(r"von=(\d+)&bis=(\d+)", insek_link).groups())
    expected = html.escape(goal_set.source_text[start:end], quote=True)
    assert expected.strip() and body["insek"]["text"]
    assert f'<mark id="fundstelle" tabindex="-1">{expected}</mark>' in shown
    bad = client.get(vorlage_link.replace("von=", "von=x"))
    assert bad.status_code == 422


def test_answered_checks_become_precedents_for_similar_vorlagen(client, settings, town, session):
    _, _, token = town
    adopt_sample_insek(client, settings, token)
    upload(client, token, "friedhof.txt", v.FRIEDHOF, "beschlussvorlage")
    run_worker(settings)
    first = only_run(session)
    body = client.get(f"/api/v1/checks/{first.id}", headers=bearer(token)).json()
    assert body["precedents"] == [] and body["answer"] is None
    ranking = [f["name"] for f in body["handlungsfelder"]]
    answer = ranking[-1]  # the clerk names the field INGE ranked last
    confirm_all(client, token, first.id)
    wrong = client.post(
        f"/api/v1/checks/{first.id}/finalize", headers=bearer(token), json={"answer": "Sonstiges"}
    )
    assert wrong.status_code == 422 and "Handlungsfeld" in wrong.json()["error"]["message"]
    final = client.post(
        f"/api/v1/checks/{first.id}/finalize", headers=bearer(token), json={"answer": answer}
    )
    assert final.status_code == 200 and final.json()["answer"] == answer

    upload(client, token, "friedhof-2.txt", v.FRIEDHOF + "\nNachtrag.\n", "beschlussvorlage")
    run_worker(settings)
    session.expire_all()
    second = session.exec(select(CheckRun).where(CheckRun.id != first.id)).one()
    again = client.get(f"/api/v1/checks/{second.id}", headers=bearer(token)).json()
    assert [p["check_run_id"] for p in again["precedents"]] == [first.id]
    assert again["precedents"][0]["answer"] == answer
    assert again["precedents"][0]["similarity"] > 0.8
    new_ranking = [f["name"] for f in again["handlungsfelder"]]
    assert new_ranking.index(answer) < ranking.index(answer)


def test_finalizing_on_the_page_stores_the_answer(client, settings, town, session):
    _, admin, token = town
    adopt_sample_insek(client, settings, token)
    upload(client, token, "radweg.txt", v.RADWEG, "beschlussvorlage")
    run_worker(settings)
    run = only_run(session)
    confirm_all(client, token, run.id)
    login(client, admin.email)
    page = client.get(f"/pruefungen/{run.id}").text
    assert 'name="answer"' in page and "nicht INSEK-relevant" in page
    csrf = page_csrf(client, f"/pruefungen/{run.id}")
    r = client.post(
        f"/pruefungen/{run.id}/abschliessen",
        data={"csrf_token": csrf, "answer": "nein"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    session.expire_all()
    assert session.get(CheckRun, run.id).answer == "nein"
    assert "Antwort der Kommune: <strong>nein</strong>" in client.get(f"/pruefungen/{run.id}").text
