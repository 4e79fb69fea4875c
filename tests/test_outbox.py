"""Mail goes through the outbox: written with the change, delivered to a real SMTP server, retried."""

import socket
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from builders.clients import AGREED, sign_in
from flask_babel import force_locale, gettext
from sqlalchemy import select

from matchmaker.database import utcnow
from matchmaker.enums import OutboxStatus, Role
from matchmaker.extensions import db
from matchmaker.models import OutboxMessage
from matchmaker.tasks.mail import deliver_due


class Inbox:
    """aiosmtpd handler keeping every accepted message."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_port():
    return _free_port()


@pytest.fixture
def smtp_server(smtp_port):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture
def smtp_config(app, monkeypatch, smtp_port):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", smtp_port)


REGISTRATION = dict(
    kind="company", organization_name="주식회사 메일테스트", country="KR", name="김민지",
    email="minji@mailtest.example", password="long-enough-pw", confirm="long-enough-pw",
    locale="ko", timezone="Asia/Seoul", **AGREED,
)


def test_registration_mail_reaches_smtp_server_in_recipients_language(client, smtp_config, smtp_server):
    client.post("/register", data=REGISTRATION)
    [(recipients, message)] = smtp_server.messages
    assert recipients == ["minji@mailtest.example"]
    with force_locale("ko"):
        assert message["Subject"] == gettext("Confirm your e-mail address")
    assert message["Subject"] != "Confirm your e-mail address"  # Korean, as the recipient chose
    body = message.get_body(("plain",)).get_content()
    assert "/verify/" in body
    stored = db.session.scalars(select(OutboxMessage)).one()
    assert stored.status == OutboxStatus.SENT
    assert stored.sent_dt is not None
    assert message["Message-ID"] == stored.message_id


def test_mail_server_down_loses_nothing_and_sends_when_back(app, client, smtp_config, smtp_port):
    client.post("/register", data=REGISTRATION)  # nothing listens on smtp_port yet
    stored = db.session.scalars(select(OutboxMessage)).one()
    assert stored.status == OutboxStatus.QUEUED
    assert stored.attempts == 1
    assert stored.last_error
    assert stored.next_attempt_dt > utcnow()

    assert deliver_due() == {"sent": 0, "failed": 0}  # not due yet: backoff is respected

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        stored.next_attempt_dt = utcnow() - timedelta(seconds=1)
        db.session.commit()
        assert deliver_due() == {"sent": 1, "failed": 0}
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
    db.session.refresh(stored)
    assert stored.status == OutboxStatus.SENT
    assert stored.attempts == 2


def test_mail_marked_failed_after_max_attempts_then_staff_resend(app, client, auth, make_user, smtp_config,
                                                                 smtp_port, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 2)
    client.post("/register", data=REGISTRATION)
    stored = db.session.scalars(select(OutboxMessage)).one()
    stored.next_attempt_dt = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert deliver_due() == {"sent": 0, "failed": 1}
    db.session.refresh(stored)
    assert stored.status == OutboxStatus.FAILED
    assert deliver_due() == {"sent": 0, "failed": 0}  # failed messages wait for a person

    client.post("/logout")
    staff = make_user(Role.STAFF)
    auth.login(staff)
    listing = client.get("/staff/outbox?status=failed").get_data(as_text=True)
    assert "minji@mailtest.example" in listing
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        response = client.post(f"/staff/outbox/{stored.id}/resend", data={"seen": "failed:2"})
    finally:
        controller.stop()
    assert response.status_code == 302
    db.session.refresh(stored)
    assert stored.status == OutboxStatus.SENT
    assert len(inbox.messages) == 1


def test_embedded_default_writes_eml_files(app, client):
    client.post("/register", data=REGISTRATION)
    files = sorted(Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"))
    assert [f.name.split("-", 1)[1] for f in files] == ["verify_email.eml"]
    message = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert message["To"] == "minji@mailtest.example"
    assert message.get_body(("html",)) is not None


def test_failed_view_queues_no_mail(app, client):
    """A registration refused by validation writes nothing to the outbox."""
    client.post("/register", data={**REGISTRATION, "confirm": "different-pw"})
    assert db.session.scalars(select(OutboxMessage)).all() == []
    assert list(Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml")) == []


def test_publishing_delivers_one_invite_per_attendee_per_meeting(app, client, smtp_config, smtp_server, make_user,
                                                                 make_org, make_event, make_participation):
    from datetime import time

    from matchmaker.enums import EventMode, OrgKind, RequestStatus
    from matchmaker.models import MeetingRequest
    from matchmaker.services.meetings import place

    event = make_event(mode=EventMode.ONLINE, day_start=time(9), day_end=time(11))
    companies = [make_user(Role.COMPANY, organization=make_org(OrgKind.COMPANY)) for _ in range(2)]
    investor = make_user(Role.PARTNER, organization=make_org(OrgKind.INVESTOR))
    for user in (*companies, investor):
        make_participation(event, user.organization)
    for slot, company in enumerate(companies):
        item = MeetingRequest(event_id=event.id, from_org_id=company.organization_id,
                              to_org_id=investor.organization_id, status=RequestStatus.ACCEPTED)
        db.session.add(item)
        db.session.flush()
        place(item, event.slots()[slot], None)
    db.session.commit()
    staff = make_user(Role.STAFF)
    sign_in(client, staff)
    client.post(f"/staff/events/{event.id}/schedule/publish")
    delivered = sorted((rcpt[0], m["Subject"]) for rcpt, m in smtp_server.messages)
    assert len(delivered) == 4  # two meetings, two attendees each
    assert [r for r, _ in delivered].count(investor.email) == 2
    calendars = [p for _, m in smtp_server.messages for p in m.walk() if p.get_content_type() == "text/calendar"]
    assert len(calendars) == 4
    assert all(p.get_param("method") == "REQUEST" for p in calendars)
