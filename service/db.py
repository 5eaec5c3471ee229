"""Database engine and sessions. Sessions are committed at the boundary, never in services."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

T = TypeVar("T")

# Ids are `integer` columns: 32 bits in PostgreSQL. An id from a URL or a request body beyond
# that names no row, and comparing with it fails in the database (or, with SQLite, in the driver).
MAX_ID = 2**31 - 1


def is_storable_id(row_id: int) -> bool:
    """Whether ``row_id`` could be the id of a row at all (ids start at 1)."""
    return 0 < row_id <= MAX_ID


def is_storable_text(text: str) -> bool:
    """PostgreSQL text holds any character but NUL, and fails a query that compares with one."""
    return "\x00" not in text


def get_by_id(session: Session, model: type[T], row_id: int) -> T | None:
    """``session.get`` for an id from outside: one no database can hold is simply absent."""
    return session.get(model, row_id) if is_storable_id(row_id) else None


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session committed when the block ends normally and rolled back on error."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def short_session(database_url: str) -> Iterator[Session]:
    """One committed session on a short-lived engine that is always disposed (CLI commands)."""
    engine = make_engine(database_url)
    try:
        with session_scope(engine) as session:
            yield session
    finally:
        engine.dispose()
