"""In Chromium: a clerk confirms the pre-filled checklist, overrides one point, finalises."""

from __future__ import annotations

import time

import httpx2
import pytest
from playwright.sync_api import expect
from sqlmodel import select

from service.models import CheckRun, GoalSet, Role
from tests.factories import PASSWORD, create_municipality, create_token, create_user
from tests.fixtures import vorlage_sample as v
from tests.fixtures.insek_sample import as_text

pytestmark = pytest.mark.browser


def wait_for(session, query, *, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        session.expire_all()
        row = session.exec(query).first()
        if row is not None:
            return row
        time.sleep(0.3)
    raise AssertionError("Zeitüberschreitung")


def test_confirm_override_and_finalize(live_server, live_worker, browser, session, axe):
    m = create_municipality(session, name="Klickstadt")
    user = create_user(session, role=Role.MUNICIPAL_ADMIN, municipality=m)
    api = {"Authorization": f"Bearer {create_token(session, user)}"}
    live_worker.start()
    r = httpx2.post(
        f"{live_server}/api/v1/documents",
        headers=api,
        data={"kind": "insek"},
        files={"file": ("insek.txt", as_text().encode())},
    )
    doc = r.json()["id"]
    wait_for(session, select(GoalSet))
    r = httpx2.post(
        f"{live_server}/api/v1/insek/{doc}/goalset/adopt",
        headers=api,
        json={"council_decision_date": "2024-03-01", "council_decision_ref": "B-7"},
    )
    assert r.status_code == 200
    httpx2.post(
        f"{live_server}/api/v1/documents",
        headers=api,
        data={"kind": "beschlussvorlage"},
        files={"file": ("radweg.txt", v.RADWEG.encode())},
    )
    run = wait_for(session, select(CheckRun).where(CheckRun.status == "geprüft"))

    page = browser.new_page(bypass_csp=True)
    page.goto(f"{live_server}/login")
    axe(page, "Anmeldung")
    page.get_by_label("E-Mail-Adresse").fill(user.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/")
    page.goto(f"{live_server}/pruefungen/{run.id}")
    expect(page.locator("main")).to_contain_text("INSEK-relevant: ja")
    axe(page, "Prüfung")
    for n in range(1, 11):
        section = page.locator(f"#punkt-INSEK-{n:02d}")
        if n == 10:
            section.get_by_label("Ergebnis").select_option("erfüllt")
            # without a reason the change is refused; back at the form, the choice is kept
            section.get_by_role("button", name="Bestätigen").click()
            expect(page.locator("main")).to_contain_text("muss einen Grund angeben")
            axe(page, "Abgelehnte Eingabe")
            page.get_by_role("link", name="Zurück zum Formular").click()
            section = page.locator(f"#punkt-INSEK-{n:02d}")
            expect(section.get_by_label("Ergebnis")).to_have_value("erfüllt")
            section.get_by_label("Begründung (bei Änderung Pflicht)").fill("Radzählung jährlich")
        section.get_by_role("button", name="Bestätigen").click()
        expect(page.locator(f"#punkt-INSEK-{n:02d}")).to_contain_text("bestätigt")
    page.get_by_role("button", name="Prüfung abschließen und Bericht erstellen").click()
    expect(page.locator("main")).to_contain_text("abgeschlossen")
    page.get_by_role("link", name="Bericht ansehen").click()
    expect(page.locator("body")).to_contain_text("Radzählung jährlich")
    expect(page.locator("body")).to_contain_text(f"Bestätigt von {user.email}")
    axe(page, "Prüfbericht")
    page.close()
