"""Municipalities, users and a small imported knowledge base for the question tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlmodel import Session

from service.knowledge.service import import_source
from service.models import Municipality, Role, User
from tests.factories import create_municipality, create_token, create_user
from tests.fixtures.kb_sample import GUIDANCE


@dataclass
class Town:
    municipality: Municipality
    clerk: User
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture()
def town(session: Session) -> Town:
    m = create_municipality(session, name="Musterstadt", landkreis="Landkreis Mittelsachsen")
    clerk = create_user(session, role=Role.CLERK, municipality=m, display_name="Clara Clerk")
    return Town(m, clerk, create_token(session, clerk))


@pytest.fixture()
def other_town(session: Session) -> Town:
    m = create_municipality(session, name="Anderdorf", landkreis="Landkreis Bautzen")
    clerk = create_user(session, role=Role.CLERK, municipality=m)
    return Town(m, clerk, create_token(session, clerk))


@pytest.fixture()
def advisor(session: Session) -> Town:
    user = create_user(session, role=Role.ADVISOR, display_name="Anna Beraterin")
    return Town(None, user, create_token(session, user))  # type: ignore[arg-type]


@pytest.fixture()
def knowledge(session: Session, tmp_path) -> None:
    path = tmp_path / "arbeitshilfe-test.txt"
    path.write_text(GUIDANCE, encoding="utf-8")
    import_source(session, path, title="Arbeitshilfe (Test)")
    session.commit()
