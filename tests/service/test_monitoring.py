"""Beschlusskontrolle and the state-wide overview on checked resolutions of our sample INSEK."""

from __future__ import annotations

import csv
import io
from datetime import date

from sqlmodel import select

from service.models import CheckRun, GoalItem, GoalSet, Question, Role
from service.monitoring.charts import bar_chart
from tests.factories import create_municipality, create_token, create_user
from tests.fixtures import vorlage_sample as v
from tests.helpers import adopt_sample_insek, login, page_csrf, run_worker, upload


def _checked_town(client, settings, session):
    town = create_municipality(session, name="Kontrollstadt", landkreis="Landkreis Meißen")
    admin = create_user(session, role=Role.MUNICIPAL_ADMIN, municipality=town)
    token = create_token(session, admin)
    adopt_sample_insek(client, settings, token, decided="2017-03-01")
    upload(client, token, "radweg.txt", v.RADWEG, "beschlussvorlage")
    upload(client, token, "parkhaus.txt", v.PARKHAUS, "beschlussvorlage")
    run_worker(settings)
    return town, admin


def test_control_page_chart_table_neglected_conflicts_measures(client, settings, session):
    town, admin = _checked_town(client, settings, session)
    login(client, admin.email)
    page = client.get(f"/kommunen/{town.id}/beschlusskontrolle")
    assert page.status_code == 200
    html = page.text
    assert "2 geprüfte Vorlage(n)" in html
    assert 'role="img"' in html and '<title id="hf-t">Beschlüsse je Handlungsfeld' in html
    assert "Mobilität und Klima" in html  # the Radweg Vorlage's field, in chart and table
    assert "älter als 7 Jahre" in html  # adopted 2017
    assert "Beschlüsse mit Zielkonflikt (1)" in html  # the parking garage
    neglected = html.split("Ziele ohne Beschluss im Zeitraum")[1].split("<h2")[0]
    assert "Hitzeinseln" in neglected  # no Vorlage adds green or unseals
    assert '<title id="ziele-t">Beschlüsse je Ziel</title>' in html
    per_goal = html.split("Beschlüsse je Ziel</h2>")[1].split("</table>")[0]
    assert "<td>Den Radverkehr stärken</td><td>1</td>" in per_goal
    assert "Radverkehr" not in neglected  # the Radweg serves it
    goal_set = session.exec(select(GoalSet)).one()
    measure = session.exec(
        select(GoalItem).where(GoalItem.goal_set_id == goal_set.id, GoalItem.kind == "massnahme")
    ).first()
    csrf = page_csrf(client, f"/kommunen/{town.id}/beschlusskontrolle")
    r = client.post(
        f"/kommunen/{town.id}/massnahmen/{measure.id}",
        data={"csrf_token": csrf, "status": "umgesetzt"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    html = client.get(f"/kommunen/{town.id}/beschlusskontrolle").text
    assert 'value="umgesetzt" selected' in html
    bad = client.post(
        f"/kommunen/{town.id}/massnahmen/{measure.id}", data={"csrf_token": csrf, "status": "x"}
    )
    assert bad.status_code == 422


def test_control_csv(client, settings, session):
    town, admin = _checked_town(client, settings, session)
    login(client, admin.email)
    r = client.get(f"/kommunen/{town.id}/beschlusskontrolle.csv")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(r.text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:4] == ["Datum", "Vorlage", "Nummer", "Handlungsfeld"]
    assert len(rows) == 3 and {row[4] for row in rows[1:]} == {"ja", "nein"}
    empty = client.get(f"/kommunen/{town.id}/beschlusskontrolle.csv?von=2030-01-01")
    assert len(empty.text.strip().splitlines()) == 1
    bad = client.get(f"/kommunen/{town.id}/beschlusskontrolle?von=gestern")
    assert bad.status_code == 422


def test_state_overview_for_advisors_with_landkreis_filter(client, settings, session):
    town, admin = _checked_town(client, settings, session)
    for text, due in (("Offen?", date(2099, 1, 1)), ("Überfällig?", date(2020, 1, 1))):
        session.add(
            Question(
                municipality_id=town.id,
                subject=text,
                text=text,
                channel="web",
                due_date=due,
                asker_id=admin.id,
            )
        )
    session.commit()
    create_municipality(session, name="Ohne-INSEK-Dorf", landkreis="Landkreis Bautzen")
    advisor = create_user(session, role=Role.ADVISOR)
    login(client, advisor.email)
    html = client.get("/land").text
    assert "Kontrollstadt" in html and "Ohne-INSEK-Dorf" in html and "kein INSEK" in html
    only = client.get("/land?landkreis=Landkreis%20Mei%C3%9Fen").text
    assert "Kontrollstadt" in only and "Ohne-INSEK-Dorf" not in only
    rows = list(
        csv.reader(io.StringIO(client.get("/land.csv").text.lstrip("\ufeff")), delimiter=";")
    )
    mine = next(row for row in rows if row[1] == "Kontrollstadt")
    assert mine[3] == "2017-03-01" and mine[5] == "2"
    assert (mine[6], mine[7], mine[8]) == ("2", "1", "Mobilität und Klima")  # the Parkhaus
    assert mine[9].endswith(f"{date.today():%Y-%m}:2")  # both checks in this month
    assert len(session.exec(select(CheckRun)).all()) == 2


def test_clerks_do_not_see_the_state_overview(client, session):
    town = create_municipality(session)
    clerk = create_user(session, role=Role.CLERK, municipality=town)
    login(client, clerk.email)
    assert client.get("/land").status_code == 403


def test_bar_chart_escapes_and_describes():
    svg = bar_chart("x", "Titel <b>", [("Wohnen & Altstadt", 3), ("Mobilität", 1)])
    assert "&lt;b&gt;" in svg and "Wohnen &amp; Altstadt: 3" in svg and svg.count("<rect") == 2
    assert date.today()


def test_monthly_reminder_for_old_insek_and_overdue_measures(client, settings, session):
    from service.models import OutboxMessage
    from service.monitoring.tasks import due_year, send_monthly

    assert due_year({"zeitraum": "2021-2023"}, date(2017, 3, 1)) == 2023
    assert due_year({"zeithorizont": "kurzfristig"}, date(2017, 3, 1)) == 2019
    assert due_year({}, date(2017, 3, 1)) is None
    town, admin = _checked_town(client, settings, session)
    assert send_monthly(session, settings, date(2026, 11, 24)) == 1
    session.commit()
    mail = session.exec(select(OutboxMessage).where(OutboxMessage.purpose == "reminder")).one()
    assert mail.recipient == admin.email and "Kontrollstadt" in mail.subject
    assert "Jahre alt" in mail.body and "fällig 2019" in mail.body  # kurzfristige Maßnahme
    assert f"/kommunen/{town.id}/beschlusskontrolle" in mail.body
