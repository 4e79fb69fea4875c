"""Mail never wedges and goes out exactly once: hostile names, messages that cannot be built or sent, several
senders at the same instant, a sender that dies after its claim. A real SMTP server (aiosmtpd) throughout."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from builders.clients import switch_user
from builders.races import needs_postgres
from builders.smtp import free_port, smtp_server
from sqlalchemy import insert, select, update

from matchmaker.database import utcnow
from matchmaker.domain.email import new_message_id
from matchmaker.enums import OrgKind, OutboxStatus, Role
from matchmaker.extensions import db
from matchmaker.models import OutboxMessage
from matchmaker.tasks import mail
from matchmaker.tasks.mail import claim, deliver_due


@pytest.fixture
def smtp_port(app, monkeypatch):
    port = free_port()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    return port


@pytest.fixture
def world(make_user, make_org, make_event, make_participation):
    """An online day with two companies and an investor, approved."""
    event = make_event()
    people = {}
    for key, kind, role in [("kim", OrgKind.COMPANY, Role.COMPANY), ("lee", OrgKind.COMPANY, Role.COMPANY),
                            ("vc", OrgKind.INVESTOR, Role.PARTNER)]:
        user = make_user(role, organization=make_org(kind))
        make_participation(event, user.organization)
        people[key] = user
    return event, people


PROFILE = {"country": "kr", "sectors": ["ai"], "stages": ["series-a"], "markets": "us", "languages": "ko, en",
           "timezone": "Asia/Seoul"}


@pytest.mark.parametrize("name", ["Poison\nCo", "Poison\u2028Co", "Poison\u2029Co",
                                  "Poison\r\nBcc: all@victim.example"])
def test_a_line_break_in_an_organization_name_neither_breaks_nor_holds_back_mail(client, world, smtp_port, name):
    event, p = world
    switch_user(client, p["kim"])
    assert client.post("/profile", data={**PROFILE, "name": name}).status_code == 302
    db.session.refresh(p["kim"].organization)
    assert p["kim"].organization.name == name  # the form keeps what was typed
    with smtp_server(smtp_port) as inbox:
        client.post(f"/events/{event.id}/request/{p['vc'].organization_id}", data={"message": "Hi"})
        switch_user(client, p["lee"])  # a later message, from someone else
        client.post(f"/events/{event.id}/request/{p['vc'].organization_id}", data={"message": "Hello"})
    subjects = [message["Subject"] for _, message in inbox.messages]
    first_line = name.splitlines()[0]
    assert subjects == [f"New meeting request from {first_line} {name.splitlines()[-1]}",
                        f"New meeting request from {p['lee'].organization.name}"]
    assert all(rcpt == [p["vc"].email] for rcpt, _ in inbox.messages)  # no header slipped in
    assert all(message["Bcc"] is None for _, message in inbox.messages)
    statuses = db.session.scalars(select(OutboxMessage.status)).all()
    assert statuses == [OutboxStatus.SENT, OutboxStatus.SENT]


def _queue(**values) -> int:
    row = dict(kind="test", to_address="someone@example.com", subject="Hello", body_text="Body", locale="en",
               message_id=new_message_id(), status=OutboxStatus.QUEUED, attempts=0, created_dt=utcnow(),
               next_attempt_dt=utcnow() - timedelta(seconds=1))
    row.update(values)
    return db.session.execute(insert(OutboxMessage).values(**row).returning(OutboxMessage.id)).scalar_one()


def test_messages_that_cannot_be_built_or_sent_fail_with_their_error_and_the_rest_goes_out(
        app, client, runner, make_user, smtp_port, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 1)
    first = _queue(to_address="first@example.com")
    legacy = _queue(subject="New meeting request from Poison\nCo")  # queued before subjects were cleaned
    broken_address = _queue(to_address="bad\r@example.com")  # no header can hold it
    refused = _queue(to_address="gone@example.com")  # the server refuses this mailbox
    last = _queue(to_address="last@example.com")
    db.session.commit()

    with smtp_server(smtp_port, reject={"gone@example.com"}) as inbox:
        result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert result.output == ("Sent 3; failed attempts 2 (retried later, or listed as failed on the Outbox "
                             "page).\nWebhooks delivered 0; failed attempts 0.\n")
    assert sorted(rcpt[0] for rcpt, _ in inbox.messages) == [
        "first@example.com", "last@example.com", "someone@example.com"]
    assert "New meeting request from Poison Co" in [message["Subject"] for _, message in inbox.messages]
    db.session.expire_all()
    rows = {m.id: m for m in db.session.scalars(select(OutboxMessage))}
    assert [rows[i].status for i in (first, legacy, broken_address, refused, last)] == [
        OutboxStatus.SENT, OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.FAILED, OutboxStatus.SENT]
    assert rows[broken_address].last_error.startswith("ValueError: Header values may not contain linefeed")
    assert rows[refused].last_error.startswith("SMTPRecipientsRefused")
    assert all(rows[i].claim_token is None for i in rows)

    staff = make_user(Role.STAFF)
    switch_user(client, staff)
    page = client.get("/staff/outbox?status=failed").get_data(as_text=True)
    assert "Header values may not contain linefeed" in page
    assert "SMTPRecipientsRefused" in page
    detail = client.get(f"/staff/outbox/{broken_address}").get_data(as_text=True)
    assert "Send again" in detail and "Discard: do not send" in detail


def test_resend_and_discard_act_once_and_say_what_they_did(app, client, make_user, smtp_port):
    message_id = _queue(status=OutboxStatus.FAILED, attempts=3, last_error="ValueError: broken")
    db.session.commit()
    switch_user(client, make_user(Role.STAFF))
    with smtp_server(smtp_port) as inbox:
        first = client.post(f"/staff/outbox/{message_id}/resend", data={"seen": "failed:3"}, follow_redirects=True)
        second = client.post(f"/staff/outbox/{message_id}/resend", data={"seen": "failed:3"}, follow_redirects=True)
    assert "The message is queued again" in first.get_data(as_text=True)
    assert "Nothing was done: this message is now Sent." in second.get_data(as_text=True)
    assert len(inbox.messages) == 1  # a double click sends once

    other = _queue(status=OutboxStatus.FAILED, attempts=1)
    db.session.commit()
    page = client.post(f"/staff/outbox/{other}/discard", data={"seen": "failed:1"}, follow_redirects=True)
    assert "The message is discarded" in page.get_data(as_text=True)
    again = client.post(f"/staff/outbox/{other}/discard", data={"seen": "failed:1"}, follow_redirects=True)
    assert "Nothing was done: this message is now Discarded." in again.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(OutboxMessage, other).status == OutboxStatus.DISCARDED
    assert deliver_due() == {"sent": 0, "failed": 0}  # a discarded message is never sent


def _deliver_in_own_context(app, barrier: threading.Barrier, errors: list) -> None:
    with app.app_context():
        try:
            barrier.wait()
            deliver_due()
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            db.session.remove()


@pytest.mark.parametrize("senders", [3, 6])
def test_concurrent_senders_deliver_each_message_exactly_once(app, smtp_port, senders):
    ids = [_queue(to_address=f"person{n}@example.com") for n in range(200)]
    db.session.commit()
    expected = set(db.session.scalars(select(OutboxMessage.message_id)))
    barrier, errors = threading.Barrier(senders), []
    with smtp_server(smtp_port) as inbox:
        threads = [threading.Thread(target=_deliver_in_own_context, args=(app, barrier, errors))
                   for _ in range(senders)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    copies = Counter(inbox.message_ids())
    assert set(copies) == expected
    assert [n for n in copies.values() if n != 1] == []  # not one message twice
    db.session.expire_all()
    statuses = Counter(db.session.scalars(select(OutboxMessage.status).where(OutboxMessage.id.in_(ids))))
    assert statuses == {OutboxStatus.SENT: 200}


def test_a_crashed_senders_messages_go_out_once_its_lease_runs_out(app, smtp_port):
    for n in range(4):
        _queue(to_address=f"person{n}@example.com")
    db.session.commit()
    claimed = claim("a-sender-that-dies-now", 3)  # it committed its claim, then died before sending
    assert len(claimed) == 3  # what it asked for, no more
    with smtp_server(smtp_port) as inbox:
        assert deliver_due() == {"sent": 1, "failed": 0}  # the one left; the others are leased: left alone
        db.session.execute(update(OutboxMessage).values(lease_until=utcnow() - timedelta(seconds=1)))
        db.session.commit()  # ... until the lease runs out
        assert deliver_due() == {"sent": 3, "failed": 0}
        assert deliver_due() == {"sent": 0, "failed": 0}
    assert sorted(Counter(inbox.message_ids()).values()) == [1, 1, 1, 1]
    assert db.session.scalars(select(OutboxMessage.claim_token)).all() == [None] * 4


def test_two_staff_resending_at_the_same_instant_send_once_and_the_second_is_told(app, client, make_user,
                                                                                  smtp_port):
    message_id = _queue(status=OutboxStatus.FAILED, attempts=2, last_error="SMTPServerDisconnected")
    db.session.commit()
    staff = [make_user(Role.STAFF) for _ in range(2)]
    clients = [client, app.test_client()]  # each request in its own context, as in production
    for client, user in zip(clients, staff, strict=True):
        switch_user(client, user)
    barrier, pages = threading.Barrier(2), []

    def resend(client):
        barrier.wait()
        response = client.post(f"/staff/outbox/{message_id}/resend", data={"seen": "failed:2"},
                               follow_redirects=True)
        pages.append((response.status_code, response.get_data(as_text=True)))

    with smtp_server(smtp_port) as inbox:
        threads = [threading.Thread(target=resend, args=(client,)) for client in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(code for code, _ in pages) == [200, 200]
    told = sorted("The message is queued again" in page for _, page in pages)
    assert told == [False, True]
    assert any("Nothing was done: this message is now" in page for _, page in pages)
    assert len(inbox.messages) == 1


@needs_postgres
def test_a_due_message_held_by_another_transaction_is_sent_once_that_transaction_ends(app, smtp_port, monkeypatch):
    """A resend that lost its race keeps the row locked until it rolls back; a sender that skipped the row then
    (SKIP LOCKED) looks again rather than leaving the message queued with nobody to send it."""
    message_id = _queue()
    db.session.commit()
    holder = db.engine.connect()
    holder.execute(select(OutboxMessage.id).where(OutboxMessage.id == message_id).with_for_update())
    pauses = []

    def pause(seconds):  # the sender found the message due but locked: the other transaction ends now
        pauses.append(seconds)
        holder.rollback()

    monkeypatch.setattr(mail.time, "sleep", pause)
    try:
        with smtp_server(smtp_port) as inbox:
            assert deliver_due() == {"sent": 1, "failed": 0}
    finally:
        holder.close()
    assert len(pauses) == 1 and len(inbox.messages) == 1
    assert db.session.get(OutboxMessage, message_id).status == OutboxStatus.SENT
