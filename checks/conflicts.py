"""Zielkonflikte: what the Vorlage does that the INSEK's goals pull against. Always `prüfen`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from checks.base import (
    ERFUELLT,
    NICHT_ANWENDBAR,
    PRUEFEN,
    Check,
    CheckContext,
    CheckResult,
    Evidence,
    cue,
    sentences_with,
)


@dataclass(frozen=True)
class ConflictRule:
    name: str
    action: re.Pattern[str]  # what the Vorlage does
    goal: re.Pattern[str]  # what an INSEK goal wants instead


RULES = (
    ConflictRule(
        "Bauen auf der grünen Wiese gegen Innenentwicklung",
        cue(
            r"neubaugebiet",
            r"außenbereich",
            r"grünen? wiese",
            r"baugebiet",
            r"erschließung "
            r"(?:eines|des) (?:neuen )?(?:wohn|gewerbe)gebiet",
            r"ackerland",
            r"ackerfläche",
            r"landwirtschaftlich genutzte",
            r"am (?:nördlichen |südlichen |östlichen |westlichen )?ortsrand",
        ),
        cue(
            r"innenentwicklung",
            r"innen vor außen",
            r"flächensparen",
            r"flächenverbrauch",
            r"brachfl",
            r"nachverdichtung",
        ),
    ),
    ConflictRule(
        "Versiegelung gegen Klimaanpassung",
        cue(r"versiegel", r"asphalt", r"befestigte? fläche", r"baumfällung", r"fällung"),
        cue(
            r"klimaanpassung",
            r"entsiegel",
            r"hitze",
            r"stadtgrün",
            r"grünfl",
            r"starkregen",
            r"schwammstadt",
        ),
    ),
    ConflictRule(
        "Parkraum für Autos gegen Mobilitätsziele",
        cue(
            r"parkplatz",
            r"parkplätze",
            r"stellplätze",
            r"parkhaus",
            r"parkdeck",
            r"parkraum",
            r"gehwegpark",
        ),
        cue(
            r"radverkehr",
            r"öpnv",
            r"nahverkehr",
            r"umweltverbund",
            r"fußverkehr",
            r"verkehrswende",
            r"autoarm",
        ),
    ),
)


class GoalConflicts(Check):
    id = "INSEK-04"
    requirement = "Zielkonflikte mit dem INSEK sind erkannt und abgewogen."

    def evaluate(self, context: CheckContext) -> CheckResult:
        if not context.insek_entries:
            return self.result(NICHT_ANWENDBAR, "Kein beschlossenes INSEK hinterlegt.")
        evidence: list[Evidence] = []
        found: list[str] = []
        for rule in RULES:
            hits = sentences_with(context.text, rule.action, limit=1)
            goals = [e for e in context.insek_entries if rule.goal.search(e.text)]
            if hits and goals:
                found.append(rule.name)
                evidence.append(Evidence("vorlage", hits[0], note=rule.name))
                goal = goals[0]
                if goal.source is not None:
                    evidence.append(Evidence("insek", goal.source, note=goal.text[:200]))
        if not found:
            return self.result(
                ERFUELLT,
                "Kein typischer Zielkonflikt erkannt (Flächenverbrauch, Versiegelung, Parkraum).",
            )
        return self.result(
            PRUEFEN,
            "Möglicher Zielkonflikt: " + "; ".join(found) + ". Bitte "
            "abwägen und in der Begründung darstellen.",
            evidence,
        )
