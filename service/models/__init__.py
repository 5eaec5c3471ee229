"""All tables, re-exported so that ``SQLModel.metadata`` knows every one of them."""

from service.models.audit import AuditEvent
from service.models.auth import ApiToken, LoginAttempt, WebSession
from service.models.base import TZDateTime, utcnow
from service.models.check import CheckItem, CheckRun, CheckRunStatus
from service.models.document import Document, DocumentKind, DocumentPage, DocumentStatus
from service.models.goalset import GOAL_KINDS, GoalItem, GoalSet, GoalSetStatus, ItemKind
from service.models.membership import Membership
from service.models.municipality import Municipality, MunicipalityKind
from service.models.user import Role, User

__all__ = [
    "GOAL_KINDS",
    "ApiToken",
    "AuditEvent",
    "CheckItem",
    "CheckRun",
    "CheckRunStatus",
    "Document",
    "DocumentKind",
    "DocumentPage",
    "DocumentStatus",
    "GoalItem",
    "GoalSet",
    "GoalSetStatus",
    "ItemKind",
    "LoginAttempt",
    "Membership",
    "Municipality",
    "MunicipalityKind",
    "Role",
    "TZDateTime",
    "User",
    "WebSession",
    "utcnow",
]
