"""The API answers each role as the app's pages do: for every API resource that has a page, the same person gets the
same status from the page (signed in with a session) as from the API (with their token). A member's page and a
staff member's page can differ (a company reads the public day, staff their office's day page); the pair names
both. Where a role has no such page (None), only the API's own matrix applies (tests/test_api_v1.py)."""

from datetime import date

import pytest
from builders.api_pages import page_statuses
from builders.api_world import ROLES, api_world, get


@pytest.fixture
def world(make_office, make_user, make_org, make_program, make_event, make_participation, make_request,
          add_meeting):
    return api_world(make_office, make_user, make_org, make_program, make_event, make_participation, make_request,
                     add_meeting)


MEMBERS = ("company", "partner")
YEAR = str(date.today().year)
# API path -> (the page a member opens, the page staff and admins open)
PAIRS = {
    "/api/v1/programs/{program}": ("/staff/programs/{program}", "/staff/programs/{program}"),
    "/api/v1/events/{event}": ("/events/{event}", "/staff/events/{event}"),
    "/api/v1/events/{other_event}": ("/events/{other_event}", "/staff/events/{other_event}"),
    "/api/v1/events/999999": ("/events/999999", "/staff/events/999999"),
    "/api/v1/organizations/{other_org}": (None, "/staff/organizations/{other_org}"),
    "/api/v1/organizations/999999": (None, "/staff/organizations/999999"),
    "/api/v1/events/{event}/kpi": ("/staff/reports?scope=event&id={event}", "/staff/reports?scope=event&id={event}"),
    "/api/v1/programs/{program}/kpi": ("/staff/reports?scope=program&id={program}",
                                       "/staff/reports?scope=program&id={program}"),
    "/api/v1/offices/{office}/kpi": ("/staff/reports?scope=office&id={office}",
                                     "/staff/reports?scope=office&id={office}"),
    "/api/v1/kpi/" + YEAR: ("/staff/reports?scope=year&year=" + YEAR, "/staff/reports?scope=year&year=" + YEAR),
    "/api/v1/requests": ("/requests", None),
}


@pytest.mark.parametrize("api_path", list(PAIRS))
def test_the_api_answers_each_role_as_its_page_does(app, client, world, api_path):
    member_page, staff_page = PAIRS[api_path]
    pages, answers = [], []
    for role in ROLES:
        page = member_page if role in MEMBERS else staff_page
        if page is None:
            continue
        pages.append((role, page_statuses(app, world, page, roles=(role,))[0]))
        answers.append((role, get(client, world["tokens"][role], api_path.format(**world)).status_code))

    assert answers == pages
