"""INSEK upload → text → goal set draft → review, edit, adopt; Mindeststandard."""

from __future__ import annotations

import pytest
from sqlmodel import select

from service.models import AuditEvent, GoalSet, Role
from tests.factories import create_municipality, create_token, create_user
from tests.fixtures.insek_sample import as_text
from tests.helpers import login, page_csrf, run_worker


@pytest.fixture()
def town(session):
    m = create_municipality(session, name="Musterstadt")
    admin = create_user(session, role=Role.MUNICIPAL_ADMIN, municipality=m)
    clerk = create_user(session, municipality=m)
    return m, admin, create_token(session, admin), clerk, create_token(session, clerk)


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def upload_insek(client, settings, token, text=None):
    r = client.post(
        "/api/v1/documents",
        headers=auth(token),
        data={"kind": "insek"},
        files={"file": ("insek.txt", (text or as_text()).encode())},
    )
    assert r.status_code == 201, r.text
    run_worker(settings)  # text extraction, which enqueues the goal set extraction
    run_worker(settings)
    return r.json()["id"]


def kinds(items):
    out = []
    for item in items:
        out.append(item["kind"])
        out += kinds(item["children"])
    return out


def test_upload_creates_a_draft_goal_set_with_sources(client, settings, town):
    _, _, token, _, _ = town
    doc_id = upload_insek(client, settings, token)
    body = client.get(f"/api/v1/insek/{doc_id}/goalset", headers=auth(token)).json()
    assert body["status"] == "Entwurf" and body["version"] == 1
    fields = [i for i in body["items"] if i["kind"] == "handlungsfeld"]
    assert [f["text"] for f in fields] == ["Wohnen und Altstadt", "Mobilität und Klima"]
    first = fields[0]["children"]
    assert [c["text"] for c in first][:2] == [
        "Leerstand in der Altstadt bis 2030 um 30 Prozent senken",
        "Barrierefreien Wohnraum für ältere Menschen schaffen",
    ]
    measure = next(c for c in first if c["kind"] == "massnahme")
    assert measure["attributes"]["zeithorizont"] == "kurzfristig"
    assert measure["source"]["page"] == 2
    cycling = fields[1]["children"][0]
    assert cycling["text"] == "Den Radverkehr stärken"
    assert "mobilitaet" in cycling["topics"]  # tagged by the spaCy pipeline


def test_goal_set_job_runs_once(client, settings, town, session):
    _, _, token, _, _ = town
    doc_id = upload_insek(client, settings, token)
    import asyncio

    from service.db import make_engine
    from service.insek.tasks import extract_goal_set

    engine = make_engine(settings.resolved_database_url)
    result = asyncio.run(
        extract_goal_set({"settings": settings, "engine": engine, "redis": None}, doc_id)
    )
    engine.dispose()
    assert result == "Fassung 1 existiert"
    assert len(session.exec(select(GoalSet)).all()) == 1


def test_put_replaces_the_tree_and_is_audited(client, settings, town, session):
    _, _, token, _, _ = town
    doc_id = upload_insek(client, settings, token)
    body = client.get(f"/api/v1/insek/{doc_id}/goalset", headers=auth(token)).json()
    field = next(i for i in body["items"] if i["kind"] == "handlungsfeld")
    field["text"] = "Wohnen, Altstadt und Zentrum"
    field["children"] = [
        *field["children"][:1],
        {"kind": "operatives_ziel", "text": "100 neue Wohnungen bis 2028", "children": []},
    ]
    tree = {"items": [field]}
    r = client.put(f"/api/v1/insek/{doc_id}/goalset", headers=auth(token), json=tree)
    assert r.status_code == 200, r.text
    after = r.json()
    assert [i["text"] for i in after["items"]] == ["Wohnen, Altstadt und Zentrum"]
    assert kinds(after["items"]) == ["handlungsfeld", "strategisches_ziel", "operatives_ziel"]
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "goalset.replace")).one()
    assert event.details["added"] == 1 and event.details["deleted"] > 0


def test_put_with_a_foreign_item_id_changes_nothing(client, settings, town):
    _, _, token, _, _ = town
    doc_id = upload_insek(client, settings, token)
    before = client.get(f"/api/v1/insek/{doc_id}/goalset", headers=auth(token)).json()
    r = client.put(
        f"/api/v1/insek/{doc_id}/goalset",
        headers=auth(token),
        json={"items": [{"id": 999999, "kind": "handlungsfeld", "text": "X"}]},
    )
    assert r.status_code == 422
    assert client.get(f"/api/v1/insek/{doc_id}/goalset", headers=auth(token)).json() == before
    bad = client.put(
        f"/api/v1/insek/{doc_id}/goalset",
        headers=auth(token),
        json={"items": [{"kind": "quatsch", "text": "X"}]},
    )
    assert bad.status_code == 422


def test_adopt_supersedes_the_previous_version_and_freezes_it(client, settings, town, session):
    _, _, token, _, clerk_token = town
    first = upload_insek(client, settings, token)
    adopt = {"council_decision_date": "2024-03-14", "council_decision_ref": "BV/2024/017"}
    denied = client.post(
        f"/api/v1/insek/{first}/goalset/adopt", headers=auth(clerk_token), json=adopt
    )
    assert denied.status_code == 403
    r = client.post(f"/api/v1/insek/{first}/goalset/adopt", headers=auth(token), json=adopt)
    assert r.status_code == 200 and r.json()["status"] == "beschlossen"
    frozen = client.put(f"/api/v1/insek/{first}/goalset", headers=auth(token), json={"items": []})
    assert frozen.status_code == 409
    assert "beschlossen" in frozen.json()["error"]["message"]
    second = upload_insek(client, settings, token)
    adopt["council_decision_ref"] = "BV/2025/002"
    assert (
        client.post(
            f"/api/v1/insek/{second}/goalset/adopt", headers=auth(token), json=adopt
        ).status_code
        == 200
    )
    statuses = {g.version: g.status for g in session.exec(select(GoalSet)).all()}
    assert statuses == {1: "abgelöst", 2: "beschlossen"}
    old = client.get(f"/api/v1/insek/{first}/goalset", headers=auth(token)).json()
    assert old["status"] == "abgelöst" and old["items"]  # older versions stay readable


def test_adoption_needs_a_reference_and_a_past_date(client, settings, town):
    _, _, token, _, _ = town
    doc = upload_insek(client, settings, token)
    r = client.post(
        f"/api/v1/insek/{doc}/goalset/adopt",
        headers=auth(token),
        json={"council_decision_date": "2999-01-01", "council_decision_ref": "X"},
    )
    assert r.status_code == 422 and "Zukunft" in r.json()["error"]["message"]


def test_mindeststandard_reports_each_point(client, settings, town):
    _, _, token, _, _ = town
    doc = upload_insek(client, settings, token)
    r = client.get(f"/api/v1/insek/{doc}/mindeststandard", headers=auth(token)).json()
    status = {f["id"]: f["status"] for f in r["findings"]}
    assert status["MS-T1"] == "erfüllt"  # Wohnen is a Handlungsfeld
    assert status["MS-T3"] == "erfüllt"  # Mobilität
    assert status["MS-T4"] == "fehlt"  # nothing on Wirtschaft und Handel
    assert status["MS-S1"] == "erfüllt"  # SWOT named
    assert status["MS-B1"] == "erfüllt"  # Bürgerbeteiligung
    assert status["MS-A1"] == "teilweise"  # not adopted: age unknown
    assert len(status) == 18


def test_review_page_edits_are_audited(client, settings, town, session):
    _, admin, token, _, _ = town
    doc = upload_insek(client, settings, token)
    goal_set = session.exec(select(GoalSet)).one()
    login(client, admin.email)
    page = client.get(f"/insek/{goal_set.id}")
    assert page.status_code == 200
    assert 'class="link-button source-button"' in page.text and "Quelle (S. 2)" in page.text
    body = client.get(f"/api/v1/insek/{doc}/goalset", headers=auth(token)).json()
    goal = body["items"][1]["children"][0]
    csrf = page_csrf(client, f"/insek/{goal_set.id}")
    url = f"/insek/{goal_set.id}/eintraege/{goal['id']}"
    r = client.post(
        url,
        data={
            "csrf_token": csrf,
            "action": "teilen",
            "kind": goal["kind"],
            "text": "Leerstand senken\n\nbis 2030 um 30 Prozent",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    r = client.post(
        url, data={"csrf_token": csrf, "action": "zusammenfuehren"}, follow_redirects=False
    )
    assert r.status_code == 303
    r = client.post(
        url,
        data={
            "csrf_token": csrf,
            "action": "speichern",
            "kind": "operatives_ziel",
            "text": "Leerstand bis 2030 senken",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    after = client.get(f"/api/v1/insek/{doc}/goalset", headers=auth(token)).json()
    first = after["items"][1]["children"][0]
    assert (first["kind"], first["text"]) == ("operatives_ziel", "Leerstand bis 2030 senken")
    actions = [
        e.action
        for e in session.exec(select(AuditEvent).where(AuditEvent.object_type == "goal_item"))
    ]
    assert actions == ["goalset.item.split", "goalset.item.merge", "goalset.item.update"]


def test_review_page_add_move_delete(client, settings, town, session):
    _, admin, token, _, _ = town
    doc = upload_insek(client, settings, token)
    goal_set = session.exec(select(GoalSet)).one()
    login(client, admin.email)
    csrf = page_csrf(client, f"/insek/{goal_set.id}")
    r = client.post(
        f"/insek/{goal_set.id}/eintraege",
        follow_redirects=False,
        data={"csrf_token": csrf, "kind": "handlungsfeld", "text": "Wirtschaft"},
    )
    assert r.status_code == 303
    tree = client.get(f"/api/v1/insek/{doc}/goalset", headers=auth(token)).json()["items"]
    new_field = next(i for i in tree if i["text"] == "Wirtschaft")
    moving = tree[1]["children"][0]
    r = client.post(
        f"/insek/{goal_set.id}/eintraege/{moving['id']}",
        follow_redirects=False,
        data={"csrf_token": csrf, "action": "verschieben", "parent_id": str(new_field["id"])},
    )
    assert r.status_code == 303
    tree = client.get(f"/api/v1/insek/{doc}/goalset", headers=auth(token)).json()["items"]
    assert [c["id"] for c in next(i for i in tree if i["text"] == "Wirtschaft")["children"]] == [
        moving["id"]
    ]
    r = client.post(
        f"/insek/{goal_set.id}/eintraege/{new_field['id']}",
        follow_redirects=False,
        data={"csrf_token": csrf, "action": "loeschen"},
    )
    assert r.status_code == 303
    tree = client.get(f"/api/v1/insek/{doc}/goalset", headers=auth(token)).json()["items"]
    assert all(i["text"] != "Wirtschaft" for i in tree)
    assert moving["id"] in [i["id"] for i in tree]  # children move up, nothing is lost


def test_mindeststandard_page_and_list(client, settings, town, session):
    _, admin, token, _, _ = town
    upload_insek(client, settings, token)
    goal_set = session.exec(select(GoalSet)).one()
    login(client, admin.email)
    assert "Musterstadt" in client.get("/insek").text
    page = client.get(f"/insek/{goal_set.id}/mindeststandard")
    assert page.status_code == 200
    assert "Wirtschaft und Handel" in page.text and "fehlt" in page.text
    assert "Operative Ziele ohne Messgröße" in page.text


def test_real_karlsruhe_insek_end_to_end(client, settings, town, shared_dir):
    _, _, token, _, _ = town
    text = (shared_dir / "data/karlsruhe/isek-2020-volltext.txt").read_text(encoding="utf-8")
    doc_id = upload_insek(client, settings, token, text=text)
    document = client.get(f"/api/v1/documents/{doc_id}", headers=auth(token)).json()
    assert document["page_count"] > 100  # pages recovered from the running heads
    body = client.get(f"/api/v1/insek/{doc_id}/goalset", headers=auth(token)).json()
    fields = [i for i in body["items"] if i["kind"] == "handlungsfeld"]
    assert len(fields) == 12
    goals = [c for f in fields for c in f["children"] if c["kind"].endswith("ziel")]
    assert len(goals) >= 105  # gold: 116 ZIELE bullets
