"""All tables, re-exported so that ``SQLModel.metadata`` knows every one of them."""

from service.models.audit import AuditEvent
from service.models.auth import ApiToken, LoginAttempt, WebSession
from service.models.base import TZDateTime, utcnow
from service.models.check import CheckItem, CheckRun, CheckRunStatus
from service.models.document import Document, DocumentKind, DocumentPage, DocumentStatus
from service.models.goalset import GOAL_KINDS, GoalItem, GoalSet, GoalSetStatus, ItemKind
from service.models.inbound import InboundMail, InboundStatus
from service.models.knowledge import FaqEntry, KnowledgePassage, KnowledgeSource, TextModule
from service.models.measure import MeasureState, MeasureStatus
from service.models.membership import Membership
from service.models.municipality import Municipality, MunicipalityKind
from service.models.oparl import OParlPaper, OParlSource
from service.models.outbox import OutboxMessage, OutboxStatus
from service.models.question import (
    OPEN_STATUS_VALUES,
    OPEN_STATUSES,
    PUBLIC_EVENTS,
    Channel,
    EventKind,
    Question,
    QuestionEvent,
    QuestionStatus,
)
from service.models.setting import StoredSetting
from service.models.slack import DeliveryStatus, SlackDelivery, SlackInstallation
from service.models.user import Role, User

__all__ = [
    "GOAL_KINDS",
    "OPEN_STATUSES",
    "OPEN_STATUS_VALUES",
    "PUBLIC_EVENTS",
    "ApiToken",
    "AuditEvent",
    "Channel",
    "CheckItem",
    "CheckRun",
    "CheckRunStatus",
    "DeliveryStatus",
    "Document",
    "DocumentKind",
    "DocumentPage",
    "DocumentStatus",
    "EventKind",
    "FaqEntry",
    "GoalItem",
    "GoalSet",
    "GoalSetStatus",
    "InboundMail",
    "InboundStatus",
    "ItemKind",
    "KnowledgePassage",
    "KnowledgeSource",
    "LoginAttempt",
    "MeasureState",
    "MeasureStatus",
    "Membership",
    "Municipality",
    "MunicipalityKind",
    "OParlPaper",
    "OParlSource",
    "OutboxMessage",
    "OutboxStatus",
    "Question",
    "QuestionEvent",
    "QuestionStatus",
    "Role",
    "SlackDelivery",
    "SlackInstallation",
    "StoredSetting",
    "TZDateTime",
    "TextModule",
    "User",
    "WebSession",
    "utcnow",
]
