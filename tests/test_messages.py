"""Messages between the two sides of a request: posting and reading on both sides, who may not, what is refused
(with the typed text kept), contact details kept hidden, staff reading their office's threads, and the batched
e-mail (one per thread per 15 minutes, to the other side only, in their language, linking to the request page)."""

from datetime import UTC, datetime, timedelta

import pytest
from builders.clients import switch_user
from sqlalchemy import select

from matchmaker.domain.thread_mail import GRACE, WINDOW, clean_body, may_send, notify_at
from matchmaker.enums import OrgKind, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.models import AuditLog, Message, OutboxMessage
from matchmaker.services import messages as service

T0 = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)


# --- the rule, as plain functions ------------------------------------------------------------------------------

@pytest.mark.parametrize(("posted", "last_sent", "expected"), [
    (T0, None, T0 + GRACE),  # a thread never e-mailed: a minute's grace
    (T0, T0 - timedelta(hours=2), T0 + GRACE),  # a quiet thread: likewise
    (T0, T0 - WINDOW, T0 + GRACE),  # the window just ended
    (T0, T0 - timedelta(minutes=5), T0 + timedelta(minutes=10)),  # the window runs: its end
    (T0, T0 - timedelta(seconds=30), T0 - timedelta(seconds=30) + WINDOW),
    (T0, T0 - WINDOW + timedelta(seconds=30), T0 + GRACE),  # ends within the grace: the grace
])
def test_notify_at_waits_for_the_grace_and_the_window(posted, last_sent, expected):
    assert notify_at(posted, last_sent) == expected


@pytest.mark.parametrize(("now", "last_sent", "expected"), [
    (T0, None, True),
    (T0, T0 - WINDOW, True),
    (T0, T0 - WINDOW + timedelta(seconds=1), False),
    (T0, T0, False),
])
def test_may_send_once_per_window(now, last_sent, expected):
    assert may_send(now, last_sent) is expected


@pytest.mark.parametrize(("typed", "stored"), [
    ("  Hello\r\nsee you  \n", "Hello\nsee you"),
    ("a\x00b\x07c\x1bd\x7fe", "abcde"),
    ("tab\tkept\rline", "tab\tkept\nline"),
    (" \n\t\r\n ", ""),
    (None, ""),
])
def test_clean_body_keeps_lines_and_drops_control_characters(typed, stored):
    assert clean_body(typed) == stored


# --- the pages ------------------------------------------------------------------------------------------------

@pytest.fixture
def pair(make_event, make_user, make_org, make_request, make_participation):
    """A Korean company (its user reads Korean) asked a US investor for a meeting; both approved for the day."""
    event = make_event()
    kim = make_user(Role.COMPANY, locale="ko", organization=make_org(OrgKind.COMPANY, name="Seoul Robotics",
                                                                     phone="+82 2 555 0100"))
    vc = make_user(Role.PARTNER, locale="en", organization=make_org(OrgKind.INVESTOR, name="Valley Capital",
                                                                    phone="+1 650 555 0199"))
    for user in (kim, vc):
        make_participation(event, user.organization)
    item = make_request(event, kim.organization, vc.organization)
    return event, kim, vc, item


def _post(client, item, text, **extra):
    return client.post(f"/requests/{item.id}/messages", data={"message-body": text, **extra})


def _mail_to(user) -> list[OutboxMessage]:
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == user.email, OutboxMessage.kind == "thread_messages")
        .order_by(OutboxMessage.id)  # in the order queued (PostgreSQL returns rows in no set order)
    ).all()


def test_both_sides_post_and_read_the_thread(client, pair):
    _, kim, vc, item = pair
    switch_user(client, kim)
    response = _post(client, item, "Hello from Seoul <b>bold</b>")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/requests/{item.id}#messages"

    switch_user(client, vc)
    page = client.get(f"/requests/{item.id}").get_data(as_text=True)
    assert "Hello from Seoul &lt;b&gt;bold&lt;/b&gt;" in page  # shown escaped
    assert "<b>bold</b>" not in page
    assert _post(client, item, "Hi! Glad to meet.").status_code == 302

    switch_user(client, kim)
    page = client.get(f"/requests/{item.id}").get_data(as_text=True)
    assert page.index("Hello from Seoul") < page.index("Hi! Glad to meet.")
    messages = db.session.scalars(select(Message).order_by(Message.id)).all()
    assert [(m.author_org_id, m.author_id) for m in messages] == [
        (kim.organization_id, kim.id), (vc.organization_id, vc.id)]
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.action == "post_message")).all()
    assert actions == ["post_message", "post_message"]


def test_thread_names_organizations_not_contacts_before_acceptance(client, pair):
    _, kim, vc, item = pair
    switch_user(client, kim)
    _post(client, item, "Could we meet?")
    switch_user(client, vc)
    page = client.get(f"/requests/{item.id}").get_data(as_text=True)
    assert "Seoul Robotics" in page
    for hidden in (kim.email, kim.name, "+82 2 555 0100"):
        assert hidden not in page
    thread = client.get(f"/requests/{item.id}/messages").get_data(as_text=True)
    assert "Could we meet?" in thread
    assert kim.email not in thread and kim.name not in thread


def test_meeting_page_shows_the_thread_and_returns_there(client, pair, add_meeting):
    event, kim, vc, item = pair
    event.published = True
    item.status = RequestStatus.ACCEPTED
    db.session.commit()
    meeting = add_meeting(item)
    switch_user(client, vc)
    response = _post(client, item, "See you at the table", **{"message-back": "meeting"})
    assert response.headers["Location"] == f"/meetings/{meeting.id}#messages"
    assert "See you at the table" in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)


def test_the_hint_about_hidden_contacts_only_while_they_are_hidden(client, pair, add_meeting):
    """Once accepted, both sides see each other's contact details: a hint saying they stay hidden would be false."""
    event, kim, vc, item = pair
    hint = "Your contact details stay hidden until the meeting is accepted"
    switch_user(client, vc)
    assert hint in client.get(f"/requests/{item.id}").get_data(as_text=True)
    event.published = True
    item.status = RequestStatus.ACCEPTED
    db.session.commit()
    meeting = add_meeting(item)
    for url in (f"/requests/{item.id}", f"/meetings/{meeting.id}", f"/requests/{item.id}/messages"):
        page = client.get(url).get_data(as_text=True)
        assert "At most 2,000 characters." in page, url
        assert hint not in page, url


@pytest.mark.parametrize("method", ["get", "post"])
def test_third_organization_gets_404(client, pair, make_user, method):
    _, kim, _, item = pair
    switch_user(client, kim)
    _post(client, item, "Private")
    switch_user(client, make_user(Role.COMPANY))
    response = getattr(client, method)(f"/requests/{item.id}/messages", data={"message-body": "Let me in"})
    assert response.status_code == 404
    assert db.session.scalar(select(Message.body).where(Message.body == "Let me in")) is None


@pytest.mark.parametrize(("typed", "error"), [
    ("   \n\t ", "Write a message first."),
    ("x" * 2001, "at most 2,000 characters long; yours has 2,001"),
])
def test_bad_message_is_refused_with_the_typed_text_kept(client, pair, typed, error):
    _, _, vc, item = pair
    switch_user(client, vc)  # the side that reads English
    response = _post(client, item, typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert error in page
    assert f'name="message-body">\r\n{typed}</textarea>' in page  # what was typed, to correct it
    assert db.session.scalar(select(Message.id)) is None


def test_control_characters_are_dropped_and_two_thousand_fit(client, pair):
    _, kim, _, item = pair
    switch_user(client, kim)
    assert _post(client, item, "a\x07b").status_code == 302
    assert _post(client, item, "y" * 2000).status_code == 302
    assert db.session.scalars(select(Message.body).order_by(Message.id)).all() == ["ab", "y" * 2000]


@pytest.mark.parametrize("status", [RequestStatus.CANCELLED, RequestStatus.DECLINED])
def test_closed_request_stays_readable_but_takes_no_message(client, pair, status):
    _, kim, vc, item = pair
    switch_user(client, kim)
    _post(client, item, "Before it closed")
    item.status = status
    db.session.commit()
    switch_user(client, vc)
    page = client.get(f"/requests/{item.id}").get_data(as_text=True)
    assert "Before it closed" in page
    assert f'action="/requests/{item.id}/messages"' not in page
    response = _post(client, item, "After")
    assert "This request is closed" in response.get_data(as_text=True)
    assert db.session.scalars(select(Message.body)).all() == ["Before it closed"]


# --- staff ----------------------------------------------------------------------------------------------------

def test_staff_read_their_office_threads_and_cannot_post(client, pair, make_user, make_office):
    event, kim, _, item = pair
    switch_user(client, kim)
    _post(client, item, "For the office to see")
    staff = make_user(Role.STAFF, office_id=event.program.office_id)
    switch_user(client, staff)
    assert "Messages between participants" in client.get(f"/staff/events/{event.id}").get_data(as_text=True)
    listing = client.get(f"/staff/events/{event.id}/messages").get_data(as_text=True)
    assert "Seoul Robotics" in listing and "1 message" in listing
    thread = client.get(f"/staff/events/{event.id}/messages/{item.id}").get_data(as_text=True)
    assert "For the office to see" in thread
    assert _post(client, item, "Staff writing").status_code == 403
    assert client.get(f"/staff/events/{event.id}/messages/999999").status_code == 404

    outsider = make_user(Role.STAFF, office_id=make_office().id)
    switch_user(client, outsider)
    assert client.get(f"/staff/events/{event.id}/messages").status_code == 403
    assert client.get(f"/staff/events/{event.id}/messages/{item.id}").status_code == 403


def test_staff_thread_of_another_day_is_404(client, pair, make_user, make_event):
    event, kim, _, item = pair
    other_day = make_event(event.program)
    switch_user(client, make_user(Role.STAFF, office_id=event.program.office_id))
    assert client.get(f"/staff/events/{other_day.id}/messages/{item.id}").status_code == 404


# --- the batched e-mail -----------------------------------------------------------------------------------------

def test_messages_within_fifteen_minutes_make_one_email_to_the_other_side(client, app, pair, make_user):
    _, kim, vc, item = pair
    colleague = make_user(Role.PARTNER, organization=vc.organization, locale="ko")
    switch_user(client, kim)
    _post(client, item, "First line")
    _post(client, item, "Second line")
    assert _mail_to(vc) == []  # nothing before the job runs

    assert service.notify_thread(item.id) == 2
    db.session.commit()
    (mail,) = _mail_to(vc)
    assert mail.locale == "en"
    assert mail.subject == "Seoul Robotics wrote to you on Matchmaker"
    assert mail.body_text.index("First line") < mail.body_text.index("Second line")
    link = f"{app.config['BASE_URL']}/requests/{item.id}#messages"
    assert link in mail.body_text and link in mail.body_html
    assert kim.email not in mail.body_text
    (korean,) = _mail_to(colleague)
    assert korean.locale == "ko"
    assert _mail_to(kim) == []  # the writer's side is not told of its own messages
    sent_at = db.session.scalars(select(Message.notified_dt)).all()
    assert len(set(sent_at)) == 1 and None not in sent_at

    # A third message at once: the window runs, so the job sends nothing yet.
    _post(client, item, "Third line")
    assert service.notify_thread(item.id) == 0
    db.session.commit()
    assert len(_mail_to(vc)) == 1
    # Fifteen minutes after the first e-mail, the job tells of the third message only.
    assert service.notify_thread(item.id, now=sent_at[0] + WINDOW) == 1
    db.session.commit()
    last = _mail_to(vc)[-1]
    assert len(_mail_to(vc)) == 2
    assert "Third line" in last.body_text and "First line" not in last.body_text


def test_each_side_hears_only_the_other_sides_messages(client, pair):
    _, kim, vc, item = pair
    switch_user(client, kim)
    _post(client, item, "From Kim")
    switch_user(client, vc)
    _post(client, item, "From the investor")
    service.notify_thread(item.id)
    db.session.commit()
    (to_vc,) = _mail_to(vc)
    (to_kim,) = _mail_to(kim)
    assert "From Kim" in to_vc.body_text and "From the investor" not in to_vc.body_text
    assert "From the investor" in to_kim.body_text and "From Kim" not in to_kim.body_text
    assert to_kim.locale == "ko"
    assert "Valley Capital" in to_kim.subject


def test_message_body_is_escaped_in_the_html_email(client, pair):
    _, kim, vc, item = pair
    switch_user(client, kim)
    _post(client, item, "<script>alert(1)</script>")
    service.notify_thread(item.id)
    db.session.commit()
    (mail,) = _mail_to(vc)
    assert "<script>" not in mail.body_html
    assert "&lt;script&gt;" in mail.body_html
    assert "<script>alert(1)</script>" in mail.body_text


def test_job_with_nothing_to_tell_sends_nothing(client, pair):
    _, _, vc, item = pair
    assert service.notify_thread(item.id) == 0
    assert service.notify_thread(999999) == 0
    assert _mail_to(vc) == []
