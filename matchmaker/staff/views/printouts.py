"""Printables for the day: every participant's agenda (each in its own language, the page
`meetings.printing.agenda_page` also prints for members), the table lists per slot, and a one-page brief per
company for the investors and buyers."""

from flask import current_app, render_template, request, url_for
from flask_babel import force_locale

from matchmaker.enums import OrgKind
from matchmaker.meetings.printing import agenda_page
from matchmaker.models import Event, Participation
from matchmaker.services import checkin as checkin_service
from matchmaker.services.events import approved_participations
from matchmaker.services.live_board import table_lists
from matchmaker.staff.blueprint import bp
from matchmaker.staff.scope import office_event


def _approved(event: Event, kinds=None) -> list[Participation]:
    return sorted(
        (p for p in approved_participations(event) if kinds is None or p.organization.kind in kinds),
        key=lambda p: (p.organization.name, p.id),
    )


@bp.get("/events/<int:event_id>/print/agendas")
def print_agendas(event_id: int):
    event = office_event(event_id)
    pages = [agenda_page(p, staff_copy=True) for p in _approved(event)]
    return render_template("meetings/print/agendas.html", pages=pages, event=event,
                           back=url_for("staff.event", event_id=event.id))


@bp.get("/events/<int:event_id>/print/tables")
def print_tables(event_id: int):
    """Per slot, who sits at which table (slots without meetings left out)."""
    event = office_event(event_id)
    return render_template("staff/printouts/tables.html", event=event, slots=table_lists(event))


@bp.get("/events/<int:event_id>/print/briefs")
def print_briefs(event_id: int):
    """One page per company, for the investors and buyers: in the staff member's language, or `?lang=`."""
    event = office_event(event_id)
    lang = request.args.get("lang")
    companies = [
        (p, checkin_service.meetings_of(event, p.organization_id)) for p in _approved(event, (OrgKind.COMPANY,))
    ]
    if lang in current_app.config["LANGUAGES"]:
        with force_locale(lang):
            return render_template("staff/printouts/briefs.html", event=event, companies=companies, lang=lang)
    return render_template("staff/printouts/briefs.html", event=event, companies=companies, lang=None)
