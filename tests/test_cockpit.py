"""The event cockpit's counts on the demo days, each checked against the database with queries of its own; the
cockpit page shows them as links to their lists; the requests page filters by state."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from builders.clients import sign_in, switch_user
from builders.queries import counted_queries
from werkzeug.security import generate_password_hash

from matchmaker.demo.loader import load_demo
from matchmaker.domain.event_steps import Phase
from matchmaker.enums import (
    Attendance,
    MeetingStatus,
    OrgKind,
    OutboxStatus,
    ParticipationStatus,
    RequestStatus,
    Role,
    RunStatus,
)
from matchmaker.extensions import db
from matchmaker.models import Event, Feedback, Meeting, MeetingRequest, OutboxMessage, ScheduleRun
from matchmaker.services import cockpit
from matchmaker.services.invites import send_pending_invites

NOW = datetime(2027, 1, 11, 3, 30, tzinfo=UTC)  # the demo is loaded at this instant


@pytest.fixture(autouse=True)
def _cheap_hashing(monkeypatch):
    """scrypt takes most of a load's time; any werkzeug method still checks passwords the same way."""
    monkeypatch.setattr(
        "matchmaker.demo.loader.generate_password_hash",
        lambda password: generate_password_hash(password, method="pbkdf2:sha256:1000"),
    )


@pytest.fixture
def days(app):
    """The demo's three days by office; the Jakarta day's invitations queued, two of them failed; two Silicon Valley
    requests just accepted (not scheduled yet) and two of its meetings moved since publication (not yet told)."""
    load_demo(db.session, now=NOW)
    events = db.session.scalars(sa.select(Event)).all()
    found = {key: next(e for e in events if word in e.title)
             for key, word in (("sv", "Silicon Valley"), ("jakarta", "Jakarta"), ("past", "Singapore"))}
    for meeting in db.session.scalars(sa.select(Meeting).where(Meeting.event_id == found["jakarta"].id).limit(3)):
        meeting.sequence += 1  # moved since its invitation
    send_pending_invites(found["jakarta"])
    for meeting in db.session.scalars(sa.select(Meeting).where(Meeting.event_id == found["sv"].id).limit(2)):
        meeting.sequence += 1
    for item in db.session.scalars(sa.select(MeetingRequest).where(
            MeetingRequest.event_id == found["sv"].id, MeetingRequest.status == RequestStatus.REQUESTED).limit(2)):
        item.status = RequestStatus.ACCEPTED
    for message in db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "invite").limit(2)):
        message.status = OutboxStatus.FAILED
    db.session.commit()
    return found


def expected(event: Event, now: datetime) -> dict:
    """The counts read independently: every row of the day loaded and counted here."""
    approved = [p for p in event.participations if p.status == ParticipationStatus.APPROVED]
    requests = db.session.scalars(sa.select(MeetingRequest).where(MeetingRequest.event_id == event.id)).all()
    meetings = db.session.scalars(sa.select(Meeting).where(Meeting.event_id == event.id)).all()
    scheduled = [m for m in meetings if m.status == MeetingStatus.SCHEDULED]
    placed_requests = {m.request_id for m in scheduled}
    unscheduled = [r for r in requests if r.status == RequestStatus.ACCEPTED and r.id not in placed_requests]
    ids = {m.id for m in meetings}
    invites = [m for m in db.session.scalars(sa.select(OutboxMessage))
               if m.dedupe_key and m.dedupe_key.startswith("invite-") and int(m.dedupe_key.split("-")[1]) in ids]
    feedback = [f for f in db.session.scalars(sa.select(Feedback)) if f.meeting_id in ids]

    def unsent(m):
        if m.status == MeetingStatus.SCHEDULED:
            return m.invited_sequence is None or m.sequence > m.invited_sequence
        return m.invited_sequence is not None and m.sequence > m.invited_sequence

    return dict(
        applications=sum(p.status == ParticipationStatus.APPLIED for p in event.participations),
        approved_companies=sum(p.organization.kind == OrgKind.COMPANY for p in approved),
        approved_partners=sum(p.organization.kind != OrgKind.COMPANY for p in approved),
        requests_pending=sum(r.status == RequestStatus.REQUESTED for r in requests),
        requests_accepted=sum(r.status == RequestStatus.ACCEPTED for r in requests),
        requests_declined=sum(r.status == RequestStatus.DECLINED for r in requests),
        unscheduled=len(unscheduled),
        meetings_placed=len(scheduled),
        unpublished=sum(unsent(m) for m in meetings),
        invites_queued=sum(m.status == OutboxStatus.QUEUED for m in invites),
        invites_failed=sum(m.status == OutboxStatus.FAILED for m in invites),
        checked_in=sum(p.attendance == Attendance.CHECKED_IN for p in approved),
        absent=sum(p.attendance == Attendance.ABSENT for p in approved),
        running_now=sum(m.start_dt <= now < m.end_dt for m in scheduled),
        meetings_held=sum(m.end_dt <= now for m in scheduled),
        feedback_received=len(feedback),
        meetings_with_feedback=len({f.meeting_id for f in feedback}),
    )


def during(event: Event) -> datetime:
    """Five minutes into the day's first meeting."""
    first = db.session.scalar(sa.select(sa.func.min(Meeting.start_dt)).where(Meeting.event_id == event.id))
    return first + timedelta(minutes=5)


@pytest.mark.parametrize(("day", "when", "phase"), [
    ("sv", "now", Phase.BEFORE),
    ("jakarta", "now", Phase.BEFORE),
    ("jakarta", "during", Phase.DAY),
    ("past", "now", Phase.AFTER),
])
def test_counts_of_the_demo_days_match_the_database(days, day, when, phase):
    event = days[day]
    now = NOW if when == "now" else during(event)
    counts = cockpit.counts(event, now)
    want = expected(event, now)
    assert {key: getattr(counts, key) for key in want} == want
    assert cockpit.phase(event, now) == phase


def test_the_demo_days_count_something_in_every_state(days):
    """The comparison above is not between zeros: each count is non-zero on at least one demo day."""
    read = [expected(days[key], NOW) for key in ("sv", "jakarta", "past")] + [
        expected(days["jakarta"], during(days["jakarta"]))]
    for key in read[0]:
        assert any(counts[key] for counts in read), key


def test_the_last_run_and_requests_closed_are_read(days):
    event = days["jakarta"]
    counts = cockpit.counts(event, NOW)
    assert counts.run_status is None and counts.run_breaks is None
    finished = NOW - timedelta(minutes=30)
    db.session.add(ScheduleRun(event_id=event.id, status=RunStatus.DONE, time_limit=30, moved=[],
                               created_dt=finished, finished_dt=finished,
                               result={"status": "feasible", "objective": {"scheduled": 17, "breaks": 4}}))
    db.session.flush()
    counts = cockpit.counts(event, NOW)
    assert (counts.run_status, counts.run_dt, counts.run_placed, counts.run_breaks) == ("done", finished, 17, 4)
    # A run queued long ago and never taken by a worker is shown as failed, as the board shows it.
    db.session.add(ScheduleRun(event_id=event.id, status=RunStatus.QUEUED, time_limit=30, moved=[],
                               created_dt=NOW - timedelta(hours=2)))
    db.session.flush()
    assert cockpit.counts(event, NOW).run_status == "failed"
    assert cockpit.counts(event, NOW - timedelta(hours=2)).run_status == "queued"
    event.request_deadline_dt = NOW - timedelta(hours=1)
    assert cockpit.counts(event, NOW).requests_closed
    assert not cockpit.counts(event, NOW - timedelta(hours=2)).requests_closed


def test_the_start_page_reads_all_days_at_once_each_with_its_own_counts(days):
    """The staff start page's days are read with the same queries whether it lists one day or three, and each
    day's counts are its own (not another day's, nor a sum)."""
    for key, placed in (("sv", 9), ("jakarta", 12)):  # a run of each, older and newer ones, so the last is read
        for n, status in enumerate((RunStatus.FAILED, RunStatus.DONE)):
            at = NOW - timedelta(hours=3 - n)
            db.session.add(ScheduleRun(event_id=days[key].id, status=status, time_limit=30, moved=[], created_dt=at,
                                       finished_dt=at, result={"objective": {"scheduled": placed + n, "breaks": n}}))
    db.session.flush()
    offices = [days[key].program.office_id for key in ("sv", "jakarta", "past")]
    assert len(set(offices)) == 3
    with counted_queries() as one_day:
        (line,) = cockpit.office_days(offices[1:2], NOW.date(), NOW)
    assert line.event == days["jakarta"]
    with counted_queries() as three_days:
        lines = cockpit.office_days(offices, NOW.date(), NOW)
    assert len(one_day) == len(three_days)
    assert {line.event for line in lines} == set(days.values())
    for line in lines:
        want = expected(line.event, NOW)
        assert {key: getattr(line.counts, key) for key in want} == want
        alone = cockpit.counts(line.event, NOW)
        assert (line.counts.run_status, line.counts.run_placed) == (alone.run_status, alone.run_placed)
    runs = {line.event: (line.counts.run_status, line.counts.run_placed) for line in lines}
    assert runs == {days["sv"]: ("done", 10), days["jakarta"]: ("done", 13), days["past"]: (None, None)}


def test_cockpit_page_links_each_count_to_its_list(client, days):
    event = days["jakarta"]
    sign_in(client, "staff.jkt@matchmaker.example", "demo-staff-2027")
    at = urlencode({"at": during(event).isoformat()})
    page = client.get(f"/staff/events/{event.id}?{at}").get_data(as_text=True)
    want = expected(event, during(event))
    for number, label, href in (
        (want["applications"], "Applications to review", f"/staff/events/{event.id}?status=applied#participants"),
        (want["requests_accepted"], "Accepted", f"/staff/events/{event.id}/requests?status=accepted#requests"),
        (want["unscheduled"], "Accepted, not scheduled",
         f"/staff/events/{event.id}/requests?status=unscheduled#requests"),
        (want["invites_failed"], "Could not be sent", f"/staff/outbox?event={event.id}&amp;status=failed"),
        (want["running_now"], "Meetings under way now", f"/staff/events/{event.id}/live"),
    ):
        assert (f'<a href="{href}"><span class="count">{number}</span> '
                f'<span class="count-label">{label}</span></a>') in page
    assert 'aria-current="step"' in page and "Next step:" in page
    assert "Import participants" in page and "Live table board" in page  # the tools of the day stay


def test_lists_behind_the_counts_hold_as_many_rows(client, days):
    event = days["jakarta"]
    want = expected(event, NOW)
    sign_in(client, "staff.jkt@matchmaker.example", "demo-staff-2027")
    page = client.get(f"/staff/events/{event.id}/requests?status=declined").get_data(as_text=True)
    rows = page.split("<h2 id=\"requests\">")[1].split("</tbody>")[0].count("<tr><td>")
    assert rows == want["requests_declined"] > 0
    switch_user(client, "staff.sv@matchmaker.example", "demo-staff-2027")
    sv = days["sv"]
    page = client.get(f"/staff/events/{sv.id}/requests?status=unscheduled").get_data(as_text=True)
    rows = page.split("<h2 id=\"requests\">")[1].split("</tbody>")[0].count("<tr><td>")
    assert rows == expected(sv, NOW)["unscheduled"] > 0
    switch_user(client, "staff.jkt@matchmaker.example", "demo-staff-2027")
    page = client.get(f"/staff/outbox?event={event.id}&status=failed").get_data(as_text=True)
    assert f"{want['invites_failed']} messages." in page
    page = client.get(f"/staff/events/{event.id}?status=approved&kind=partner").get_data(as_text=True)
    assert page.count('class="bulk-pick"') == want["approved_partners"]


def test_staff_home_lists_the_office_days_with_their_next_step(client, days):
    sign_in(client, "staff.jkt@matchmaker.example", "demo-staff-2027")
    page = client.get("/staff/").get_data(as_text=True)
    days_table = page.split('id="days-title"')[1].split("</table>")[0]
    assert days["jakarta"].title in days_table and days["sv"].title not in days_table
    row = days_table.split(days["jakarta"].title)[1].split("</tr>")[0]
    applications = expected(days["jakarta"], NOW)["applications"]
    assert "Review the applications" in row and f"{applications} applications wait for review." in row


def test_staff_home_of_an_office_without_program_says_to_create_one(client, make_office, make_user):
    staff = make_user(Role.STAFF, office_id=make_office(name="Kuala Lumpur").id)
    sign_in(client, staff)
    page = client.get("/staff/").get_data(as_text=True)
    assert "Your office has no program yet." in page and 'href="/staff/programs/new"' in page


def test_reports_open_on_the_office_latest_day(client, days):
    sign_in(client, "staff.jkt@matchmaker.example", "demo-staff-2027")
    page = client.get("/staff/reports").get_data(as_text=True)
    assert days["jakarta"].title in page.split("</h1>")[0]
    picker = page.split('class="scope-picker')[1].split("</div>")[0]
    assert f'<option value="{days["jakarta"].id}" selected>' in picker
    assert days["sv"].title not in picker  # another office's day is not offered


def test_reports_pickers_of_an_admin_keep_to_the_office_shown(client, days, make_user):
    admin = make_user(Role.ADMIN)
    sign_in(client, admin)
    past = days["past"]
    page = client.get(f"/staff/reports?scope=event&id={past.id}").get_data(as_text=True)

    def select(name):
        return page.split(f'id="scope-{name}"')[1].split("</select>")[0]

    assert past.title in select("event") and days["jakarta"].title not in select("event")
    assert f'<option value="{past.id}" selected>' in select("event")
    assert [p for p in (days["sv"], days["jakarta"]) if p.program.title in select("program")] == []
    assert f'<option value="{past.program_id}" selected>' in select("program")
    assert f'<option value="{past.program.office_id}" selected>' in select("office")
    assert f'<option value="{past.date.year}" selected>' in select("year")


def test_a_new_day_starts_at_the_review_and_shows_the_day_counts_only_from_its_date(client, make_event, make_user):
    event = make_event()
    staff = make_user(Role.STAFF, office_id=event.program.office_id)
    sign_in(client, staff)
    page = client.get(f"/staff/events/{event.id}").get_data(as_text=True)
    assert "Next step: <a" in page and "Review the applications</a> —" in page.split('class="next-step"')[1]
    assert 'id="counts-day"' not in page and "Before the day." in page
    noon = urlencode({"at": f"{event.date.isoformat()}T10:00"})  # read in the event's zone
    page = client.get(f"/staff/events/{event.id}?{noon}").get_data(as_text=True)
    assert 'id="counts-day"' in page and "Today is the day." in page
    assert "The day</a>" in page.split('class="next-step"')[1].split("</p>")[0]
