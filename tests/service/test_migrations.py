"""The Alembic migrations build exactly the schema the models describe (no drift)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import service.models  # noqa: F401 - registers every table on SQLModel.metadata


def test_migrated_schema_matches_the_models(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def test_duplicate_goal_set_versions_are_renumbered_before_the_unique_index(tmp_path):
    """Migration 0011 on data where the race had happened: the later duplicates move past the
    municipality's highest version, oldest first; other municipalities keep theirs."""
    from sqlalchemy import text

    from service.db import make_engine
    from service.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'alt.sqlite3'}"
    upgrade(url, "0010")
    engine = make_engine(url)
    with engine.begin() as db:
        for ags in ("14000001", "14000002"):
            db.execute(
                text(
                    "INSERT INTO municipalities (ags, name, kind, report_recipients, created_at) "
                    "VALUES (:ags, 'Stadt', 'stadt', '[]', '2026-01-01')"
                ),
                {"ags": ags},
            )
        for municipality, version in ((1, 1), (1, 2), (1, 2), (1, 2), (2, 2)):
            db.execute(
                text(
                    "INSERT INTO goal_sets (municipality_id, version, title, status, source_text,"
                    " page_starts, extractor_version, created_at, updated_at) VALUES"
                    " (:m, :v, 'INSEK', 'entwurf', '', '[]', '', '2026-01-01', '2026-01-01')"
                ),
                {"m": municipality, "v": version},
            )
    upgrade(url)
    with engine.connect() as db:
        rows = db.execute(text("SELECT municipality_id, version FROM goal_sets ORDER BY id")).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [(1, 1), (1, 2), (1, 3), (1, 4), (2, 2)]
