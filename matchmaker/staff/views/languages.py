"""Staff pages for meeting languages: interpreters per language pair and slot, and the working hours of the
participants' time zones on the day."""

from collections import Counter

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.access import db_id
from matchmaker.domain import overlap as overlap_chart
from matchmaker.domain.languages import MEETING_LANGUAGES, normalize
from matchmaker.domain.timefmt import city_name
from matchmaker.domain.zones import organization_zone
from matchmaker.fields import options
from matchmaker.formatting import language_name
from matchmaker.i18n import format_clock, format_instant, viewer_locale
from matchmaker.models import Event
from matchmaker.services import interpreters as service
from matchmaker.services.events import approved_participations
from matchmaker.staff.blueprint import bp
from matchmaker.staff.forms.languages import ALL_SLOTS, InterpreterForm
from matchmaker.staff.scope import office_event
from matchmaker.web import perform


def _approved(event: Event):
    return [p.organization for p in approved_participations(event)]


def _languages(event: Event) -> list[str]:
    listed = normalize(code for org in _approved(event) for code in (org.languages or []))
    return normalize([*MEETING_LANGUAGES, *listed])


def _form(event: Event) -> InterpreterForm:
    form = InterpreterForm()
    choices = options(sorted(((c, f"{language_name(c)} ({c})") for c in _languages(event)), key=lambda x: x[1]))
    form.language_a.choices = choices
    form.language_b.choices = choices
    form.slot.choices = options(
        [(ALL_SLOTS, _("Every slot"))] + [(str(s.index), format_instant(s.start)) for s in event.slots()]
    )
    return form


def zone_counts(event: Event) -> Counter:
    """Approved participants per time zone (the organization's zone, or its first user's)."""
    counts: Counter = Counter()
    for org in _approved(event):
        zone = organization_zone(org)
        if zone:
            counts[zone] += 1
    return counts


def overlap_context(event: Event) -> dict:
    """The working-hours chart of the participants' zones across the event's day, and its table."""
    counts = zone_counts(event)
    if not counts:
        return {"overlap": None}
    data = overlap_chart.working_overlap(event.date, event.timezone, counts)
    locale = viewer_locale()
    labels = {
        row.zone: _("%(city)s (%(n)d)", city=city_name(row.zone, locale), n=row.people) for row in data.rows
    }
    window = data.shared_window()
    if window:
        description = _("Hours shared by every zone: %(start)s – %(end)s.",
                        start=format_clock(window[0], event.timezone), end=format_clock(window[1], event.timezone))
    else:
        description = _("No hour falls within working hours in every zone.")
    svg = overlap_chart.chart_svg(
        data, labels,
        title=_("Working hours (09:00–18:00 local) of the participants' time zones"),
        description=description,
        axis_label=_("Hours in %(city)s", city=city_name(event.timezone, locale)),
    )
    return {"overlap": data, "overlap_svg": svg, "overlap_labels": labels, "overlap_window": window,
            "overlap_counts": data.people_working, "overlap_shared": data.shared}


@bp.route("/events/<int:event_id>/interpreters", methods=["GET", "POST"])
def interpreters(event_id: int):
    """Language pairs that need interpreters, and how many interpreters staff have per pair and slot."""
    event = office_event(event_id)
    form = _form(event)
    needs = service.needs(event)
    if request.method == "GET":  # offer the first pair still without interpreters rather than German twice
        first = next((need["pair"] for need in needs if need["default"] is None), None)
        if first:
            form.language_a.data, form.language_b.data = first
    if form.validate_on_submit():
        slots = {str(s.index): s for s in event.slots()}
        start = None if form.slot.data == ALL_SLOTS else slots[form.slot.data].start
        if perform(lambda: service.set_capacity(current_user, event, form.language_a.data, form.language_b.data,
                                                form.count.data, start), _("The interpreters are saved.")):
            return redirect(url_for("staff.interpreters", event_id=event.id))
    return render_template(
        "staff/languages/interpreters.html", event=event, form=form, needs=needs,
        rows=service.rows(event), **overlap_context(event),
    )


@bp.post("/events/<int:event_id>/interpreters/remove")
def remove_interpreters(event_id: int):
    event = office_event(event_id)
    perform(lambda: service.remove_capacity(current_user, event, request.form.get("row_id", type=db_id)),
            _("The interpreter entry is removed."))
    return redirect(url_for("staff.interpreters", event_id=event.id))


@bp.get("/events/<int:event_id>/zones")
def event_zones(event_id: int):
    """Where the participants are: their working hours across the event's day."""
    event = office_event(event_id)
    return render_template("staff/languages/zones.html", event=event, **overlap_context(event))
