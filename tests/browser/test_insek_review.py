"""In Chromium: the review tree marks an item's passage in the source text."""

from __future__ import annotations

import time

import httpx2
import pytest
from playwright.sync_api import expect
from sqlmodel import select

from service.models import GoalSet, Role
from tests.factories import PASSWORD, create_municipality, create_token, create_user
from tests.fixtures.insek_sample import as_text

pytestmark = pytest.mark.browser


def test_click_item_marks_its_source(live_server, live_worker, browser, settings, session, axe):
    m = create_municipality(session, name="Reviewstadt")
    user = create_user(session, role=Role.MUNICIPAL_ADMIN, municipality=m)
    token = create_token(session, user)
    response = httpx2.post(
        f"{live_server}/api/v1/documents",
        headers={"Authorization": f"Bearer {token}"},
        data={"kind": "insek"},
        files={"file": ("insek.txt", as_text().encode())},
    )
    assert response.status_code == 201
    live_worker.start()
    goal_set = None
    deadline = time.monotonic() + 30
    while goal_set is None and time.monotonic() < deadline:
        time.sleep(0.3)
        session.expire_all()
        goal_set = session.exec(select(GoalSet)).first()
    assert goal_set is not None, "Zielsystem wurde nicht extrahiert"

    page = browser.new_page(bypass_csp=True)
    page.goto(f"{live_server}/login")
    page.get_by_label("E-Mail-Adresse").fill(user.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/")
    page.goto(f"{live_server}/insek/{goal_set.id}")
    head = page.locator("li.item > .item-head", has_text="Radweg entlang der Mulde")
    button = head.locator(".source-button")
    button.focus()
    page.keyboard.press("Enter")  # keyboard reaches the source too
    expect(page.locator("#source-status")).to_contain_text("Seite 3")
    expect(page.locator("#source-status")).to_contain_text("Radweg entlang der Mulde")
    start, end = button.get_attribute("data-start"), button.get_attribute("data-end")
    expect(page.locator("#source-text")).to_have_attribute("data-marked", f"{start}-{end}")
    axe(page, "INSEK-Prüfansicht")
    page.goto(f"{live_server}/insek/{goal_set.id}/mindeststandard")
    axe(page, "Mindeststandard")
    page.close()
