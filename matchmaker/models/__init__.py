"""All models, importable from one place: `from matchmaker.models import Event`. One module per concept."""

from matchmaker.models.api_token import ApiToken
from matchmaker.models.audit import AuditLog
from matchmaker.models.consent import Consent
from matchmaker.models.erasure_request import ErasureRequest
from matchmaker.models.event import Event
from matchmaker.models.feedback import Feedback
from matchmaker.models.import_batch import ImportBatch
from matchmaker.models.interpreter_slot import InterpreterSlot
from matchmaker.models.meeting import Meeting, MeetingRequest, MeetingSeat
from matchmaker.models.message import Message
from matchmaker.models.no_show import NoShow
from matchmaker.models.office import Office
from matchmaker.models.organization import Organization
from matchmaker.models.outbox import OutboxMessage
from matchmaker.models.pair_rule import PairRule
from matchmaker.models.participation import Participation
from matchmaker.models.program import Program
from matchmaker.models.recommendation import Recommendation
from matchmaker.models.schedule import ScheduleRun
from matchmaker.models.shortlist import ShortlistEntry
from matchmaker.models.time_proposal import TimeProposal
from matchmaker.models.user import User
from matchmaker.models.webhook import WebhookDelivery, WebhookEndpoint

__all__ = [
    "ApiToken",
    "AuditLog",
    "ErasureRequest",
    "Consent",
    "Event",
    "Feedback",
    "ImportBatch",
    "InterpreterSlot",
    "Meeting",
    "MeetingRequest",
    "MeetingSeat",
    "Message",
    "NoShow",
    "Office",
    "Organization",
    "PairRule",
    "OutboxMessage",
    "Participation",
    "Program",
    "Recommendation",
    "ScheduleRun",
    "ShortlistEntry",
    "TimeProposal",
    "User",
    "WebhookDelivery",
    "WebhookEndpoint",
]
