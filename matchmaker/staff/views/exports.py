"""Excel files of a matchmaking day: the empty import template, and the day's participants, meeting requests
and schedule (built by `services.exports`, times in the viewer's zone)."""

import io

from flask import send_file

from matchmaker.i18n import viewer_zone
from matchmaker.services import exports
from matchmaker.staff.blueprint import bp
from matchmaker.staff.scope import office_event

EXPORTS = {
    "participants": exports.participants_workbook,
    "requests": lambda event: exports.requests_workbook(event, viewer_zone()),
    "schedule": lambda event: exports.schedule_workbook(event, viewer_zone()),
}


def _xlsx(data: bytes, name: str):
    return send_file(io.BytesIO(data), mimetype=exports.XLSX_MIME, as_attachment=True, download_name=name)


@bp.get("/events/<int:event_id>/import/template.xlsx")
def import_template(event_id: int):
    office_event(event_id)
    return _xlsx(exports.template_workbook(), "participants-template.xlsx")


def _export(event_id: int, what: str):
    event = office_event(event_id)
    return _xlsx(EXPORTS[what](event), f"{event.date.isoformat()}-event-{event.id}-{what}.xlsx")


@bp.get("/events/<int:event_id>/export/participants.xlsx")
def export_participants(event_id: int):
    return _export(event_id, "participants")


@bp.get("/events/<int:event_id>/export/requests.xlsx")
def export_requests(event_id: int):
    return _export(event_id, "requests")


@bp.get("/events/<int:event_id>/export/schedule.xlsx")
def export_schedule(event_id: int):
    return _export(event_id, "schedule")
