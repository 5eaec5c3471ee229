"""Each Mindeststandard point: one case where it is met and one where it is not."""

from __future__ import annotations

from datetime import date

import pytest

from checks.mindeststandard import InsekInput, InsekItem, report, unmeasurable_goals


def run(items=(), text="", adopted_on=None, today=date(2026, 11, 24)):
    result = report(
        InsekInput(
            items=list(items), text=text, page_starts=[0], adopted_on=adopted_on, today=today
        )
    )
    return {f.id: f for f in result.findings}


@pytest.mark.parametrize(
    ("finding", "name"),
    [
        ("MS-T1", "Wohnen und Wohnungsmarkt"),
        ("MS-T2", "Städtebau und Freiraum"),
        ("MS-T3", "Mobilität"),
        ("MS-T4", "Wirtschaft und Einzelhandel"),
        ("MS-T5", "Natur und Landschaft"),
        ("MS-T6", "Bildung, Kita und Gesundheit"),
        ("MS-T7", "Integration und Inklusion"),
        ("MS-Q1", "Klimaschutz"),
        ("MS-Q2", "Demografischer Wandel"),
        ("MS-Q3", "Digitalisierung"),
    ],
)
def test_topic_met_as_handlungsfeld_and_missing_otherwise(finding, name):
    met = run([InsekItem("handlungsfeld", name)])
    assert met[finding].status == "erfüllt"
    missing = run([InsekItem("handlungsfeld", "Sonstiges")], text="Nichts dazu.")
    assert missing[finding].status == "fehlt"


def test_topic_only_mentioned_in_text_is_partial():
    findings = run(
        [InsekItem("handlungsfeld", "Sonstiges")],
        text="Einleitung. Der Radverkehr wird kurz erwähnt. Ende.",
    )
    assert findings["MS-T3"].status == "teilweise"
    assert "Radverkehr" in findings["MS-T3"].passages[0].text


def test_swot_leitbild_beteiligung_monitoring():
    full = run(
        [InsekItem("leitbild", "Eine grüne Stadt.")],
        text="Die SWOT-Analyse zeigt Stärken. Die Bürgerbeteiligung fand statt. "
        "Beschlusskontrolle jährlich. Evaluierung nach fünf Jahren. "
        "Ein Datenset mit Indikatoren wird gepflegt.",
    )
    assert [full[i].status for i in ("MS-S1", "MS-L1", "MS-B1", "MS-U1")] == ["erfüllt"] * 4
    empty = run(text="Nichts.")
    assert [empty[i].status for i in ("MS-S1", "MS-L1", "MS-B1", "MS-U1")] == ["fehlt"] * 4
    partly = run(text="Eine Evaluierung ist geplant.")
    assert partly["MS-U1"].status == "teilweise"
    assert "Beschlusskontrolle" in partly["MS-U1"].explanation


def test_measures_need_time_horizons():
    timed = [InsekItem("massnahme", f"M{i}", {"zeithorizont": "kurzfristig"}) for i in range(5)]
    assert run(timed)["MS-M1"].status == "erfüllt"
    untimed = [InsekItem("massnahme", f"M{i}") for i in range(5)]
    assert run(untimed)["MS-M1"].status == "fehlt"
    assert run(timed[:1] + untimed)["MS-M1"].status == "teilweise"
    assert run()["MS-M1"].status == "fehlt"


def test_key_projects_need_period_partners_costs():
    complete = InsekItem(
        "schluesselprojekt",
        "Neue Mitte",
        {"zeitraum": "2026-2030", "partner": "WBG", "kosten": "2 Mio. €"},
    )
    assert run([complete])["MS-M2"].status == "erfüllt"
    assert run([complete, InsekItem("schluesselprojekt", "Park")])["MS-M2"].status == "teilweise"
    assert run()["MS-M2"].status == "fehlt"


@pytest.mark.parametrize(
    ("adopted", "status"),
    [
        (date(2022, 1, 1), "erfüllt"),
        (date(2019, 1, 1), "teilweise"),
        (date(2015, 1, 1), "fehlt"),
        (None, "teilweise"),
    ],
)
def test_age(adopted, status):
    assert run(adopted_on=adopted)["MS-A1"].status == status


def test_unmeasurable_operative_goals():
    goals = [
        InsekItem("operatives_ziel", "Den Radverkehr stärken"),
        InsekItem("operatives_ziel", "Bis 2030 zehn Kilometer Radweg bauen"),
        InsekItem("strategisches_ziel", "Die Altstadt beleben"),
    ]
    assert [g.text for g in unmeasurable_goals(goals)] == ["Den Radverkehr stärken"]
