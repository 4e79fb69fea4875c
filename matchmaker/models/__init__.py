"""All models, importable from one place: `from matchmaker.models import Event`."""

from matchmaker.models.audit import AuditLog
from matchmaker.models.dayops import Feedback, ImportBatch, InterpreterSlot, NoShow
from matchmaker.models.event import Event, Participation, Program
from matchmaker.models.meeting import Meeting, MeetingRequest, MeetingSeat, PairRule
from matchmaker.models.office import Office
from matchmaker.models.organization import Organization
from matchmaker.models.outbox import OutboxMessage
from matchmaker.models.recommendation import Recommendation
from matchmaker.models.schedule import ScheduleRun
from matchmaker.models.user import User

__all__ = [
    "AuditLog",
    "Event",
    "Feedback",
    "ImportBatch",
    "InterpreterSlot",
    "Meeting",
    "MeetingRequest",
    "MeetingSeat",
    "NoShow",
    "Office",
    "Organization",
    "PairRule",
    "OutboxMessage",
    "Participation",
    "Program",
    "Recommendation",
    "ScheduleRun",
    "User",
]
