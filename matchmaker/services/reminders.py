"""Reminders the day before and an hour before each published meeting, in each attendee's language and zone.

`flask outbox remind` (from cron, every few minutes) queues what is due; a key per meeting, attendee, kind
and start time makes the database refuse a second copy, so running it often never sends twice, and a
meeting that moves is reminded again at its new time.
"""

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from matchmaker.database import utcnow
from matchmaker.enums import MeetingStatus
from matchmaker.extensions import db
from matchmaker.models import Event, Meeting, OutboxMessage
from matchmaker.services.mail import queue_email

WHEN = {"day": timedelta(hours=24), "hour": timedelta(hours=1)}


def queue_due_reminders(now: datetime | None = None) -> int:
    now = now or utcnow()
    horizon = now + max(WHEN.values())
    meetings = db.session.scalars(
        select(Meeting).join(Event, Meeting.event_id == Event.id).where(
            Event.published.is_(True), Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.invited_sequence.is_not(None), Meeting.start_dt > now, Meeting.start_dt <= horizon,
        )
    ).all()
    existing = set(db.session.scalars(
        select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.like("remind-%"))
    ))
    count = 0
    for meeting in meetings:
        for kind, ahead in WHEN.items():
            if meeting.start_dt - ahead > now:
                continue  # not due yet
            if kind == "day" and meeting.start_dt - now <= WHEN["hour"]:
                continue  # the hour-before reminder covers it
            for org in (meeting.request.from_org, meeting.request.to_org):
                for user in org.users:
                    key = f"remind-{kind}-{meeting.id}-{user.id}-{meeting.start_dt:%Y%m%dT%H%M}"
                    if not user.active or key in existing:
                        continue
                    other = meeting.request.other_org(org.id).display_name
                    subject = (_l("Tomorrow: meeting with %(name)s", name=other) if kind == "day"
                               else _l("In one hour: meeting with %(name)s", name=other))
                    message = queue_email(user, f"reminder_{kind}", subject, "reminder", meeting=meeting,
                                          org=org, soon=kind == "hour")
                    message.dedupe_key = key
                    existing.add(key)
                    count += 1
    return count
