"""A check finding to FS INGE with one click: a queue item linked to the check."""

from __future__ import annotations

from sqlmodel import select

from service.models import CheckRun, Role
from tests.factories import create_token, create_user
from tests.fixtures import vorlage_sample as v
from tests.helpers import adopt_sample_insek, login, page_csrf, run_worker, upload


def _parking_check(client, settings, session, town):
    admin = create_user(session, role=Role.MUNICIPAL_ADMIN, municipality=town.municipality)
    adopt_sample_insek(client, settings, create_token(session, admin))
    upload(client, town.token, "parkhaus.txt", v.PARKHAUS, "beschlussvorlage")
    run_worker(settings)
    session.expire_all()
    return session.exec(select(CheckRun)).one()


def test_conflict_finding_goes_to_the_queue_linked_to_the_check(
    client, settings, session, town, advisor
):
    run = _parking_check(client, settings, session, town)
    r = client.post(
        "/api/v1/questions",
        headers=town.headers,
        json={"check_run_id": run.id, "check_item": "INSEK-04"},
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["channel"] == "check" and body["check_run_id"] == run.id
    assert body["check_item"] == "INSEK-04" and body["document_id"] == run.document_id
    assert "INSEK-04" in body["subject"] and "Prüfbefund" in body["tags"]
    queue = client.get("/api/v1/questions?channel=check", headers=advisor.headers).json()
    assert [q["id"] for q in queue["items"]] == [body["id"]]


def test_only_findings_to_review_can_be_sent(client, settings, session, town):
    run = _parking_check(client, settings, session, town)
    items = client.get(f"/api/v1/checks/{run.id}", headers=town.headers).json()["items"]
    settled = next(i for i in items if i["status"] == "erfüllt" and i["check_id"] != "INSEK-04")
    r = client.post(
        "/api/v1/questions",
        headers=town.headers,
        json={"check_run_id": run.id, "check_item": settled["check_id"]},
    )
    assert r.status_code == 422 and "prüfen" in r.json()["error"]["message"]


def test_one_click_on_the_check_page(client, settings, session, town):
    run = _parking_check(client, settings, session, town)
    login(client, town.clerk.email)
    page = client.get(f"/pruefungen/{run.id}").text
    assert f"/pruefungen/{run.id}/punkte/INSEK-04/an-inge" in page
    csrf = page_csrf(client, f"/pruefungen/{run.id}")
    r = client.post(
        f"/pruefungen/{run.id}/punkte/INSEK-04/an-inge",
        data={"csrf_token": csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/fragen/")
    detail = client.get(r.headers["location"]).text
    assert "Prüfbefund" in detail and f"/pruefungen/{run.id}#punkt-INSEK-04" in detail
