"""The small in-person day the board tests share: 4 slots × 2 tables in Jakarta, companies A and B, buyers X and Y,
pair a (A–X, asked by the buyer) at slot 0 T1, pair b (B–Y) at slot 1 T1, pair c (A–Y) at slot 2 T2."""

from datetime import time

from matchmaker.enums import EventMode, OrgKind, RequestStatus
from matchmaker.services.placement import place


def small_board_day(make_org, make_event, make_program, make_office, make_participation, make_request,
                    **office_fields):
    """(event, {"a"|"b"|"c": Meeting}, {"a"|"b"|"x"|"y": Organization}), flushed, not committed."""
    office = make_office(**office_fields)
    event = make_event(program=make_program(office=office), mode=EventMode.IN_PERSON, venue="Hall",
                       timezone="Asia/Jakarta", day_start=time(9), day_end=time(11), tables=2)
    a, b = make_org(OrgKind.COMPANY, name="Company A"), make_org(OrgKind.COMPANY, name="Company B")
    x, y = make_org(OrgKind.BUYER, name="Buyer X"), make_org(OrgKind.BUYER, name="Buyer Y")
    for org in (a, b, x, y):
        make_participation(event, org)
    slots = event.slots()
    accepted = RequestStatus.ACCEPTED
    meetings = {
        "a": place(make_request(event, x, a, status=accepted), slots[0], "T1"),
        "b": place(make_request(event, b, y, status=accepted), slots[1], "T1"),
        "c": place(make_request(event, a, y, status=accepted), slots[2], "T2"),
    }
    return event, meetings, {"a": a, "b": b, "x": x, "y": y}
