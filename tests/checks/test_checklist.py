"""Every check of the resolution checklist: at least one passing and one failing case."""

from __future__ import annotations

from datetime import date

import pytest

from checks.base import (
    ERFUELLT,
    NICHT_ANWENDBAR,
    NICHT_ERFUELLT,
    PRUEFEN,
    STATUSES,
    TEILWEISE,
    CheckContext,
    FieldScore,
    GoalMatch,
    InsekEntry,
    Span,
)
from checks.conflicts import GoalConflicts
from checks.formal import (
    CrossCuttingTopics,
    Financing,
    MonitoringReference,
    Participation,
    SpatialReference,
)
from checks.insek import CrossFieldEffect, GoalReference, InsekCurrent, MeasureReference
from checks.registry import CHECKLIST

TODAY = date(2026, 11, 24)
GOAL = InsekEntry(
    1,
    "strategisches_ziel",
    "Den Radverkehr stärken",
    "Mobilität",
    Span(100, 122, "Den Radverkehr stärken", page=12),
)
MEASURE = InsekEntry(
    2,
    "massnahme",
    "Radweg entlang der Mulde bauen",
    "Mobilität",
    Span(200, 230, "Radweg entlang der Mulde bauen", page=13),
)
CLIMATE = InsekEntry(
    3,
    "strategisches_ziel",
    "Hitzeinseln durch Entsiegelung verringern",
    "Klima",
    Span(300, 340, "Hitzeinseln durch Entsiegelung verringern", 14),
)


def ctx(text="", **overrides):
    values = {
        "text": text,
        "today": TODAY,
        "insek_adopted_on": date(2022, 5, 1),
        "insek_entries": (GOAL, MEASURE, CLIMATE),
    }
    values.update(overrides)
    return CheckContext(**values)


def match(entry, score):
    return GoalMatch(entry, score, Span(0, 20, "Der Radweg wird gebaut."), entry.source)


def test_checklist_ids_are_unique_stable_and_versioned():
    ids = [c.id for c in CHECKLIST.checks]
    assert ids == [f"INSEK-{n:02d}" for n in range(1, 11)]
    assert CHECKLIST.version
    assert all(c.requirement.endswith(".") for c in CHECKLIST.checks)
    results = CHECKLIST.run(ctx("Text."))
    assert all(r.status in STATUSES for r in results)


@pytest.mark.parametrize(
    ("adopted", "status"),
    [
        (date(2022, 1, 1), ERFUELLT),
        (date(2018, 1, 1), TEILWEISE),
        (date(2014, 1, 1), NICHT_ERFUELLT),
        (None, NICHT_ERFUELLT),
    ],
)
def test_insek_current(adopted, status):
    assert InsekCurrent().evaluate(ctx(insek_adopted_on=adopted)).status == status


def test_goal_reference():
    served = GoalReference().evaluate(ctx(relevant=True, matches=(match(GOAL, 0.8),)))
    assert served.status == ERFUELLT
    assert {e.side for e in served.evidence} == {"vorlage", "insek"}
    assert (
        GoalReference().evaluate(ctx(relevant=True, matches=(match(GOAL, 0.1),))).status == PRUEFEN
    )
    assert GoalReference().evaluate(ctx(relevant=False)).status == NICHT_ANWENDBAR


def test_measure_reference():
    done = MeasureReference().evaluate(ctx(relevant=True, matches=(match(MEASURE, 0.9),)))
    assert done.status == ERFUELLT and "Radweg entlang der Mulde" in done.explanation
    assert (
        MeasureReference().evaluate(ctx(relevant=True, matches=(match(GOAL, 0.9),))).status
        == TEILWEISE
    )
    assert MeasureReference().evaluate(ctx(relevant=False)).status == NICHT_ANWENDBAR


def test_goal_conflicts():
    parking = GoalConflicts().evaluate(ctx("Am Markt entstehen 80 neue Stellplätze für Pkw."))
    assert parking.status == PRUEFEN and "Parkraum" in parking.explanation
    assert [e.side for e in parking.evidence] == ["vorlage", "insek"]
    sealing = GoalConflicts().evaluate(ctx("Der Schulhof wird vollständig versiegelt."))
    assert sealing.status == PRUEFEN and "Versiegelung" in sealing.explanation
    assert GoalConflicts().evaluate(ctx("Die Bibliothek erhält neue Regale.")).status == ERFUELLT
    assert GoalConflicts().evaluate(ctx("Stellplätze.", insek_entries=())).status == NICHT_ANWENDBAR


def test_cross_field_effect():
    two = (FieldScore("Mobilität", 0.8), FieldScore("Klima", 0.6))
    assert CrossFieldEffect().evaluate(ctx(relevant=True, fields=two)).status == ERFUELLT
    one = (FieldScore("Mobilität", 0.8), FieldScore("Klima", 0.1))
    assert CrossFieldEffect().evaluate(ctx(relevant=True, fields=one)).status == TEILWEISE
    assert CrossFieldEffect().evaluate(ctx(relevant=False)).status == NICHT_ANWENDBAR


def test_cross_cutting_topics():
    text = "Das Gebäude wird barrierefrei. Die Photovoltaik senkt den CO2-Ausstoß."
    assert CrossCuttingTopics().evaluate(ctx(text)).status == ERFUELLT
    assert CrossCuttingTopics().evaluate(ctx("Der Bau wird barrierefrei.")).status == TEILWEISE
    assert CrossCuttingTopics().evaluate(ctx("Neue Regale.")).status == NICHT_ERFUELLT


def test_financing():
    full = "Gesamtkosten 1,2 Mio. Euro, davon 800.000 € Städtebauförderung."
    assert Financing().evaluate(ctx(full)).status == ERFUELLT
    assert Financing().evaluate(ctx("Die Kosten betragen 50.000 Euro.")).status == TEILWEISE
    assert Financing().evaluate(ctx("Wir bauen eine Brücke.")).status == NICHT_ERFUELLT
    assert Financing().evaluate(ctx("Keine finanziellen Auswirkungen.")).status == NICHT_ANWENDBAR
    section = {"finanzen": Span(0, 30, "Haushaltsstelle 1.5100, 20 T€")}
    assert Financing().evaluate(ctx("x", sections=section)).status == ERFUELLT


def test_spatial_reference():
    assert (
        SpatialReference().evaluate(ctx("Sanierungsgebiet Altstadt, Ortsteil Nord.")).status
        == ERFUELLT
    )
    section = {"raum": Span(0, 14, "gesamtstädtisch")}
    assert SpatialReference().evaluate(ctx("x", sections=section)).status == ERFUELLT
    assert SpatialReference().evaluate(ctx("Wir beschließen Regeln.")).status == NICHT_ERFUELLT


def test_participation():
    assert (
        Participation().evaluate(ctx("Eine Bürgerbeteiligung fand im Mai statt.")).status
        == ERFUELLT
    )
    assert Participation().evaluate(ctx("Nichts dazu.", relevant=True)).status == NICHT_ERFUELLT
    assert Participation().evaluate(ctx("Nichts dazu.", relevant=False)).status == NICHT_ANWENDBAR


def test_monitoring():
    assert (
        MonitoringReference().evaluate(ctx("Die Zielerreichung wird jährlich berichtet.")).status
        == ERFUELLT
    )
    assert MonitoringReference().evaluate(ctx("Nichts.", relevant=True)).status == NICHT_ERFUELLT
    assert MonitoringReference().evaluate(ctx("Nichts.", relevant=False)).status == NICHT_ANWENDBAR
