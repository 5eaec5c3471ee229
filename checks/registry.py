"""The versioned checklist: which checks run, in which order. Bump the version on any change."""

from __future__ import annotations

from dataclasses import dataclass

from checks.base import Check, CheckContext, CheckResult
from checks.conflicts import GoalConflicts
from checks.formal import (
    CrossCuttingTopics,
    Financing,
    MonitoringReference,
    Participation,
    SpatialReference,
)
from checks.insek import CrossFieldEffect, GoalReference, InsekCurrent, MeasureReference


@dataclass(frozen=True)
class Checklist:
    version: str
    checks: tuple[Check, ...]

    def run(self, context: CheckContext) -> list[CheckResult]:
        """Every check's result, in checklist order."""
        return [check.evaluate(context) for check in self.checks]


CHECKLIST = Checklist(
    version="2026.1",
    checks=(
        InsekCurrent(),
        GoalReference(),
        MeasureReference(),
        GoalConflicts(),
        CrossFieldEffect(),
        CrossCuttingTopics(),
        Financing(),
        SpatialReference(),
        Participation(),
        MonitoringReference(),
    ),
)
