"""Staff page "Consents" of a day: the participants hidden from the other side because none of their people has
agreed to the provision of their profile yet (imported by staff, not signed in since), with each person's last
sign-in. It reads; it changes nothing."""

from flask import render_template

from matchmaker.services import consents
from matchmaker.staff.blueprint import bp
from matchmaker.staff.scope import office_event


@bp.get("/events/<int:event_id>/consents")
def event_consents(event_id: int):
    event = office_event(event_id)
    return render_template("staff/consents/list.html", event=event, rows=consents.without_provision(event))
