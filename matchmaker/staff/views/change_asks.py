"""Members' asks for a change of a meeting on days staff schedule (`services.proposals`): listed on the schedule
board, marked done here once staff have acted (they move the meeting with the board's own forms)."""

from flask import redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.access import db_id, get_or_404
from matchmaker.models import Meeting
from matchmaker.services import proposals
from matchmaker.staff.blueprint import bp
from matchmaker.staff.scope import check_office
from matchmaker.web import perform


@bp.post("/meetings/<int:meeting_id>/ask/done")
def ask_done(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    check_office(meeting.event.program.office_id)
    perform(lambda: proposals.mark_done(current_user, meeting, request.form.get("proposal", type=db_id)),
            _("The request is marked as done."))
    return redirect(url_for("staff.board", event_id=meeting.event_id) + "#change-asks")
