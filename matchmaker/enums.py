"""Every enumeration the models and forms share. Values are what the database stores."""

from enum import StrEnum


class Role(StrEnum):
    COMPANY = "company"
    PARTNER = "partner"
    STAFF = "staff"
    ADMIN = "admin"


class OrgKind(StrEnum):
    COMPANY = "company"
    INVESTOR = "investor"
    BUYER = "buyer"


class EventMode(StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    HYBRID = "hybrid"


class ParticipationStatus(StrEnum):
    APPLIED = "applied"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class RequestStatus(StrEnum):
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class OutboxStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"  # gave up after MAIL_MAX_ATTEMPTS; staff can resend


STAGES = ("pre-seed", "seed", "series-a", "series-b", "series-c+", "growth", "other")


class SchedulingMode(StrEnum):
    PICK = "pick"  # the accepting side picks a free slot
    BATCH = "batch"  # staff schedule all accepted meetings at once


class PairRuleKind(StrEnum):
    FORCED = "forced"  # staff want this pair to meet
    FORBIDDEN = "forbidden"  # staff do not allow this pair


class RunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
