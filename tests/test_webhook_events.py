"""The services the pages and the API share write the webhook deliveries of their changes: an application approved,
a request accepted or declined, a meeting scheduled, moved and cancelled on a published day, a schedule published,
feedback given (each one line in its service, so every way to the change reports it)."""

from datetime import time, timedelta

from sqlalchemy import select

from matchmaker.enums import WEBHOOK_EVENTS, EventMode, ParticipationStatus, Role, SchedulingMode
from matchmaker.extensions import db
from matchmaker.models import WebhookDelivery
from matchmaker.services import events, feedback, meetings, scheduling, webhooks


def _types() -> list[str]:
    return list(db.session.scalars(select(WebhookDelivery.event_type).order_by(WebhookDelivery.id)))


def test_each_service_verb_writes_its_event(make_office, make_program, make_event, make_user, make_participation,
                                            make_request, monkeypatch):
    office = make_office()
    event = make_event(make_program(office), mode=EventMode.IN_PERSON, venue="Hall", tables=2, published=True,
                       scheduling=SchedulingMode.PICK, day_start=time(9), day_end=time(11))
    staff = make_user(Role.STAFF, office_id=office.id)
    company, investor = make_user(Role.COMPANY), make_user(Role.PARTNER)
    applied = make_participation(event, company.organization, status=ParticipationStatus.APPLIED)
    make_participation(event, investor.organization)
    webhooks.create(staff, office.id, "http://127.0.0.1:9/hooks", list(WEBHOOK_EVENTS))
    db.session.commit()

    events.decide(staff, applied, approve=True)
    item = make_request(event, company.organization, investor.organization)
    meetings.accept(investor, item, slot=event.slots()[0])
    meeting = item.meeting
    scheduling.move_meeting(staff, meeting, event.slots()[1], meeting.table_label)
    event.published = False
    scheduling.publish(staff, event)
    later = meeting.end_dt + timedelta(hours=1)
    monkeypatch.setattr("matchmaker.services.feedback.utcnow", lambda: later)  # the meeting has taken place
    feedback.save_feedback(company, meeting, rating=4)
    meetings.cancel(company, item)
    assert _types() == ["participation.approved", "meeting.scheduled", "request.accepted", "meeting.moved",
                        "schedule.published", "feedback.submitted", "meeting.cancelled"]
    declined = make_request(event, make_user(Role.COMPANY).organization, investor.organization)
    meetings.decline(investor, declined)
    assert _types()[-1] == "request.declined"


def test_meetings_of_an_unpublished_day_are_news_only_when_it_is_published(make_office, make_program, make_event,
                                                                        make_user, make_participation, make_request):
    office = make_office()
    event = make_event(make_program(office), scheduling=SchedulingMode.PICK, published=False)
    staff = make_user(Role.STAFF, office_id=office.id)
    company, investor = make_user(Role.COMPANY), make_user(Role.PARTNER)
    for user in (company, investor):
        make_participation(event, user.organization)
    webhooks.create(staff, office.id, "http://127.0.0.1:9/hooks", ["meeting.scheduled", "meeting.moved"])
    item = make_request(event, company.organization, investor.organization)
    meetings.accept(investor, item, slot=event.slots()[0])
    assert _types() == []
