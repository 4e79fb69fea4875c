"""Walk-ins: the slots no-shows freed, the recommender's candidates for each (`services.walkins`), and placing
one."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.access import get_or_none
from matchmaker.models import Organization
from matchmaker.services import dayops as dayops_service
from matchmaker.services import walkins as walkin_service
from matchmaker.staff.blueprint import bp
from matchmaker.staff.forms.dayops import WalkInForm
from matchmaker.staff.scope import day_now, office_event
from matchmaker.web import perform

SHOWN = 8  # candidates listed per freed slot


@bp.get("/events/<int:event_id>/walkins")
def walkins(event_id: int):
    """Every freed slot of the day that is not over (or one: `?org=<counterpart>&slot=<n>`)."""
    event = office_event(event_id)
    org_id = request.args.get("org", type=int)
    slot_index = request.args.get("slot", type=int)
    freed = [
        f for f in dayops_service.freed_slots(event, day_now(event))
        if (org_id is None or f.counterpart.id == org_id) and (slot_index is None or f.slot.index == slot_index)
    ]
    scorer = walkin_service.PairScorer(event)
    offers = [(f, walkin_service.walk_in_candidates(event, f.counterpart, f.slot, scorer)[:SHOWN]) for f in freed]
    return render_template("staff/walkins/walkins.html", event=event, offers=offers, form=WalkInForm(),
                           filtered=org_id is not None or slot_index is not None)


@bp.post("/events/<int:event_id>/walkins")
def place_walk_in(event_id: int):
    event = office_event(event_id)
    form = WalkInForm()
    slots = {s.index: s for s in event.slots()}
    if not form.validate_on_submit() or form.slot.data not in slots:
        flash(_("Choose a candidate from the list."), "error")
        return redirect(url_for("staff.walkins", event_id=event.id))
    org = get_or_none(Organization, form.org_id.data)
    candidate = get_or_none(Organization, form.candidate_id.data)
    if org is None or candidate is None:
        flash(_("Choose a candidate from the list."), "error")
        return redirect(url_for("staff.walkins", event_id=event.id))
    perform(lambda: walkin_service.place_walk_in(current_user, event, org, candidate, slots[form.slot.data]),
            lambda meeting: _("Walk-in meeting placed: %(a)s and %(b)s, %(table)s.", a=org.display_name,
                              b=candidate.display_name,
                              table=_where(meeting)))
    return redirect(url_for("staff.walkins", event_id=event.id))


def _where(meeting) -> str:
    """Where a walk-in meeting sits: its table, its virtual room (online), or online."""
    if meeting.table_label and meeting.event.mode.value == "online":
        return _("online, %(room)s", room=meeting.table_label)
    return _("Table %(t)s", t=meeting.table_label) if meeting.table_label else _("online")
