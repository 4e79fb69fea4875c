"""An invite inside an e-mail (iMIP, RFC 6047) built by matchmaker.domain.email.build_message: the inline
text/calendar part carries the method, an invite.ics attachment follows, and the Korean text survives the
trip through bytes, base64-encoded rather than raw 8-bit."""

import email
from datetime import UTC, datetime
from email import policy

import pytest
from test_calendar_checks import KO, NOW, check_invite, check_raw, meeting

from matchmaker.calendar import build_cancel, build_request
from matchmaker.domain.email import build_message


def _mail(ics: str, method: str):
    msg = build_message(
        sender="K-ICT 매칭 사무국 <office@matchmaker.test>",
        to="minji@hanbit.test",
        subject="미팅 초대: Golden Gate Ventures",
        text="미팅에 초대되었습니다.",
        html="<p>미팅에 초대되었습니다.</p>",
        calendar=ics,
        calendar_method=method,
        message_id="<invite-42@matchmaker.test>",
        date=datetime(2027, 2, 1, 9, 30, tzinfo=UTC),
    )
    wire = msg.as_bytes()
    return wire, email.message_from_bytes(wire, policy=policy.default)


def _parts(parsed):
    inline = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    attached = [p for p in parsed.walk() if p.get_filename() == "invite.ics"]
    assert len(inline) == 1 and len(attached) == 1
    return inline[0], attached[0]


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL"])
def test_invite_mail_has_the_inline_part_with_method_and_an_attachment(method):
    m = meeting(sequence=1, status="CANCELLED" if method == "CANCEL" else "CONFIRMED")
    build = build_cancel if method == "CANCEL" else build_request
    ics = build(m, "ko", "Asia/Seoul", NOW, labels=KO)
    wire, parsed = _mail(ics, method)

    assert parsed.get_content_type() == "multipart/mixed"
    inline, attached = _parts(parsed)
    # The calendar travels base64-encoded, never as raw 8-bit (which relays may mangle). (The text and HTML
    # parts are build_message's business; they currently go out 8-bit.)
    for part in (inline, attached):
        assert part["Content-Transfer-Encoding"] == "base64"
        assert part.get_payload().isascii()
    assert "한빛소프트".encode() not in wire.split(b"Content-Type: text/calendar", 1)[1]
    assert parsed.get_body(preferencelist=("plain",)).get_content() == "미팅에 초대되었습니다.\r\n"  # CRLF on the wire

    # Content-Type: text/calendar; method=REQUEST; charset="utf-8" (parameter order does not matter).
    assert inline.get_param("method") == method
    assert inline.get_content_charset() == "utf-8"
    assert inline.get_content_disposition() is None  # shown inline, not as an attachment
    alternative = next(p for p in parsed.walk() if p.get_content_type() == "multipart/alternative")
    assert inline in alternative.get_payload()

    assert attached.get_content_disposition() == "attachment"
    assert attached.get_content_type() in ("application/ics", "text/calendar")

    # The attachment is the calendar byte for byte; the inline part reads the same.
    assert attached.get_payload(decode=True) == ics.encode("utf-8")
    check_raw(attached.get_payload(decode=True), method)
    decoded = inline.get_payload(decode=True).decode("utf-8")
    assert decoded == ics
    assert "주식회사 한빛소프트" in decoded
    assert check_invite(attached.get_payload(decode=True).decode("utf-8"), method) == check_invite(ics, method)


def test_inline_calendar_part_keeps_crlf_line_ends():
    ics = build_request(meeting(), "ko", "Asia/Seoul", NOW, labels=KO)
    _, parsed = _mail(ics, "REQUEST")
    inline, _ = _parts(parsed)
    assert inline.get_payload(decode=True) == ics.encode("utf-8")
