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
    FAILED = "failed"  # could not be built, or gave up after MAIL_MAX_ATTEMPTS; staff can resend or discard
    DISCARDED = "discarded"  # staff decided it will not be sent


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


class Attendance(StrEnum):
    """A participant on the day."""

    EXPECTED = "expected"
    CHECKED_IN = "checked_in"
    ABSENT = "absent"  # marked absent: their remaining meetings are freed


class NoShowReason(StrEnum):
    ILLNESS = "illness"
    TRAVEL = "travel"  # flight, visa, traffic
    SCHEDULE = "schedule"  # a clash with other business
    NO_NOTICE = "no_notice"  # did not come and gave no word
    OTHER = "other"


class Outcome(StrEnum):
    """What came of a meeting, as one side reports it; ordered from least to most committed."""

    NONE = "none"
    NDA = "nda"
    POC = "poc"  # pilot / proof of concept
    MOU = "mou"
    PURCHASE_ORDER = "purchase_order"
    INVESTMENT = "investment"


class ImportStatus(StrEnum):
    PREVIEW = "preview"  # parsed and checked, nothing written yet
    IMPORTED = "imported"
    DISCARDED = "discarded"


class CalendarSystem(StrEnum):
    GREGORIAN = "gregorian"
    BUDDHIST = "buddhist"  # Thai solar calendar: Gregorian year + 543


class ProposalKind(StrEnum):
    """A change one side of a meeting asks for: another free time (days where participants pick slots), or staff's
    help (staff-scheduled days)."""

    NEW_TIME = "new_time"
    ASK_STAFF = "ask_staff"


class ProposalStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    DONE = "done"  # staff acted on an ask


class ConsentKind(StrEnum):
    """What a person agreed to, each asked separately with its own text and version (`domain.consent_texts`)."""

    COLLECTION = "collection"  # collection and use of their personal data
    PROVISION = "provision"  # their profile given to the day's investors and buyers (or companies)
    TRANSFER_ABROAD = "transfer_abroad"  # to the partners and offices in other countries
    NEWS = "news"  # news by e-mail (optional)


class ErasureStatus(StrEnum):
    """A person's request to erase their data: confirmed by e-mail, then handled by staff."""

    REQUESTED = "requested"
    ERASED = "erased"
    REJECTED = "rejected"


class TokenScope(StrEnum):
    """What a personal API token may do: read only, or read and write."""

    READ = "read"
    WRITE = "write"


class WebhookStatus(StrEnum):
    """Where one webhook delivery stands: waiting for (another) attempt, received (a 2xx), or given up."""

    QUEUED = "queued"
    DELIVERED = "delivered"
    FAILED = "failed"


# What an office's webhook endpoint may subscribe to (services/webhooks.py emits them).
WEBHOOK_EVENTS = (
    "participation.approved", "request.accepted", "request.declined", "meeting.scheduled", "meeting.moved",
    "meeting.cancelled", "schedule.published", "feedback.submitted",
)
