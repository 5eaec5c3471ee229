"""Data protection: export of all data of a municipality; deletion with its rows, files,
queued jobs and users, while another municipality stays untouched."""

from __future__ import annotations

import asyncio
import io
import json
import zipfile

from sqlmodel import select

from service.jobs import connect_redis
from service.models import (
    AuditEvent,
    Document,
    Municipality,
    Question,
    Role,
    User,
)
from service.storage import BlobStore
from tests.factories import create_municipality, create_token, create_user
from tests.helpers import login, page_csrf, run_worker


def _town(client, session, name, text):
    town = create_municipality(session, name=name)
    boss = create_user(session, role=Role.MUNICIPAL_ADMIN, municipality=town)
    headers = {"Authorization": f"Bearer {create_token(session, boss)}"}
    doc = client.post(
        "/api/v1/documents",
        headers=headers,
        data={"kind": "other"},
        files={"file": (f"{name}.txt", text.encode())},
    ).json()["id"]
    client.post("/api/v1/questions", headers=headers, json={"text": f"Frage von {name}?"})
    return town, boss, doc


def _queued(settings) -> list[str]:
    async def main() -> list[str]:
        pool = await connect_redis(settings)
        ids = await pool.zrange(settings.queue_name, 0, -1)
        await pool.aclose()
        return [i.decode() if isinstance(i, bytes) else i for i in ids]

    return asyncio.run(main())


def test_export_contains_rows_and_files(client, settings, session):
    town, boss, doc = _town(client, session, "Exportstadt", "Inhalt der Exportstadt")
    run_worker(settings)
    login(client, boss.email)
    r = client.get(f"/kommunen/{town.id}/export")
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(r.content))
    names = archive.namelist()
    assert "kommune.json" in names and "tabellen/documents.json" in names
    assert "tabellen/questions.json" in names and "tabellen/memberships.json" in names
    files = [n for n in names if n.startswith("dateien/")]
    assert files and archive.read(files[0]) == b"Inhalt der Exportstadt"
    documents = json.loads(archive.read("tabellen/documents.json"))
    assert [d["id"] for d in documents] == [doc]
    assert "password_hash" not in archive.read("tabellen/memberships.json").decode()


def test_delete_removes_rows_files_jobs_and_users_of_that_municipality_only(
    client, settings, session
):
    gone, gone_boss, gone_doc = _town(client, session, "Löschstadt", "Text der Löschstadt")
    kept, kept_boss, kept_doc = _town(client, session, "Bleibstadt", "Text der Bleibstadt")
    assert f"process_document:{gone_doc}" in _queued(settings)  # not yet processed
    gone_id, gone_ags, boss_id, kept_id = gone.id, gone.ags, gone_boss.id, kept.id
    kept_boss_id = kept_boss.id
    session.expire_all()
    sha = session.get(Document, gone_doc).sha256
    store = BlobStore(settings.blob_dir)
    assert store.path_for(sha).exists()

    admin = create_user(session, role=Role.ADMIN)
    login(client, admin.email)
    csrf = page_csrf(client, f"/kommunen/{gone.id}/einstellungen")
    wrong = client.post(
        f"/kommunen/{gone.id}/loeschen", data={"csrf_token": csrf, "bestaetigung": "1"}
    )
    assert wrong.status_code == 422
    r = client.post(
        f"/kommunen/{gone_id}/loeschen",
        data={"csrf_token": csrf, "bestaetigung": gone_ags},
        follow_redirects=False,
    )
    assert r.status_code == 303
    session.expire_all()
    assert session.get(Municipality, gone_id) is None
    assert session.get(Document, gone_doc) is None and not store.path_for(sha).exists()
    assert session.get(User, boss_id) is None
    assert [q.text for q in session.exec(select(Question)).all()] == ["Frage von Bleibstadt?"]
    queued = _queued(settings)
    assert f"process_document:{gone_doc}" not in queued
    assert f"process_document:{kept_doc}" in queued
    assert session.get(Document, kept_doc) is not None and session.get(User, kept_boss_id)
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "municipality.delete")).one()
    assert event.details["documents"] == 1 and event.details["jobs"] >= 1
    run_worker(settings)  # the remaining queue still works
    session.expire_all()
    assert session.get(Document, kept_doc).status == "verarbeitet"
    assert session.get(Municipality, kept_id) is not None


def test_only_admins_delete(client, session):
    town = create_municipality(session)
    boss = create_user(session, role=Role.MUNICIPAL_ADMIN, municipality=town)
    login(client, boss.email)
    csrf = page_csrf(client, f"/kommunen/{town.id}/einstellungen")
    r = client.post(
        f"/kommunen/{town.id}/loeschen", data={"csrf_token": csrf, "bestaetigung": town.ags}
    )
    assert r.status_code == 403
