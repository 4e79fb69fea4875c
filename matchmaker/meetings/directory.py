"""The participants directory of a day (the other side's approved organizations, filtered and searched by
`services.directory`) and the member's shortlist star on each of them (`services.shortlist`, changed only
through `matchmaker.web.perform`)."""

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.access import get_or_404, member_required
from matchmaker.meetings.routes import bp, my_event
from matchmaker.models import Organization
from matchmaker.services import meetings as meetings_service
from matchmaker.services import shortlist
from matchmaker.services.directory import directory_page
from matchmaker.web import perform

# The directory's own query-string keys: a shortlist star sends the reader back to the list as it was filtered.
KEPT_ARGS = ("q", "kind", "sector", "stage", "country", "language", "shortlisted")


@bp.get("/events/<int:event_id>/participants")
@member_required
def counterparts(event_id: int):
    """The approved organizations of the other side, filtered, with my shortlist and what I already asked them."""
    event = my_event(event_id)
    page = directory_page(event, current_user.organization, request.args)
    existing = meetings_service.requests_by_counterpart(event.id, current_user.organization_id)
    return render_template("meetings/counterparts.html", event=event, page=page, orgs=page.orgs, existing=existing,
                           kept={key: request.args[key] for key in KEPT_ARGS if request.args.get(key)})


@bp.post("/events/<int:event_id>/shortlist/<int:org_id>")
@member_required
def shortlist_star(event_id: int, org_id: int):
    """Put an organization on my shortlist or take it off (`on` = 1 or 0: the state asked for)."""
    event = my_event(event_id)
    target = get_or_404(Organization, org_id)
    on = request.form.get("on") == "1"
    perform(lambda: shortlist.set_shortlisted(current_user, event, target, on),
            _("%(name)s is on your shortlist.", name=target.display_name) if on
            else _("%(name)s is no longer on your shortlist.", name=target.display_name))
    kept = {key: request.form[key] for key in KEPT_ARGS if request.form.get(key)}
    return redirect(url_for("meetings.counterparts", event_id=event.id, **kept) + f"#org-{target.id}")
