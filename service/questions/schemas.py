"""JSON shapes of questions, their history, FAQ entries and text modules in the API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field, RootModel

from service.models import FaqEntry, Question, QuestionEvent, TextModule


class QuestionIn(BaseModel):
    text: str = Field(default="", max_length=20_000, description="die Frage; bei Prüfbefund leer")
    subject: str = Field(default="", max_length=300)
    municipality: str | None = Field(default=None, description="AGS; nötig bei mehreren Kommunen")
    document_id: int | None = Field(default=None, ge=1, description="betroffene Vorlage")
    check_run_id: int | None = Field(default=None, ge=1, description="Prüfung (Prüfbefund)")
    check_item: str | None = Field(default=None, max_length=20, description="z. B. INSEK-04")
    meeting_date: date | None = Field(default=None, description="Sitzung, in der die Vorlage steht")
    attachments: list[int] = Field(default_factory=list, description="Dokument-IDs")
    handlungsfeld: str | None = Field(default=None, max_length=300)
    tags: list[str] = Field(default_factory=list)


class QuestionPatch(BaseModel):
    status: str | None = None
    assignee_id: int | None = Field(default=None, description="0 = niemand")
    tags: list[str] | None = None
    handlungsfeld: str | None = None


class TextIn(BaseModel):
    text: str = Field(max_length=20_000)


class AnswerIn(BaseModel):
    text: str = Field(max_length=20_000)
    rueckfrage: bool = Field(default=False, description="Rückfrage an die Kommune statt Antwort")


class FaqIn(BaseModel):
    question: str = Field(max_length=5_000)
    answer: str = Field(max_length=20_000)


class TextModuleIn(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=20_000)


class EventOut(BaseModel):
    kind: str
    actor_id: int | None
    text: str
    details: dict[str, Any]
    created_at: datetime

    @classmethod
    def build(cls, event: QuestionEvent) -> EventOut:
        return cls(
            kind=event.kind,
            actor_id=event.actor_id,
            text=event.text,
            details=event.details,
            created_at=event.created_at,
        )


class QuestionOut(BaseModel):
    id: int
    municipality: str = Field(description="AGS")
    municipality_name: str
    channel: str
    subject: str
    text: str
    status: str = Field(
        description="neu | in Bearbeitung | Rückfrage an Kommune | beantwortet | geschlossen"
    )
    assignee_id: int | None
    tags: list[str]
    handlungsfeld: str | None
    document_id: int | None
    check_run_id: int | None
    check_item: str | None
    attachments: list[int]
    meeting_date: date | None
    due_date: date
    due_reason: str
    overdue: bool
    answered: bool = Field(description="INGE hat passende Stellen gefunden")
    passages: list[dict[str, Any]] = Field(description="Vorschläge von INGE, beste zuerst")
    created_at: datetime
    answered_at: datetime | None
    history: list[EventOut] | None = Field(default=None, description="nur in der Einzelansicht")

    @classmethod
    def build(
        cls,
        question: Question,
        *,
        ags: str,
        name: str,
        overdue: bool,
        history: list[QuestionEvent] | None = None,
    ) -> QuestionOut:
        assert question.id is not None
        return cls(
            id=question.id,
            municipality=ags,
            municipality_name=name,
            channel=question.channel,
            subject=question.subject,
            text=question.text,
            status=question.status,
            assignee_id=question.assignee_id,
            tags=question.tags,
            handlungsfeld=question.handlungsfeld,
            document_id=question.document_id,
            check_run_id=question.check_run_id,
            check_item=question.check_item,
            attachments=question.attachments,
            meeting_date=question.meeting_date,
            due_date=question.due_date,
            due_reason=question.due_reason,
            overdue=overdue,
            answered=question.inge_answered,
            passages=question.suggestions,
            created_at=question.created_at,
            answered_at=question.answered_at,
            history=[EventOut.build(e) for e in history] if history is not None else None,
        )


class QuestionListOut(BaseModel):
    items: list[QuestionOut]
    total: int


class FaqOut(BaseModel):
    id: int
    question: str
    answer: str
    source_question_id: int | None

    @classmethod
    def build(cls, entry: FaqEntry) -> FaqOut:
        assert entry.id is not None
        return cls(
            id=entry.id,
            question=entry.question,
            answer=entry.answer,
            source_question_id=entry.source_question_id,
        )


class TextModuleOut(BaseModel):
    id: int
    title: str
    body: str

    @classmethod
    def build(cls, module: TextModule) -> TextModuleOut:
        assert module.id is not None
        return cls(id=module.id, title=module.title, body=module.body)


class FaqListOut(RootModel[list[FaqOut]]):
    pass


class TextModuleListOut(RootModel[list[TextModuleOut]]):
    pass
