"""Version numbers of a municipality's goal sets are unique, also when two versions are made
at the same moment (two INSEK extractions, or one and a new draft by hand)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from service.insek.service import VersionTaken, new_draft_from
from service.models import GoalSet, Role
from service.tenancy import load_principal
from tests.factories import create_municipality, create_user


@pytest.fixture()
def source(session):
    town = create_municipality(session)
    user = create_user(session, role=Role.MUNICIPAL_ADMIN, municipality=town)
    goal_set = GoalSet(municipality_id=town.id, version=1, title="INSEK 2030")
    session.add(goal_set)
    session.commit()
    return goal_set, user


def test_the_database_refuses_the_same_number_twice(session, source):
    goal_set, _ = source
    session.add(GoalSet(municipality_id=goal_set.municipality_id, version=1, title="Doppelt"))
    with pytest.raises(IntegrityError):
        session.commit()


def test_the_second_of_two_simultaneous_versions_is_refused_then_numbered_on(engine, source):
    goal_set, user = source
    first, second = Session(engine), Session(engine)
    outcome: list[BaseException | int] = []

    def make_second() -> None:
        try:
            made = new_draft_from(second, goal_set, principal=load_principal(second, user))
            second.commit()
            outcome.append(made.version)
        except BaseException as exc:  # handed to the test thread
            second.rollback()
            outcome.append(exc)

    try:
        made = new_draft_from(first, goal_set, principal=load_principal(first, user))
        assert made.version == 2  # inserted, not yet committed
        racer = threading.Thread(target=make_second)
        inserting = threading.Event()

        def watch(_conn, _cursor, statement, *_args) -> None:
            if threading.current_thread() is racer and statement.lstrip().startswith(
                "INSERT INTO goal_sets"
            ):
                inserting.set()  # the second has read the maximum and now inserts

        event.listen(engine, "before_cursor_execute", watch)
        try:
            racer.start()
            assert inserting.wait(timeout=60)
        finally:
            event.remove(engine, "before_cursor_execute", watch)
        first.commit()  # whenever this lands, the second's number is taken
        racer.join(timeout=60)
        assert len(outcome) == 1 and isinstance(outcome[0], VersionTaken), outcome
        again = new_draft_from(second, goal_set, principal=load_principal(second, user))
        second.commit()
        assert again.version == 3
    finally:
        first.close()
        second.close()
    with Session(engine) as check:
        versions = check.exec(select(GoalSet.version).order_by(GoalSet.version)).all()
    assert versions == [1, 2, 3]
