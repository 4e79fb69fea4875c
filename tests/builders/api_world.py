"""The API tests' world: two offices, a published day of office A with a company, a partner and another company,
one accepted, scheduled meeting, and a personal access token (write scope) for each role."""

from matchmaker.enums import OrgKind, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.services import api_tokens

ROLES = ("company", "partner", "staff_a", "staff_b", "admin")


def api_world(make_office, make_user, make_org, make_program, make_event, make_participation, make_request,
              add_meeting):
    """Office A runs a published day where the partner meets another company (not the company with a token);
    office B has a day of its own. Returns the ids and a token per role (committed)."""
    office_a, office_b = make_office(), make_office()
    event = make_event(make_program(office_a), published=True)
    other_event = make_event(make_program(office_b))
    company = make_user(Role.COMPANY, locale="ko")
    partner = make_user(Role.PARTNER)
    other_company = make_org(OrgKind.COMPANY)
    for org in (company.organization, partner.organization, other_company):
        make_participation(event, org)
    request = make_request(event, other_company, partner.organization, status=RequestStatus.ACCEPTED)
    meeting = add_meeting(request)
    users = {
        "company": company, "partner": partner,
        "staff_a": make_user(Role.STAFF, office=office_a), "staff_b": make_user(Role.STAFF, office=office_b),
        "admin": make_user(Role.ADMIN),
    }
    tokens = {role: api_tokens.create(user, "test", "write")[1] for role, user in users.items()}
    db.session.commit()
    return {
        "tokens": tokens, "emails": {role: user.email for role, user in users.items()},
        "office": office_a.id, "other_office": office_b.id, "program": event.program_id,
        "event": event.id, "other_event": other_event.id, "company_org": company.organization_id,
        "partner_org": partner.organization_id, "other_org": other_company.id, "meeting": meeting.id,
    }


def get(client, token, path, **headers):
    return client.get(path, headers={"Authorization": f"Bearer {token}", **headers})


def post(client, token, path, body=None, **headers):
    return client.post(path, json=body, headers={"Authorization": f"Bearer {token}", **headers})
