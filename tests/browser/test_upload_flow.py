"""In a real headless Chromium: log in, upload a document, watch its status change."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, create_municipality, create_user

pytestmark = pytest.mark.browser


def test_login_upload_and_status_change(live_server, live_worker, browser, session, tmp_path, axe):
    m = create_municipality(session, name="Browserstadt")
    user = create_user(session, municipality=m)
    upload = tmp_path / "vorlage.txt"
    upload.write_text("Beschlussvorlage: Sanierung der Grundschule am Markt.\n", encoding="utf-8")

    page = browser.new_page(bypass_csp=True)
    page.goto(f"{live_server}/dokumente")
    assert page.url.startswith(f"{live_server}/login")
    # Keyboard only: the labels lead to the fields.
    page.get_by_label("E-Mail-Adresse").fill(user.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/dokumente")

    axe(page, "Dokumente")
    page.get_by_role("link", name="Hochladen", exact=True).click()
    axe(page, "Hochladen")
    page.get_by_label("Art des Dokuments").select_option("beschlussvorlage")
    page.get_by_label("Datei (PDF, Word DOCX oder Text)").set_input_files(str(upload))
    page.get_by_role("button", name="Hochladen", exact=True).click()
    page.wait_for_url(f"{live_server}/dokumente/*")
    status = page.locator("#doc-status")
    assert status.inner_text() == "hochgeladen"

    live_worker.start()
    # The page polls the API and reloads when done; our CSP forbids eval, so use a locator.
    expect(page.locator("#doc-status")).to_have_text("verarbeitet", timeout=30_000)
    assert "Sanierung der Grundschule" in page.locator("main").inner_text()
    axe(page, "Dokument")
    page.goto(f"{live_server}/")
    axe(page, "Übersicht")
    page.close()
