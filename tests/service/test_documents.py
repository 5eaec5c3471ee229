"""Upload → real arq worker on real Redis → document processed (or failed with a reason)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from service.documents import service
from service.models import AuditEvent, Document, DocumentPage, Role
from tests.factories import create_municipality, create_token, create_user
from tests.fixtures import hostile
from tests.helpers import run_worker

TXT = b"Integriertes Stadtentwicklungskonzept\nDie Innenstadt soll belebt werden.\n"


@pytest.fixture()
def clerk(session):
    m = create_municipality(session, name="Musterstadt")
    user = create_user(session, municipality=m)
    return m, user, create_token(session, user)


def upload(client, token, name, data, kind="beschlussvorlage", **extra):
    return client.post(
        "/api/v1/documents",
        headers={"Authorization": f"Bearer {token}"},
        files={"file": (name, data)},
        data={"kind": kind, **extra},
    )


def get(client, token, doc_id):
    return client.get(f"/api/v1/documents/{doc_id}", headers={"Authorization": f"Bearer {token}"})


def blobs(settings):
    root = settings.blob_dir
    return (
        # "tmp" counted only below the root: pytest's own tmp_path lies under /tmp
        [p for p in root.rglob("*") if p.is_file() and "tmp" not in p.relative_to(root).parts]
        if root.exists()
        else []
    )


@pytest.mark.parametrize(
    ("name", "data", "pages"),
    [
        ("vorlage.txt", TXT, 1),
        ("vorlage.pdf", hostile.normal_pdf_bytes(), 3),
        ("vorlage.docx", hostile.normal_docx_bytes(), 2),
    ],
)
def test_upload_is_processed_by_the_worker(client, settings, clerk, name, data, pages):
    _, _, token = clerk
    response = upload(client, token, name, data)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "hochgeladen"
    # text extraction, then the chained resolution check of the Vorlage
    assert run_worker(settings) == 2
    done = get(client, token, body["id"]).json()
    assert done["status"] == "verarbeitet", done
    assert done["page_count"] == pages
    assert done["text_length"] > 20
    assert done["error"] is None


def test_processed_text_is_stored_per_page(client, settings, clerk, session):
    _, _, token = clerk
    doc_id = upload(client, token, "v.pdf", hostile.normal_pdf_bytes()).json()["id"]
    run_worker(settings)
    pages = session.exec(
        select(DocumentPage).where(DocumentPage.document_id == doc_id).order_by(DocumentPage.number)
    ).all()
    assert [p.number for p in pages] == [1, 2, 3]
    assert pages[1].start == len(pages[0].text) + 1
    assert all(p.municipality_id == pages[0].municipality_id for p in pages)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("kaputt.pdf", hostile.normal_pdf_bytes()[: len(hostile.normal_pdf_bytes()) // 2], "PDF"),
        ("geheim.pdf", hostile.encrypted_pdf_bytes("geheim"), "verschlüsselt"),
        ("bombe.pdf", hostile.bomb_pdf_bytes(), ""),
    ],
)
def test_hostile_pdf_fails_with_reason_and_next_document_succeeds(
    client, settings, clerk, name, data, reason
):
    _, _, token = clerk
    bad = upload(client, token, name, data)
    assert bad.status_code == 201, bad.text
    good = upload(client, token, "gut.txt", TXT)
    run_worker(settings)
    failed = get(client, token, bad.json()["id"]).json()
    assert failed["status"] == "fehlgeschlagen"
    assert failed["error"] and reason in failed["error"]
    assert get(client, token, good.json()["id"]).json()["status"] == "verarbeitet"


def test_status_changes_are_audited(client, settings, clerk, session):
    _, user, token = clerk
    doc_id = upload(client, token, "v.txt", TXT).json()["id"]
    run_worker(settings)
    events = session.exec(
        select(AuditEvent)
        .where(AuditEvent.object_id == doc_id, AuditEvent.object_type == "document")
        .order_by(AuditEvent.id)
    ).all()
    assert [e.action for e in events] == ["document.upload", "document.status", "document.status"]
    assert events[0].actor_id == user.id
    assert [e.details.get("to") for e in events[1:]] == ["in Verarbeitung", "verarbeitet"]


def test_processing_twice_is_harmless(client, settings, clerk, session):
    _, _, token = clerk
    doc_id = upload(client, token, "v.txt", TXT).json()["id"]
    run_worker(settings)
    import asyncio

    from service.db import make_engine
    from service.documents.tasks import process_document

    engine = make_engine(settings.resolved_database_url)
    result = asyncio.run(
        process_document({"settings": settings, "engine": engine, "redis": None}, doc_id)
    )
    engine.dispose()
    assert result == "verarbeitet"
    pages = session.exec(select(DocumentPage).where(DocumentPage.document_id == doc_id)).all()
    assert len(pages) == 1


def test_too_large_upload_is_413_and_nothing_is_stored(client, settings, clerk, session):
    settings.upload.max_bytes = 1000
    _, _, token = clerk
    response = upload(client, token, "gross.txt", b"a" * 5000)
    assert response.status_code == 413
    assert "zu groß" in response.json()["error"]["message"]
    assert session.exec(select(Document)).all() == []
    assert blobs(settings) == []


def test_file_type_is_judged_by_content_not_name(client, settings, clerk, session):
    _, _, token = clerk
    response = upload(client, token, "harmlos.pdf", b"\x00\x01\x02binary\xff" * 100)
    assert response.status_code == 415
    assert "Dateityp" in response.json()["error"]["message"]
    disguised = upload(client, token, "bild.png", hostile.normal_pdf_bytes())
    assert disguised.status_code == 201
    assert disguised.json()["media_type"] == "application/pdf"
    assert len(session.exec(select(Document)).all()) == 1


def test_too_many_pages_is_422(client, settings, clerk, session):
    settings.upload.max_pages = 2
    _, _, token = clerk
    response = upload(client, token, "lang.pdf", hostile.normal_pdf_bytes())
    assert response.status_code == 422
    assert "3 Seiten" in response.json()["error"]["message"]
    assert session.exec(select(Document)).all() == []
    assert blobs(settings) == []


def test_missing_kind_and_empty_file_are_422(client, clerk):
    _, _, token = clerk
    assert upload(client, token, "a.txt", TXT, kind="quatsch").status_code == 422
    assert upload(client, token, "a.txt", b"").status_code == 422


def test_staff_must_name_the_municipality(client, session, clerk):
    m, _, _ = clerk
    create_municipality(session, name="Zweitstadt")
    advisor = create_user(session, role=Role.ADVISOR)
    token = create_token(session, advisor)
    missing = upload(client, token, "a.txt", TXT)
    assert missing.status_code == 422
    ok = upload(client, token, "a.txt", TXT, municipality=m.ags)
    assert ok.status_code == 201
    assert ok.json()["municipality"] == m.ags


def test_list_is_paginated_and_filterable(client, session, clerk):
    m, _, token = clerk
    for i in range(3):
        assert upload(client, token, f"v{i}.txt", TXT).status_code == 201
    auth = {"Authorization": f"Bearer {token}"}
    page = client.get("/api/v1/documents?limit=2&offset=0", headers=auth).json()
    assert page["total"] == 3 and len(page["items"]) == 2
    rest = client.get("/api/v1/documents?limit=2&offset=2", headers=auth).json()
    assert len(rest["items"]) == 1
    assert client.get(f"/api/v1/documents?municipality={m.ags}", headers=auth).json()["total"] == 3
    assert client.get("/api/v1/documents?limit=0", headers=auth).status_code == 422


def test_upload_through_the_web_form(client, settings, session, clerk):
    from tests.helpers import login, page_csrf

    _, user, _ = clerk
    login(client, user.email)
    token = page_csrf(client, "/dokumente/neu")
    response = client.post(
        "/dokumente",
        data={"kind": "insek", "csrf_token": token},
        files={"file": ("insek.txt", TXT)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    detail = client.get(response.headers["location"])
    assert "hochgeladen" in detail.text
    run_worker(settings)
    detail = client.get(response.headers["location"])
    assert "verarbeitet" in detail.text and "Innenstadt soll belebt" in detail.text


def test_web_upload_without_csrf_is_refused(client, session, clerk):
    from tests.helpers import login

    _, user, _ = clerk
    login(client, user.email)
    response = client.post("/dokumente", data={"kind": "insek"}, files={"file": ("insek.txt", TXT)})
    assert response.status_code == 403
    assert session.exec(select(Document)).all() == []


# --- downloads of the original upload ----------------------------------------------------


def test_original_is_served_as_attachment_byte_for_byte(client, clerk):
    _, _, token = clerk
    data = hostile.normal_pdf_bytes()
    doc_id = upload(client, token, "Vorlage Nr. 7; Grünfläche.pdf", data).json()["id"]
    for url in (f"/api/v1/documents/{doc_id}/file", f"/dokumente/{doc_id}/datei"):
        r = client.get(url, headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200 and r.content == data
        disposition = r.headers["content-disposition"]
        assert disposition == (
            'attachment; filename="Vorlage Nr. 7_ Gr_nfl_che.pdf"; '
            "filename*=UTF-8''Vorlage%20Nr.%207%3B%20Gr%C3%BCnfl%C3%A4che.pdf"
        )
        assert r.headers["content-type"] == "application/pdf"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "sandbox" in r.headers["content-security-policy"]


def test_attachment_header_neutralises_quotes_paths_and_line_breaks():
    header = service.attachment_header('..\\..\\a"b\r\nSet-Cookie: x.pdf')
    assert header.startswith('attachment; filename="a_b__Set-Cookie: x.pdf"; ')
    assert "\r" not in header and "\n" not in header and header.count('"') == 2


def test_html_upload_is_never_served_as_html(client, session, clerk, settings):
    """Even if a row claims text/html (say, from an older version), it goes out as bytes."""
    _, _, token = clerk
    doc_id = upload(client, token, "x.txt", b"<script>alert(1)</script>").json()["id"]
    document = session.get(Document, doc_id)
    document.media_type = "text/html"
    session.commit()
    r = client.get(f"/api/v1/documents/{doc_id}/file", headers={"Authorization": f"Bearer {token}"})
    assert r.headers["content-type"] == "application/octet-stream"
    assert r.headers["content-disposition"].startswith("attachment;")


def test_missing_original_is_a_german_404(client, clerk, settings):
    _, _, token = clerk
    doc_id = upload(client, token, "x.txt", TXT).json()["id"]
    for path in blobs(settings):
        path.unlink()
    r = client.get(f"/api/v1/documents/{doc_id}/file", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 404
    assert r.json()["error"]["message"] == "Die Originaldatei ist nicht mehr vorhanden."
