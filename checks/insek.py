"""Checks against the adopted goal set: currency, goals, measures, synergies, conflicts."""

from __future__ import annotations

from checks.base import (
    ERFUELLT,
    GOAL_KINDS,
    MEASURE_KINDS,
    NICHT_ANWENDBAR,
    NICHT_ERFUELLT,
    PRUEFEN,
    TEILWEISE,
    Check,
    CheckContext,
    CheckResult,
    Evidence,
    GoalMatch,
)

GOAL_THRESHOLD = 0.35
MEASURE_THRESHOLD = 0.5
FIELD_THRESHOLD = 0.5
WARN_YEARS, MAX_YEARS = 7, 10


def _evidence(match: GoalMatch) -> list[Evidence]:
    return [
        Evidence("vorlage", match.vorlage),
        Evidence("insek", match.insek, note=match.entry.text[:200]),
    ]


class InsekCurrent(Check):
    id = "INSEK-01"
    requirement = "Ein beschlossenes INSEK liegt vor und ist nicht älter als zehn Jahre."

    def evaluate(self, context: CheckContext) -> CheckResult:
        adopted = context.insek_adopted_on
        if adopted is None:
            return self.result(
                NICHT_ERFUELLT,
                "Für die Kommune ist kein beschlossenes INSEK "
                "hinterlegt; die Vorlage kann nicht gegen Ziele geprüft werden.",
            )
        years = (context.today - adopted).days / 365.25
        if years > MAX_YEARS:
            return self.result(
                NICHT_ERFUELLT,
                f"Das INSEK ist {years:.1f} Jahre alt und genügt "
                "nicht mehr als Grundlage der Städtebauförderung.",
            )
        if years >= WARN_YEARS:
            return self.result(
                TEILWEISE,
                f"Das INSEK ist {years:.1f} Jahre alt; die "
                "Fortschreibung sollte vorbereitet werden.",
            )
        return self.result(ERFUELLT, f"Das INSEK wurde am {adopted:%d.%m.%Y} beschlossen.")


class GoalReference(Check):
    id = "INSEK-02"
    requirement = "Die Vorlage dient erkennbar Zielen des INSEK."

    def evaluate(self, context: CheckContext) -> CheckResult:
        goals = [
            m for m in context.matches if m.entry.kind in GOAL_KINDS and m.score >= GOAL_THRESHOLD
        ]
        if not context.relevant:
            return self.result(
                NICHT_ANWENDBAR,
                "Die Vorlage berührt das INSEK nicht "
                f"erkennbar (Relevanz {context.relevance:.2f}).",
            )
        if not goals:
            return self.result(
                PRUEFEN,
                "Die Vorlage ist INSEK-relevant, aber kein Ziel passt "
                "eindeutig. Bitte Zielbezug selbst angeben.",
            )
        names = "; ".join(f"„{m.entry.text[:80]}“" for m in goals[:3])
        evidence = [e for m in goals[:3] for e in _evidence(m)]
        return self.result(
            ERFUELLT, f"Die Vorlage dient {len(goals)} Ziel(en), vor allem: {names}.", evidence
        )


class MeasureReference(Check):
    id = "INSEK-03"
    requirement = "Die Vorlage setzt eine Maßnahme oder ein Schlüsselprojekt des INSEK um."

    def evaluate(self, context: CheckContext) -> CheckResult:
        if not context.relevant:
            return self.result(NICHT_ANWENDBAR, "Die Vorlage berührt das INSEK nicht erkennbar.")
        measures = [
            m
            for m in context.matches
            if m.entry.kind in MEASURE_KINDS and m.score >= MEASURE_THRESHOLD
        ]
        if not measures:
            return self.result(
                TEILWEISE,
                "Keine Maßnahme des INSEK wird erkennbar umgesetzt; "
                "die Vorlage dient den Zielen allgemein.",
            )
        best = measures[0]
        kind = "Schlüsselprojekt" if best.entry.kind == "schluesselprojekt" else "Maßnahme"
        return self.result(
            ERFUELLT, f"Die Vorlage setzt die {kind} „{best.entry.text[:120]}“ um.", _evidence(best)
        )


class CrossFieldEffect(Check):
    id = "INSEK-05"
    requirement = "Die Wirkung über mehrere Handlungsfelder (Synergien) ist erkennbar."

    def evaluate(self, context: CheckContext) -> CheckResult:
        if not context.relevant:
            return self.result(NICHT_ANWENDBAR, "Die Vorlage berührt das INSEK nicht erkennbar.")
        strong = [f for f in context.fields if f.score >= FIELD_THRESHOLD]
        if len(strong) >= 2:
            names = ", ".join(f.name for f in strong[:4])
            return self.result(
                ERFUELLT, f"Die Vorlage wirkt in mehreren Handlungsfeldern: {names}."
            )
        name = context.fields[0].name if context.fields else "einem Handlungsfeld"
        return self.result(
            TEILWEISE,
            f"Die Vorlage wirkt vor allem in {name}; Synergien mit "
            "anderen Handlungsfeldern sind nicht erkennbar.",
        )
