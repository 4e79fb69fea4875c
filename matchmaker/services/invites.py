"""Calendar invites: one e-mail per meeting per attendee, REQUEST for new and changed meetings, CANCEL for
cancelled ones, with the meeting's stable UID and its SEQUENCE; and each user's personal feed."""

import secrets
from datetime import timedelta
from email.utils import parseaddr

from flask import current_app
from flask_babel import force_locale, get_locale, gettext
from flask_babel.speaklater import LazyString
from sqlalchemy import or_, select

from matchmaker.calendar import Labels, MeetingInfo, Person, build_cancel, build_feed, build_request
from matchmaker.calendar.links import CalendarLinks, calendar_links
from matchmaker.database import utcnow
from matchmaker.domain.clocks import meets_in_person
from matchmaker.domain.zones import organization_zone
from matchmaker.enums import EventMode, MeetingStatus, OutboxStatus
from matchmaker.extensions import db
from matchmaker.models import Event, Meeting, MeetingRequest, Organization, OutboxMessage, User
from matchmaker.services import changes
from matchmaker.services.changes import CANCELLED, Change
from matchmaker.services.mail import external_url, queue_email


def labels() -> Labels:
    """The captions of invites, in the current (forced) locale."""
    return Labels(
        summary=gettext("Meeting with %(counterparts)s · %(event)s"),
        cancelled_summary=gettext("Cancelled: %(summary)s"),
        when=gettext("When"),
        where=gettext("Where"),
        join=gettext("Join online"),
        details=gettext("Details"),
        cancelled=gettext("This meeting is cancelled."),
        your_time=gettext("Your time: %(when)s"),
        their_time=gettext("Their time: %(when)s"),
        event_time=gettext("Event time: %(when)s"),
    )


def _organizer(event: Event) -> Person:
    office = event.program.office
    _, sender = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    return Person(office.name, office.email or sender)


def _attendees(meeting: Meeting) -> list[User]:
    return [u for org in (meeting.request.from_org, meeting.request.to_org) for u in org.users if u.active]


def meeting_info(meeting: Meeting, viewer_org: Organization | None = None, cancelled: bool = False,
                 headline: str = "") -> MeetingInfo:
    """The meeting as calendars see it; `viewer_org` names the counterpart from one side's point of view (and whose
    time is "their time" online); `headline` opens the text (what changed)."""
    event = meeting.event
    request = meeting.request
    counterparts = (
        (request.other_org(viewer_org.id).display_name,) if viewer_org is not None
        else (request.from_org.display_name, request.to_org.display_name)
    )
    online = event.mode == EventMode.ONLINE or (meeting.online_url and not meeting.table_label)
    where = ", ".join(x for x in (meeting.table_label and gettext("Table %(t)s", t=meeting.table_label),
                                  event.venue) if x) if not online else ""
    return MeetingInfo(
        uid=meeting.uid,
        sequence=meeting.sequence,
        start=meeting.start_dt,
        end=meeting.end_dt,
        event_title=event.title,
        event_timezone=event.timezone,
        counterparts=counterparts,
        organizer=_organizer(event),
        attendees=tuple(Person(u.name, u.email) for u in _attendees(meeting)),
        location=where,
        conference_url=(meeting.online_url or event.online_url) if online else None,
        url=external_url("meetings.meeting_detail", meeting_id=meeting.id),
        status="CANCELLED" if cancelled else "CONFIRMED",
        in_person=meets_in_person(event.mode, meeting.table_label),
        other_timezone=organization_zone(request.other_org(viewer_org.id)) if viewer_org is not None else None,
        headline=headline,
    )


def add_to_calendar(meeting: Meeting, user: User) -> CalendarLinks | None:
    """The meeting page's 'Add to Google Calendar' and 'Add to Outlook' links, worded as the user's invite is (the
    page's language, the user's zone); None once the meeting is cancelled."""
    if meeting.status != MeetingStatus.SCHEDULED:
        return None
    return calendar_links(meeting_info(meeting, user.organization), labels=labels(), locale=str(get_locale()),
                          zone=user.timezone or meeting.event.timezone)


def queue_invites(meeting: Meeting, cancel: bool = False, recipients: set | None = None,
                  change: Change | None = None) -> int:
    """Queue the REQUEST (or CANCEL) for every attendee, in each one's language and zone, saying what changed
    (`change`; by default what differs from the invite they last received, and a cancellation by the office);
    their addresses are added to `recipients` when given."""
    now = utcnow()
    count = 0
    if change is None:
        change = Change(CANCELLED) if cancel else changes.since_seen(meeting)
    for org in (meeting.request.from_org, meeting.request.to_org):
        for user in org.users:
            if not user.active:
                continue
            zone = user.timezone or meeting.event.timezone

            def calendar(locale, org=org, zone=zone):
                with force_locale(locale):
                    info = meeting_info(meeting, org, cancelled=cancel,
                                        headline=changes.headline(meeting, org, change, zone))
                    build = build_cancel if cancel else build_request
                    return build(info, locale, zone, now, labels=labels())

            subject = LazyString(changes.subject, meeting, org, change, zone)  # worded in the recipient's locale
            _supersede(meeting, user)
            message = queue_email(user, "invite_cancel" if cancel else "invite", subject, "invite",
                                  calendar=calendar, calendar_method="CANCEL" if cancel else "REQUEST",
                                  meeting=meeting, org=org, cancelled=cancel, change=change,
                                  headline=LazyString(changes.headline, meeting, org, change, zone))
            message.dedupe_key = f"invite-{meeting.id}-{user.id}-{meeting.sequence}"
            # Held a moment, so that a burst of changes reaches the attendee as one update (see _supersede).
            message.next_attempt_dt = now + timedelta(seconds=current_app.config["INVITE_DIGEST_SECONDS"])
            count += 1
            if recipients is not None:
                recipients.add(user.email)
    meeting.invited_sequence = meeting.sequence
    changes.remember_seen(meeting, cancelled=cancel)
    return count


def _supersede(meeting: Meeting, user: User) -> None:
    """An invite for this meeting and attendee that has not gone out yet is replaced by the newer one:
    calendars only need the latest state, and the same UID with a higher SEQUENCE says it all."""
    stale = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.attempts == 0,
            OutboxMessage.dedupe_key.like(f"invite-{meeting.id}-{user.id}-%"),
        )
    ).all()
    for message in stale:
        db.session.delete(message)
    db.session.flush()


def send_pending_invites(event: Event, recipients: set | None = None) -> int:
    """What participants' calendars have not seen yet: new or changed meetings, and cancellations of
    meetings they were invited to. Returns the messages queued."""
    count = 0
    for meeting in db.session.scalars(select(Meeting).where(Meeting.event_id == event.id)):
        fresh = meeting.invited_sequence is None or meeting.sequence > meeting.invited_sequence
        if meeting.status == MeetingStatus.SCHEDULED and fresh:
            count += queue_invites(meeting, recipients=recipients)
        elif meeting.status == MeetingStatus.CANCELLED and meeting.invited_sequence is not None and fresh:
            count += queue_invites(meeting, cancel=True, recipients=recipients)
    return count


def feed_token(user: User, renew: bool = False) -> str:
    if renew or not user.calendar_token:
        user.calendar_token = secrets.token_urlsafe(32)
    return user.calendar_token


def feed_for(user: User) -> str:
    """All the user's published meetings (cancelled ones marked so), in the user's language and zone."""
    org_id = user.organization_id
    meetings = db.session.scalars(
        select(Meeting).join(MeetingRequest, Meeting.request_id == MeetingRequest.id)
        .join(Event, Meeting.event_id == Event.id)
        .where(Event.published.is_(True), Meeting.invited_sequence.is_not(None),
               or_(MeetingRequest.from_org_id == org_id, MeetingRequest.to_org_id == org_id))
    ).all()
    locale = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    org = user.organization
    with force_locale(locale):
        infos = [meeting_info(m, org, cancelled=m.status == MeetingStatus.CANCELLED) for m in meetings]
        return build_feed(infos, gettext("Matchmaker meetings"), labels=labels(), locale=locale,
                          zone=user.timezone or "UTC", now=utcnow())
