"""Who may open what: every route for every role, and no way to reach another organization's objects
by guessing ids."""

from dataclasses import dataclass
from functools import partial
from urllib.parse import urlencode

import pytest
from flask import url_for
from werkzeug.security import generate_password_hash

from matchmaker.enums import OrgKind, RequestStatus, Role, WebhookStatus
from matchmaker.extensions import db
from matchmaker.models import (
    ErasureRequest,
    ImportBatch,
    Meeting,
    MeetingRequest,
    OutboxMessage,
    User,
    WebhookDelivery,
)
from matchmaker.services import api_tokens, webhooks
from matchmaker.services.invites import feed_token
from matchmaker.services.tokens import make_erasure_token, make_reset_token, make_verify_token

ROLES = ("anonymous", "company", "partner", "staff", "admin")
LOGIN = "login"  # a 302 to /login?next=<the requested path>
PASSWORD = "role-matrix-password"
BOARD = "/staff/events/{event}/schedule"
MATRIX_PAGE = "/staff/events/{event}/matrix"
CHECKIN_PAGE = "/staff/events/{event}/checkin"
WALKINS_PAGE = "/staff/events/{event}/walkins"

# (endpoint, method) -> what each of ROLES gets. An int is the status code; a string starting with "/"
# is a 302 to exactly that path ({event}, {program}… are filled in with the ids of the world below).
# In the world, the request and the meeting are between the partner and ANOTHER company, and the
# company's participation is the only one (approved): so the company gets 404 where the partner gets
# 200 on the request and meeting pages, and the partner 403 on the pages of approved participants.
# The company cannot ask another company for a meeting, hence the redirect on new_request.
MATRIX = {
    ("main.home", "GET"): (200, 200, 200, 200, 200),
    ("health.healthz", "GET"): (200, 200, 200, 200, 200),
    ("main.manifest", "GET"): (200, 200, 200, 200, 200),
    ("main.service_worker", "GET"): (200, 200, 200, 200, 200),
    ("main.favicon", "GET"): (200, 200, 200, 200, 200),
    ("main.set_language", "POST"): ("/events/",) * 5,
    ("main.dashboard", "GET"): (LOGIN, 200, 200, "/staff/", "/admin/"),
    ("auth.login", "GET"): (200, "/dashboard", "/dashboard", "/dashboard", "/dashboard"),
    ("auth.login", "POST"): (200, "/dashboard", "/dashboard", "/dashboard", "/dashboard"),
    ("auth.register", "GET"): (200, "/dashboard", "/dashboard", "/dashboard", "/dashboard"),
    ("auth.register", "POST"): (200, "/dashboard", "/dashboard", "/dashboard", "/dashboard"),
    ("auth.logout", "POST"): (LOGIN, "/", "/", "/", "/"),
    ("auth.verify_email", "GET"): ("/login", "/dashboard", "/dashboard", "/dashboard", "/dashboard"),
    ("auth.resend_verification", "POST"): (LOGIN, "/dashboard", "/dashboard", "/dashboard", "/dashboard"),
    ("auth.request_reset", "GET"): (200, 200, 200, 200, 200),
    ("auth.request_reset", "POST"): (200, 200, 200, 200, 200),
    ("auth.reset_password", "GET"): (200, 200, 200, 200, 200),
    ("auth.reset_password", "POST"): (200, 200, 200, 200, 200),
    ("auth.change_password", "GET"): (LOGIN, 200, 200, 200, 200),
    ("auth.change_password", "POST"): (LOGIN, 200, 200, 200, 200),
    ("consent.privacy", "GET"): (200, 200, 200, 200, 200),
    ("consent.ask", "GET"): (LOGIN, 200, 200, 200, 200),
    # Nothing ticked: members see the required boxes refused; staff are asked nothing, so their answer is saved.
    ("consent.ask", "POST"): (LOGIN, 200, 200, "/dashboard", "/dashboard"),
    ("profiles.settings", "GET"): (LOGIN, 200, 200, 200, 200),
    ("profiles.settings", "POST"): (LOGIN, "/settings", "/settings", "/settings", "/settings"),
    ("profiles.edit_profile", "GET"): (LOGIN, 200, 200, 403, 403),
    ("profiles.edit_profile", "POST"): (LOGIN, 200, 200, 403, 403),
    # A person's data (issue #16): downloads for everyone signed in; the erasure link of the world's company works
    # without signing in (it is the proof) and confirms once, then says the request is waiting.
    ("profiles.download_my_data_json", "POST"): (LOGIN, 200, 200, 200, 200),
    ("profiles.download_my_data_xlsx", "POST"): (LOGIN, 200, 200, 200, 200),
    ("profiles.ask_erasure", "POST"): (LOGIN, "/settings", "/settings", "/settings", "/settings"),
    ("profiles.confirm_erasure", "GET"): (200, 200, 200, 200, 200),
    ("profiles.confirm_erasure", "POST"): (200, 200, 200, 200, 200),
    ("events.index", "GET"): (200, 200, 200, 200, 200),
    ("events.detail", "GET"): (200, 200, 200, 200, 200),
    ("events.apply", "POST"): (LOGIN, "/events/{event}", "/events/{event}", 403, 403),
    ("events.withdraw", "POST"): (LOGIN, "/events/{event}", 404, 403, 403),
    ("meetings.counterparts", "GET"): (LOGIN, 200, 403, 403, 403),
    ("meetings.recommended", "GET"): (LOGIN, 200, 403, 403, 403),
    # The company cannot shortlist another company: told so, back on the directory.
    ("meetings.shortlist_star", "POST"): (LOGIN, "/events/{event}/participants#org-{org}", 403, 403, 403),
    ("meetings.calendar_feed", "GET"): (200, 200, 200, 200, 200),
    ("meetings.renew_calendar_link", "POST"): (LOGIN, "/settings", "/settings", 403, 403),
    ("meetings.new_request", "GET"): (LOGIN, "/events/{event}/participants", 403, 403, 403),
    ("meetings.new_request", "POST"): (LOGIN, "/events/{event}/participants", 403, 403, 403),
    ("meetings.availability", "GET"): (LOGIN, 200, 403, 403, 403),
    ("meetings.availability", "POST"): (LOGIN, 200, 403, 403, 403),
    ("meetings.requests", "GET"): (LOGIN, 200, 200, 403, 403),
    ("meetings.request_detail", "GET"): (LOGIN, 404, 200, 403, 403),
    ("meetings.request_detail", "POST"): (LOGIN, 404, 200, 403, 403),
    ("meetings.accept", "POST"): (LOGIN, 404, "/requests/{request}", 403, 403),
    ("meetings.decline", "POST"): (LOGIN, 404, "/requests/{request}", 403, 403),
    # An accepted meeting is cancelled from its confirmation page (with its token): a bare POST is sent there.
    ("meetings.cancel", "POST"): (LOGIN, 404, "/requests/{request}/cancel", 403, 403),
    ("meetings.cancel_preview", "GET"): (LOGIN, 404, 200, 403, 403),
    ("meetings.agenda", "GET"): (LOGIN, 200, 200, 403, 403),
    ("meetings.meeting_detail", "GET"): (LOGIN, 404, 200, 403, 403),
    # Changing a meeting's time: no slot, an empty ask (refused with the form again), no open proposal.
    ("meetings.propose_time", "POST"): (LOGIN, 404, "/meetings/{meeting}#change-time", 403, 403),
    ("meetings.ask_staff", "POST"): (LOGIN, 404, 400, 403, 403),
    ("meetings.ask_staff_again", "GET"): (LOGIN, 404, "/meetings/{meeting}#change-time", 403, 403),
    ("meetings.accept_time", "POST"): (LOGIN, 404, "/meetings/{meeting}#change-time", 403, 403),
    ("meetings.decline_time", "POST"): (LOGIN, 404, "/meetings/{meeting}#change-time", 403, 403),
    ("meetings.withdraw_time", "POST"): (LOGIN, 404, "/meetings/{meeting}#change-time", 403, 403),
    ("staff.ask_done", "POST"): (LOGIN, 403, 403, BOARD + "#change-asks", BOARD + "#change-asks"),
    ("meetings.thread", "GET"): (LOGIN, 404, 200, 403, 403),
    ("meetings.thread", "POST"): (LOGIN, 404, 200, 403, 403),  # an empty message: refused, the page says so
    ("staff.index", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.audit_log", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.audit_export", "GET"): (LOGIN, 403, 403, 200, 200),
    # Requests to erase data: the world's company asked; staff erase it, then the admin finds it handled already.
    ("staff.erasure_queue", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.erasure_request", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.erase_request", "POST"): (LOGIN, 403, 403, "/staff/privacy", "/staff/privacy/{erasure}"),
    ("staff.reject_request", "POST"): (LOGIN, 403, 403, 400, 400),  # no reason given: the page says so
    ("staff.person_data", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.person_data_json", "POST"): (LOGIN, 403, 403, 200, 200),
    ("staff.person_data_xlsx", "POST"): (LOGIN, 403, 403, 200, 200),
    # The world's other company works with no office yet (only admins see it) and has no members: erased.
    ("staff.erase_organization", "GET"): (LOGIN, 403, 403, 404, 200),
    ("staff.erase_organization", "POST"): (LOGIN, 403, 403, 404, "/staff/organizations/{org}"),
    ("staff.new_program", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.new_program", "POST"): (LOGIN, 403, 403, 200, 200),
    ("staff.program", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.edit_program", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.edit_program", "POST"): (
        LOGIN, 403, 403, "/staff/programs/{program}", "/staff/programs/{program}"
    ),
    ("staff.new_event", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.new_event", "POST"): (LOGIN, 403, 403, 200, 200),
    ("staff.event", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.edit_event", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.edit_event", "POST"): (LOGIN, 403, 403, "/staff/events/{event}", "/staff/events/{event}"),
    ("staff.event_requests", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.event_requests", "POST"): (LOGIN, 403, 403, 200, 200),
    ("staff.board", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.matrix", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.recompute", "POST"): (LOGIN, 403, 403, MATRIX_PAGE, MATRIX_PAGE),
    ("staff.send_suggestions", "POST"): (LOGIN, 403, 403, MATRIX_PAGE, MATRIX_PAGE),
    ("staff.run_scheduler", "POST"): (LOGIN, 403, 403, BOARD, BOARD),
    ("staff.run_status", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.stop_run", "POST"): (LOGIN, 403, 403, BOARD, BOARD),  # no run to stop: said on the board
    ("staff.publish", "POST"): (LOGIN, 403, 403, BOARD, BOARD),
    # Confirmation pages (what the action will do; a GET changes nothing).
    ("staff.publish_preview", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.suggestions_preview", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.absent_preview", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.reject_preview", "GET"): (LOGIN, 403, 403, 200, 200),
    # One decision on ticked applications: without a decision (approve or reject) the request is malformed.
    ("staff.bulk_decision_preview", "GET"): (LOGIN, 403, 403, 400, 400),
    ("staff.bulk_decide", "POST"): (LOGIN, 403, 403, 400, 400),
    # Cancelling a meeting: a POST without the confirmation page's token goes back to that page.
    ("staff.cancel_meeting_preview", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.cancel_meeting", "POST"): (LOGIN, 403, 403, "/staff/meetings/{meeting}/cancel",
                                       "/staff/meetings/{meeting}/cancel"),
    ("staff.move", "POST"): (LOGIN, 403, 403, BOARD, BOARD),
    ("staff.swap", "POST"): (LOGIN, 403, 403, BOARD, BOARD),
    ("staff.lock", "POST"): (LOGIN, 403, 403, BOARD, BOARD),
    ("staff.meeting_cells", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.drop_meeting", "POST"): (LOGIN, 403, 403, 400, 400),  # no cell given: refused, nothing moves
    ("staff.request_cells", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.place_request", "POST"): (LOGIN, 403, 403, 400, 400),  # no cell given: refused, nothing placed
    ("staff.undo_change", "POST"): (LOGIN, 403, 403, BOARD, BOARD),  # nothing to undo: said on the board
    ("staff.swap_choice", "GET"): (LOGIN, 403, 403, BOARD, BOARD),  # the day's only meeting: none to swap with
    ("staff.decide", "POST"): (LOGIN, 403, 403, "/staff/events/{event}", "/staff/events/{event}"),
    ("staff.organizations", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.organizations_export", "GET"): (LOGIN, 403, 403, 200, 200),
    # The other company never applied to the office's day: not one of its organizations.
    ("staff.organization", "GET"): (LOGIN, 403, 403, 404, 200),
    # user_id is the staff account: no contact person of any organization.
    ("staff.set_latin_name", "POST"): (LOGIN, 403, 403, 404, 404),
    ("staff.outbox", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.outbox_message", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.outbox_resend", "POST"): (LOGIN, 403, 403, "/staff/outbox/{message}", "/staff/outbox/{message}"),
    ("staff.outbox_discard", "POST"): (LOGIN, 403, 403, "/staff/outbox/{message}", "/staff/outbox/{message}"),
    ("staff.outbox_export", "GET"): (LOGIN, 403, 403, 200, 200),
    # --- imports, exports, registration review ---
    ("staff.import_participants", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.import_participants", "POST"): (LOGIN, 403, 403, 200, 200),  # no file: the form says so
    ("staff.import_template", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.import_batch", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.reread_import", "POST"): (LOGIN, 403, 403, 200, 200),  # no encoding chosen: the page says so
    ("staff.confirm_import", "POST"): (LOGIN, 403, 403, "/staff/imports/{batch}", "/staff/imports/{batch}"),
    ("staff.discard_import", "POST"): (
        LOGIN, 403, 403, "/staff/events/{event}/import", "/staff/events/{event}/import"
    ),
    ("staff.export_participants", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.export_requests", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.export_schedule", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.reviews", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.review", "POST"): (LOGIN, 403, 403, "/staff/reviews", "/staff/reviews"),  # decided already
    # --- the day: check-in, live board, printables, no-shows, walk-ins ---
    ("staff.checkin", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.check_in", "POST"): (LOGIN, 403, 403, CHECKIN_PAGE, CHECKIN_PAGE),
    ("staff.check_in_bulk", "POST"): (LOGIN, 403, 403, CHECKIN_PAGE, CHECKIN_PAGE),  # nobody ticked
    # Absent or no-show, not chosen: the participant's page again, at its meetings.
    ("staff.did_not_come", "GET"): (LOGIN, 403, 403, "/staff/participations/{participation}/day#meetings",
                                    "/staff/participations/{participation}/day#meetings"),
    ("staff.checkin_scan", "GET"): (LOGIN, 403, 403, 404, 404),  # the matrix's token is not a check-in code
    ("staff.checkin_scan", "POST"): (LOGIN, 403, 403, 404, 404),
    ("staff.participant_day", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.mark_absent", "POST"): (LOGIN, 403, 403, WALKINS_PAGE, WALKINS_PAGE),
    ("staff.record_missed", "POST"): (LOGIN, 403, 403, CHECKIN_PAGE, CHECKIN_PAGE),
    ("staff.walkins", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.place_walk_in", "POST"): (LOGIN, 403, 403, WALKINS_PAGE, WALKINS_PAGE),
    ("staff.live", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.live_rows", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.print_agendas", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.print_tables", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.print_briefs", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.noshows", "GET"): (LOGIN, 403, 403, 200, 200),
    ("meetings.print_agenda", "GET"): (LOGIN, 200, 200, 403, 403),
    ("meetings.checkin_pass", "GET"): (LOGIN, 404, 404, 404, 404),  # likewise
    # --- feedback and reports ---
    ("meetings.feedback_list", "GET"): (LOGIN, 200, 200, 403, 403),
    ("meetings.feedback", "GET"): (LOGIN, 404, "/meetings/{meeting}", 403, 403),  # not started yet
    ("meetings.feedback", "POST"): (LOGIN, 404, "/meetings/{meeting}", 403, 403),
    ("staff.reports", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.reports_export", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.refit_recommender", "POST"): (LOGIN, 403, 403, 403, "/staff/reports"),
    # --- meeting languages and interpreters ---
    ("staff.interpreters", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.interpreters", "POST"): (LOGIN, 403, 403, 200, 200),
    ("staff.remove_interpreters", "POST"): (
        LOGIN, 403, 403, "/staff/events/{event}/interpreters", "/staff/events/{event}/interpreters"
    ),
    ("staff.event_zones", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.event_consents", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.event_messages", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.event_thread", "GET"): (LOGIN, 403, 403, 200, 200),
    ("admin.index", "GET"): (LOGIN, 403, 403, 403, 200),
    ("admin.new_office", "GET"): (LOGIN, 403, 403, 403, 200),
    ("admin.new_office", "POST"): (LOGIN, 403, 403, 403, 200),
    ("admin.edit_office", "GET"): (LOGIN, 403, 403, 403, 200),
    ("admin.edit_office", "POST"): (LOGIN, 403, 403, 403, "/admin/"),
    ("admin.new_staff", "GET"): (LOGIN, 403, 403, 403, 200),
    ("admin.new_staff", "POST"): (LOGIN, 403, 403, 403, 200),
    ("admin.set_active", "POST"): (LOGIN, 403, 403, 403, "/admin/"),
    # The JSON API (/api/v1): a session cookie never authenticates it, so every signed-in browser gets 401 like
    # anonymous (tests/test_api_v1.py has the same matrix for tokens); the document and its docs page are public.
    ("api-docs.openapi_json", "GET"): (200, 200, 200, 200, 200),
    ("api_docs.docs", "GET"): (200, 200, 200, 200, 200),
    ("api_catalog.offices", "GET"): (401,) * 5,
    ("api_catalog.office", "GET"): (401,) * 5,
    ("api_catalog.programs", "GET"): (401,) * 5,
    ("api_catalog.program", "GET"): (401,) * 5,
    ("api_catalog.events", "GET"): (401,) * 5,
    ("api_catalog.event", "GET"): (401,) * 5,
    ("api_records.organizations", "GET"): (401,) * 5,
    ("api_records.organization", "GET"): (401,) * 5,
    ("api_records.meetings", "GET"): (401,) * 5,
    ("api_records.kpi", "GET"): (401,) * 5,
    ("api_requests.requests", "GET"): (401,) * 5,
    ("api_requests.request_detail", "GET"): (401,) * 5,
    ("api_requests.send", "POST"): (401,) * 5,
    ("api_requests.accept", "POST"): (401,) * 5,
    ("api_requests.decline", "POST"): (401,) * 5,
    ("api_requests.cancel", "POST"): (401,) * 5,
    ("api_engagement.event_feedback", "GET"): (401,) * 5,
    ("api_engagement.give_feedback", "POST"): (401,) * 5,
    ("api_engagement.meeting_feedback", "GET"): (401,) * 5,
    ("api_engagement.my_recommendations", "GET"): (401,) * 5,
    ("api_engagement.participant_recommendations", "GET"): (401,) * 5,
    ("api_figures.office_kpi", "GET"): (401,) * 5,
    ("api_figures.outbox_discard", "POST"): (401,) * 5,
    ("api_figures.outbox_message", "GET"): (401,) * 5,
    ("api_figures.outbox_messages", "GET"): (401,) * 5,
    ("api_figures.outbox_resend", "POST"): (401,) * 5,
    ("api_figures.outbox_summary", "GET"): (401,) * 5,
    ("api_figures.program_kpi", "GET"): (401,) * 5,
    ("api_figures.year_kpi", "GET"): (401,) * 5,
    ("api_import.batch", "GET"): (401,) * 5,
    ("api_import.confirm", "POST"): (401,) * 5,
    ("api_import.discard", "POST"): (401,) * 5,
    ("api_import.preview", "POST"): (401,) * 5,
    ("api_participations.apply", "POST"): (401,) * 5,
    ("api_participations.approve", "POST"): (401,) * 5,
    ("api_participations.approve_preview", "GET"): (401,) * 5,
    ("api_participations.participation", "GET"): (401,) * 5,
    ("api_participations.participations", "GET"): (401,) * 5,
    ("api_participations.reject", "POST"): (401,) * 5,
    ("api_participations.reject_preview", "GET"): (401,) * 5,
    ("api_requests.cancellation", "GET"): (401,) * 5,
    ("api_schedule.cancel", "POST"): (401,) * 5,
    ("api_schedule.cancellation", "GET"): (401,) * 5,
    ("api_schedule.meeting", "GET"): (401,) * 5,
    ("api_schedule.move", "POST"): (401,) * 5,
    ("api_schedule.swap", "POST"): (401,) * 5,
    # Settings → API tokens: everyone signed in has their own; the token in the world is the company's, which only
    # the company revokes (the others are told there is no such token, back on their own list).
    ("api_settings.tokens", "GET"): (LOGIN, 200, 200, 200, 200),
    ("api_settings.tokens", "POST"): (LOGIN, 200, 200, 200, 200),  # no name: the form says so
    ("api_settings.revoke", "POST"): (LOGIN,) + ("/settings/api-tokens",) * 4,
    # Webhooks (issue 17): the world's endpoint belongs to the staff member's office. An empty add form is refused on
    # the page; an empty edit form saves the endpoint as it is; staff delete it, so the admin finds nothing after.
    ("staff.webhooks", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.webhooks", "POST"): (LOGIN, 403, 403, 200, 200),
    ("staff.webhook", "GET"): (LOGIN, 403, 403, 200, 200),
    ("staff.webhook", "POST"): (LOGIN, 403, 403, "/staff/webhooks/{endpoint}", "/staff/webhooks/{endpoint}"),
    ("staff.redeliver_webhook", "POST"): (LOGIN, 403, 403, "/staff/webhooks/{endpoint}", "/staff/webhooks/{endpoint}"),
    ("staff.delete_webhook", "POST"): (LOGIN, 403, 403, "/staff/webhooks", 404),
}

# Harmless form data for the POST routes that need some; the rest get an empty form, which edit
# forms fill from the object itself (Flask-WTF ignores empty form data), so they save it unchanged.
POST_DATA = {
    "main.set_language": {"lang": "en", "next": "/events/"},
    "admin.set_active": {"active": "1"},  # the staff user is active already
    "staff.run_scheduler": {"time_limit": "1"},  # refused (5 to 600 seconds): no run starts
    "staff.move": {"slot": "9999"},  # not a slot of the day: nothing moves
    "staff.mark_absent": {"reason": "illness"},  # the company has no meeting: nothing is cancelled
}


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch):
    """These tests create and sign in hundreds of users; test_security checks the real hashing."""
    cheap = partial(generate_password_hash, method="pbkdf2:sha256:1")
    monkeypatch.setattr("matchmaker.models.user.generate_password_hash", cheap)


@dataclass
class World:
    users: dict[str, User | None]
    args: dict[str, int]  # URL argument name -> id of a real object


@pytest.fixture
def world(make_office, make_program, make_event, make_org, make_user, make_participation, make_request, add_meeting):
    office = make_office()
    program = make_program(office)
    event = make_event(program, published=True)
    company, partner = make_user(Role.COMPANY, PASSWORD), make_user(Role.PARTNER, PASSWORD)
    staff = make_user(Role.STAFF, PASSWORD, office_id=office.id)
    admin = make_user(Role.ADMIN, PASSWORD)
    other_company = make_org(OrgKind.COMPANY)
    participation = make_participation(event, company.organization)
    request = make_request(event, other_company, partner.organization, status=RequestStatus.ACCEPTED)
    meeting = add_meeting(request)
    message = OutboxMessage(
        kind="test", to_address=company.email, subject="Hello", body_text="Hello", message_id="<t@test>"
    )
    batch = ImportBatch(office_id=office.id, event_id=event.id, filename="participants.csv", rows=[])
    erasure = ErasureRequest(user_id=company.id)
    db.session.add_all([message, batch, erasure])
    api_token, _plain = api_tokens.create(company, "matrix")
    endpoint = webhooks.create(staff, office.id, "http://127.0.0.1:9/hooks", ["request.declined"])
    delivery = WebhookDelivery(endpoint=endpoint, event_type="request.declined", payload={},
                               status=WebhookStatus.FAILED)
    db.session.add(delivery)
    db.session.commit()
    args = dict(
        office_id=office.id, program_id=program.id, event_id=event.id, participation_id=participation.id,
        org_id=other_company.id, request_id=request.id, meeting_id=meeting.id, message_id=message.id,
        user_id=staff.id, batch_id=batch.id, erasure_id=erasure.id, person_id=company.id,
        token_id=api_token.id, endpoint_id=endpoint.id, delivery_id=delivery.id, year=event.date.year,
    )
    users = dict(anonymous=None, company=company, partner=partner, staff=staff, admin=admin)
    return World(users=users, args=args)


def url_of(app, endpoint: str, world: World) -> str:
    (rule,) = app.url_map.iter_rules(endpoint)
    values = {name: world.args[name] for name in rule.arguments if name != "token"}
    if endpoint == "meetings.calendar_feed":
        # The feed's secret is its only key: whoever holds the company's link reads the company's feed.
        values["token"] = feed_token(world.users["company"])
        db.session.commit()
    elif "token" in rule.arguments:
        make_token = {"auth.verify_email": make_verify_token,
                      "profiles.confirm_erasure": make_erasure_token}.get(endpoint, make_reset_token)
        values["token"] = make_token(world.users["company"])
    with app.test_request_context():
        return url_for(endpoint, **values)


def test_role_matrix_covers_every_route(app):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert set(MATRIX) == routes, "every route needs a row in MATRIX, and every row a route"


def expected_outcome(expected, url: str, world: World) -> tuple[int, str | None]:
    if expected == LOGIN:
        return 302, "/login?" + urlencode({"next": url})
    if isinstance(expected, str):
        return 302, expected.format(**{name.removesuffix("_id"): id_ for name, id_ in world.args.items()})
    return expected, None


def visit(app, user: User | None, method: str, url: str, data: dict) -> tuple[int, str | None]:
    """Open `url` in a fresh browser, signed in as `user`; the status and the redirect target.

    The test's app context is shared by every request made inside it, and Flask-Login caches the
    signed-in user in `g`; a fresh context per visit keeps one role from leaking into the next.
    """
    email = user.email if user is not None else None
    with app.app_context():
        client = app.test_client()
        if email is not None:
            assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
        response = client.open(url, method=method, data=data)
    return response.status_code, response.headers.get("Location")


@pytest.mark.parametrize(("endpoint", "method"), list(MATRIX), ids=[f"{e}-{m}" for e, m in MATRIX])
def test_route_status_by_role(app, world, endpoint, method):
    url = url_of(app, endpoint, world)
    row = zip(ROLES, MATRIX[endpoint, method], strict=True)
    expected = {role: expected_outcome(x, url, world) for role, x in row}

    actual = {role: visit(app, world.users[role], method, url, POST_DATA.get(endpoint, {})) for role in ROLES}

    assert actual == expected


# --- office scoping ------------------------------------------------------------------------------

# Pages of one office's programs: staff of another office may not open them; office-less staff may.
OFFICE_ENDPOINTS = {
    "staff.program", "staff.edit_program", "staff.new_event", "staff.event", "staff.edit_event",
    "staff.event_requests", "staff.decide", "staff.board", "staff.run_scheduler", "staff.run_status",
    "staff.stop_run", "staff.publish",
    "staff.move", "staff.swap", "staff.lock", "staff.meeting_cells", "staff.drop_meeting", "staff.request_cells",
    "staff.place_request", "staff.undo_change", "staff.swap_choice",
    "staff.matrix", "staff.recompute", "staff.send_suggestions",
    "staff.checkin", "staff.check_in", "staff.participant_day", "staff.mark_absent", "staff.record_missed",
    "staff.walkins", "staff.place_walk_in", "staff.live", "staff.live_rows", "staff.print_agendas",
    "staff.print_tables", "staff.print_briefs",
    "staff.import_participants", "staff.import_template", "staff.import_batch", "staff.confirm_import",
    "staff.reread_import", "staff.discard_import", "staff.export_participants", "staff.export_requests",
    "staff.export_schedule",
    "staff.review", "staff.ask_done",
    "staff.interpreters", "staff.remove_interpreters", "staff.event_zones", "staff.event_consents",
    "staff.event_messages", "staff.event_thread",
    "staff.publish_preview", "staff.suggestions_preview", "staff.absent_preview", "staff.reject_preview",
    "staff.cancel_meeting_preview", "staff.cancel_meeting", "staff.check_in_bulk", "staff.did_not_come",
    "staff.webhook", "staff.redeliver_webhook", "staff.delete_webhook",
}
OFFICE_PAGES = [(endpoint, method) for endpoint, method in MATRIX if endpoint in OFFICE_ENDPOINTS]


@pytest.mark.parametrize(("endpoint", "method"), OFFICE_PAGES, ids=[f"{e}-{m}" for e, m in OFFICE_PAGES])
def test_staff_of_another_office_gets_403(app, world, make_office, make_user, endpoint, method):
    outsider = make_user(Role.STAFF, PASSWORD, office_id=make_office().id)
    everywhere = make_user(Role.STAFF, PASSWORD, office_id=None)
    url = url_of(app, endpoint, world)

    data = POST_DATA.get(endpoint, {})
    assert visit(app, outsider, method, url, data) == (403, None)
    as_staff = MATRIX[endpoint, method][ROLES.index("staff")]
    assert visit(app, everywhere, method, url, data) == expected_outcome(as_staff, url, world)


# --- id guessing -------------------------------------------------------------------------------

@pytest.fixture
def rivals(make_event, make_org, make_user, make_request, add_meeting):
    """Companies A and B, a partner both meet, and a partner only B deals with."""
    event = make_event(published=True)
    a, b = make_user(Role.COMPANY), make_user(Role.COMPANY)
    shared = make_org(OrgKind.INVESTOR, name="Shared Ventures")
    secret = make_org(OrgKind.BUYER, name="Secretive Buyer Inc")
    b.organization.name = "Rival Robotics"
    db.session.commit()
    accepted = RequestStatus.ACCEPTED
    a_shared = make_request(event, a.organization, shared, status=accepted)
    b_shared = make_request(event, shared, b.organization, status=accepted)
    b_secret = make_request(event, b.organization, secret, status=accepted)
    make_request(event, make_org(OrgKind.BUYER), a.organization)  # requested, no meeting
    add_meeting(a_shared, slot=0)
    add_meeting(b_shared, slot=1)
    add_meeting(b_secret, slot=0)
    return a, b


@pytest.mark.parametrize("kind", ["requests", "meetings"])
def test_member_reads_only_own_objects_when_guessing_ids(client, auth, rivals, kind):
    a, _ = rivals
    model = MeetingRequest if kind == "requests" else Meeting
    auth.login(a)
    statuses, expected = {}, {}
    for obj in db.session.scalars(db.select(model)).all():
        request = obj if kind == "requests" else obj.request
        statuses[obj.id] = client.get(f"/{kind}/{obj.id}").status_code
        expected[obj.id] = 200 if request.involves(a.organization_id) else 404
    assert statuses == expected
    assert sorted(expected.values()) == ([200, 200, 404, 404] if kind == "requests" else [200, 404, 404])


@pytest.mark.parametrize("action", ["", "/accept", "/decline", "/cancel"])
def test_member_cannot_act_on_others_requests_when_guessing_ids(client, auth, rivals, action):
    a, _ = rivals
    others = db.session.scalars(
        db.select(MeetingRequest).where(
            MeetingRequest.from_org_id != a.organization_id, MeetingRequest.to_org_id != a.organization_id
        )
    ).all()
    before = {item.id: (item.status, item.message) for item in others}
    auth.login(a)
    edit = {"edit-message": "hi", "edit-submit": "Send"}  # what the request page's edit form sends
    statuses = {item.id: client.post(f"/requests/{item.id}{action}", data=edit).status_code
                for item in others}
    db.session.expire_all()
    assert statuses == {item.id: 404 for item in others}
    assert {item.id: (item.status, item.message) for item in others} == before


@pytest.mark.parametrize("kind", ["requests", "meetings"])
def test_member_gets_404_for_ids_that_do_not_exist(client, auth, rivals, kind):
    auth.login(rivals[0])
    assert client.get(f"/{kind}/999999").status_code == 404


def test_meeting_of_unpublished_event_is_404_for_its_own_members(client, auth, make_event, make_user,
                                                                  make_org, make_request, add_meeting):
    a = make_user(Role.COMPANY)
    request = make_request(make_event(published=False), a.organization, make_org(OrgKind.INVESTOR),
                           status=RequestStatus.ACCEPTED)
    meeting = add_meeting(request)
    auth.login(a)
    assert client.get(f"/meetings/{meeting.id}").status_code == 404
    assert client.get(f"/requests/{request.id}").status_code == 200


@pytest.mark.parametrize("path", ["/dashboard", "/requests", "/agenda"])
def test_member_lists_never_show_rivals_partners(client, auth, rivals, path):
    a, _ = rivals
    auth.login(a)
    page = client.get(path)
    assert page.status_code == 200
    assert b"Shared Ventures" in page.data  # A's own counterpart is listed
    assert b"Secretive Buyer Inc" not in page.data
    assert b"Rival Robotics" not in page.data
