"""JSON shapes of check runs in the API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from service.models import CheckItem, CheckRun
from service.resolutions.service import effective_status


class CheckItemOut(BaseModel):
    check_id: str
    requirement: str
    status: str = Field(description="vom Nutzer bestätigt oder geändert, sonst von INGE")
    computed_status: str
    confirmed: bool
    override_reason: str | None
    explanation: str
    evidence: list[dict[str, Any]]

    @classmethod
    def build(cls, item: CheckItem) -> CheckItemOut:
        return cls(
            check_id=item.check_id,
            requirement=item.requirement,
            status=effective_status(item),
            computed_status=item.status,
            confirmed=item.confirmed_status is not None,
            override_reason=item.override_reason,
            explanation=item.explanation,
            evidence=item.evidence,
        )


class CheckRunOut(BaseModel):
    id: int
    document_id: int
    status: str = Field(description="ausstehend | geprüft | abgeschlossen | fehlgeschlagen")
    error: str | None
    title: str
    reference: str | None
    insek_relevant: bool | None
    relevance_score: float | None
    handlungsfelder: list[dict[str, Any]]
    goals: list[dict[str, Any]]
    precedents: list[dict[str, Any]] = Field(
        description="ähnliche frühere, beantwortete Vorlagen, die die Rangfolge mitbestimmt haben"
    )
    answer: str | None = Field(description="Antwort der Kommune beim Abschluss")
    goal_set_version: int | None
    checklist_version: str
    software_version: str
    created_at: datetime
    finalized_at: datetime | None
    items: list[CheckItemOut]

    @classmethod
    def build(cls, run: CheckRun, items: list[CheckItem]) -> CheckRunOut:
        assert run.id is not None
        return cls(
            id=run.id,
            document_id=run.document_id,
            status=run.status,
            error=run.error_message,
            title=run.title,
            reference=run.reference,
            insek_relevant=run.insek_relevant,
            relevance_score=run.relevance_score,
            handlungsfelder=run.fields,
            goals=run.goals,
            precedents=run.precedents,
            answer=run.answer,
            goal_set_version=run.goal_set_version,
            checklist_version=run.checklist_version,
            software_version=run.software_version,
            created_at=run.created_at,
            finalized_at=run.finalized_at,
            items=[CheckItemOut.build(i) for i in items],
        )


class CheckStartIn(BaseModel):
    document_id: int = Field(ge=1)


class FinalizeIn(BaseModel):
    answer: str | None = Field(
        default=None,
        max_length=300,
        description=(
            "Antwort der Kommune auf „INSEK-relevant? Handlungsfeld?“: ein Handlungsfeld des "
            "INSEK, „ja“ (relevant, kein einzelnes Feld) oder „nein“; leer = keine Angabe. "
            "Beantwortete Prüfungen dienen späteren Prüfungen als Präzedenzfälle."
        ),
    )


class ConfirmIn(BaseModel):
    status: str | None = Field(default=None, description="neues Ergebnis; leer = bestätigen")
    reason: str = Field(default="", max_length=5000)
