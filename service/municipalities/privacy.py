"""Data protection: export everything INGE holds for a municipality, and delete a municipality
with all its rows, files and queued jobs."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from typing import Any

from arq import ArqRedis
from sqlalchemy import Table, delete
from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel, col, select

from service.audit import record
from service.config import Settings
from service.models import (
    CheckRun,
    Document,
    InboundMail,
    Membership,
    Municipality,
    Question,
    SlackDelivery,
    User,
)
from service.storage import BlobStore

SECRET_COLUMNS = {"password_hash", "token_hash", "raw"}


def tenant_tables() -> list[Table]:
    return [
        table
        for table in SQLModel.metadata.sorted_tables
        if "municipality_id" in table.columns and table.name != "municipalities"
    ]


def export_zip(session: Session, municipality: Municipality, settings: Settings) -> bytes:
    """A ZIP with one JSON file per table (the municipality's rows) and its document files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("kommune.json", _dump([_row(municipality)]))
        for table in tenant_tables():
            rows = session.execute(
                sa_select(table).where(table.c.municipality_id == municipality.id)
            ).mappings()
            data = [{k: v for k, v in r.items() if k not in SECRET_COLUMNS} for r in rows]
            if data:
                archive.writestr(f"tabellen/{table.name}.json", _dump(data))
        store = BlobStore(settings.blob_dir)
        for document in _documents(session, municipality):
            path = store.path_for(document.sha256)
            if path.exists():
                archive.write(path, f"dateien/{document.id}-{document.original_filename}")
        archive.writestr("LIESMICH.txt", _readme(municipality))
    return buffer.getvalue()


def _row(obj: SQLModel) -> dict[str, Any]:
    return obj.model_dump()


def _dump(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=1, default=_plain)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return None
    return str(value)


def _readme(municipality: Municipality) -> str:
    return (
        f"Export aller Daten von {municipality.name} (AGS {municipality.ags}) aus INGE.\n"
        "tabellen/: je Tabelle die Zeilen der Kommune als JSON (ohne Passwort- und "
        "Token-Hashes).\ndateien/: die hochgeladenen und importierten Dokumente.\n"
    )


def _documents(session: Session, municipality: Municipality) -> list[Document]:
    query = select(Document).where(Document.municipality_id == municipality.id)
    return list(session.exec(query).all())


async def delete_municipality(
    session: Session,
    municipality: Municipality,
    settings: Settings,
    *,
    actor_id: int | None,
    redis: ArqRedis | None,
) -> dict[str, int]:
    """Delete the municipality, every row that belongs to it, its files (unless another
    municipality holds the same file), its queued jobs, and users who belonged only to it."""
    assert municipality.id is not None
    documents = _documents(session, municipality)
    runs = session.exec(select(CheckRun.id).where(CheckRun.municipality_id == municipality.id))
    run_ids = [r for r in runs.all() if r is not None]
    asked = session.exec(select(Question.id).where(Question.municipality_id == municipality.id))
    question_ids = [q for q in asked.all() if q is not None]
    users = _only_here(session, municipality.id)
    jobs = await _drop_jobs(redis, settings, documents, run_ids)
    if question_ids:
        session.execute(delete(InboundMail).where(col(InboundMail.question_id).in_(question_ids)))
        session.execute(
            delete(SlackDelivery).where(col(SlackDelivery.question_id).in_(question_ids))
        )
    session.execute(delete(Municipality).where(col(Municipality.id) == municipality.id))
    for user in users:
        session.delete(user)
    session.flush()
    files = _remove_files(session, settings, documents)
    counts = {
        "documents": len(documents),
        "files": files,
        "jobs": jobs,
        "users": len(users),
        "checks": len(run_ids),
        "questions": len(question_ids),
    }
    record(
        session,
        actor_id=actor_id,
        action="municipality.delete",
        object_type="municipality",
        object_id=municipality.id,
        details={"ags": municipality.ags, **counts},
    )
    return counts


def _only_here(session: Session, municipality_id: int) -> list[User]:
    """Municipal users whose only membership is this municipality."""
    members = session.exec(
        select(Membership.user_id).where(Membership.municipality_id == municipality_id)
    ).all()
    found = []
    for user_id in members:
        others = session.exec(
            select(Membership.id).where(
                Membership.user_id == user_id, Membership.municipality_id != municipality_id
            )
        ).first()
        user = session.get(User, user_id)
        if user is not None and others is None and user.staff_role is None:
            found.append(user)
    return found


async def _drop_jobs(
    redis: ArqRedis | None, settings: Settings, documents: list[Document], run_ids: list[int]
) -> int:
    """Remove queued jobs that name the municipality's documents or checks."""
    if redis is None:
        return 0
    ids = [f"process_document:{d.id}" for d in documents]
    ids += [f"extract_goal_set:{d.id}" for d in documents]
    ids += [f"run_check:{r}" for r in run_ids]
    removed = 0
    for job_id in ids:
        removed += int(await redis.zrem(settings.queue_name, job_id))
        await redis.delete(f"arq:job:{job_id}")
    return removed


def _remove_files(session: Session, settings: Settings, documents: list[Document]) -> int:
    store = BlobStore(settings.blob_dir)
    removed = 0
    for sha in {d.sha256 for d in documents}:
        still_used = session.exec(select(Document.id).where(Document.sha256 == sha)).first()
        path = store.path_for(sha)
        if still_used is None and path.exists():
            path.unlink()
            removed += 1
    return removed
