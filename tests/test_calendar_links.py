"""'Add to Google Calendar' and 'Add to Outlook': the links parse back to the meeting's UTC times, title, place and
text (hostile text included), and the meeting page shows them only to the meeting's two sides while it stands."""

from datetime import UTC, datetime, time
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from test_calendar_checks import EN, KO, meeting

from matchmaker.calendar import calendar_links
from matchmaker.enums import EventMode, MeetingStatus, RequestStatus, Role
from matchmaker.extensions import db

HOSTILE = 'Kim "Mad Dog" & Sons #1\n주식회사 <한빛> 100% ?a=b'


def _parse(url: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)
    assert all(len(values) == 1 for values in query.values())
    return f"{parts.scheme}://{parts.netloc}{parts.path}", {key: values[0] for key, values in query.items()}


def test_google_link_carries_utc_times_title_place_and_text():
    m = meeting(location="Table 12, COEX Hall B", conference_url=None)
    base, query = _parse(calendar_links(m, labels=EN, locale="en", zone="Asia/Seoul").google)
    assert base == "https://calendar.google.com/calendar/render"
    assert query["action"] == "TEMPLATE"
    assert query["dates"] == "20270311T000000Z/20270311T003000Z"
    assert query["text"] == "Meeting: 주식회사 한빛소프트, Golden Gate Ventures (K-ICT 글로벌 투자 상담회 2027)"
    assert query["location"] == "Table 12, COEX Hall B"
    assert "Where: Table 12, COEX Hall B" in query["details"]
    assert "Details: https://matchmaker.test/meetings/42" in query["details"]


def test_outlook_link_carries_utc_times_title_place_and_text():
    base, query = _parse(calendar_links(meeting(), labels=EN, locale="en", zone="Asia/Seoul").outlook)
    assert base == "https://outlook.office.com/calendar/0/deeplink/compose"
    assert (query["path"], query["rru"]) == ("/calendar/action/compose", "addevent")
    starts = datetime.fromisoformat(query["startdt"]), datetime.fromisoformat(query["enddt"])
    assert starts == (datetime(2027, 3, 11, 0, 0, tzinfo=UTC), datetime(2027, 3, 11, 0, 30, tzinfo=UTC))
    assert query["location"] == "https://meet.example.test/k-ict-42"  # online: the video room is the place
    assert query["subject"].startswith("Meeting: ")
    assert "Join online: https://meet.example.test/k-ict-42" in query["body"]


def test_times_given_in_another_zone_go_out_in_utc():
    start = datetime(2027, 3, 11, 9, 0, tzinfo=ZoneInfo("Asia/Seoul"))
    m = meeting(start=start, end=start.replace(minute=30))
    links = calendar_links(m, labels=EN, locale="en", zone="Asia/Seoul")
    assert _parse(links.google)[1]["dates"] == "20270311T000000Z/20270311T003000Z"
    assert _parse(links.outlook)[1]["startdt"] == "2027-03-11T00:00:00Z"


@pytest.mark.parametrize("which", ["google", "outlook"])
def test_hostile_text_round_trips(which):
    m = meeting(counterparts=(HOSTILE,), event_title=HOSTILE, location=HOSTILE, conference_url=None,
                description=(HOSTILE,))
    url = getattr(calendar_links(m, labels=KO, locale="ko", zone="Asia/Seoul"), which)
    assert "\n" not in url and " " not in url and '"' not in url and "#" not in url
    _, query = _parse(url)
    title, text = ("text", "details") if which == "google" else ("subject", "body")
    assert query[title] == f"미팅: {HOSTILE} ({HOSTILE})"
    assert query["location"] == HOSTILE
    assert HOSTILE in query[text] and f"장소: {HOSTILE}" in query[text]


def test_a_cancelled_meeting_has_no_links():
    with pytest.raises(ValueError, match="cancelled"):
        calendar_links(meeting(status="CANCELLED"), labels=EN, locale="en", zone="UTC")


@pytest.fixture
def scheduled(make_event, make_user, make_participation, make_request, add_meeting):
    event = make_event(mode=EventMode.IN_PERSON, venue="COEX Hall B", tables=2, published=True,
                       day_start=time(9), day_end=time(11))
    company, investor, outsider = make_user(Role.COMPANY), make_user(Role.PARTNER), make_user(Role.PARTNER)
    for user in (company, investor, outsider):
        make_participation(event, user.organization)
    meeting = add_meeting(make_request(event, company.organization, investor.organization,
                                       status=RequestStatus.ACCEPTED))
    meeting.table_label = "T1"
    db.session.commit()
    return meeting, company, investor, outsider


def _links_on(page: str) -> dict[str, dict[str, str]]:
    found = {}
    for base in ("https://calendar.google.com/", "https://outlook.office.com/"):
        start = page.find(f'href="{base}')
        if start >= 0:
            href = page[start + 6:page.index('"', start + 6)].replace("&amp;", "&")
            found[base] = _parse(href)[1]
    return found


def test_meeting_page_offers_both_links_to_each_side(client, auth, scheduled):
    meeting, company, investor, _ = scheduled
    for user in (company, investor):
        auth.login(user)
        links = _links_on(client.get(f"/meetings/{meeting.id}").get_data(as_text=True))
        google, outlook = links["https://calendar.google.com/"], links["https://outlook.office.com/"]
        start = meeting.start_dt.astimezone(UTC)
        assert google["dates"].split("/")[0] == start.strftime("%Y%m%dT%H%M%SZ")
        assert outlook["startdt"] == start.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert google["location"] == outlook["location"] == "Table T1, COEX Hall B"
        other = investor if user is company else company
        assert other.organization.display_name in google["text"]
        auth.logout()


def test_meeting_page_hides_the_links_from_others_and_once_cancelled(client, auth, scheduled):
    meeting, company, _, outsider = scheduled
    auth.login(outsider)
    response = client.get(f"/meetings/{meeting.id}")
    assert response.status_code in (403, 404)
    assert _links_on(response.get_data(as_text=True)) == {}
    auth.logout()
    meeting.status = MeetingStatus.CANCELLED
    db.session.commit()
    auth.login(company)
    page = client.get(f"/meetings/{meeting.id}")
    assert page.status_code == 200 and _links_on(page.get_data(as_text=True)) == {}
