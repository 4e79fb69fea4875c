"""A day's meeting requests, and staff's forced and forbidden pairs (a company and an investor or buyer who must,
or must not, meet); the day's recommendations are computed again after a rule changes."""

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.fields import options
from matchmaker.models import Event
from matchmaker.services import day_pairs, recommendations
from matchmaker.services import meetings as meeting_service
from matchmaker.staff.blueprint import bp
from matchmaker.staff.forms.pair_rules import PairRuleForm
from matchmaker.staff.scope import office_event
from matchmaker.web import perform


def _set_rule(event: Event, form: PairRuleForm):
    company, partner = day_pairs.pair(form.company_id.data, form.partner_id.data)
    meeting_service.set_pair_rule(current_user, event, company, partner, form.rule_kind())
    recommendations.schedule_recompute([event.id])  # once the rule is committed


@bp.route("/events/<int:event_id>/requests", methods=["GET", "POST"])
def event_requests(event_id: int):
    """The day's requests (all, or of one `status`: see `day_pairs.REQUEST_FILTERS`), and staff's forced and
    forbidden pairs."""
    event = office_event(event_id)
    companies, partners = day_pairs.approved_sides(event)
    form = PairRuleForm()
    form.company_id.choices = options((o.id, o.display_name) for o in companies)
    form.partner_id.choices = options((o.id, o.display_name) for o in partners)
    if form.validate_on_submit() and perform(lambda: _set_rule(event, form), _("The rule is saved.")):
        return redirect(url_for("staff.event_requests", event_id=event.id))
    status = request.args.get("status")
    status = status if status in day_pairs.REQUEST_FILTERS else None
    return render_template(
        "staff/pair_rules/requests.html", event=event, requests=day_pairs.requests_of(event, status), status=status,
        rules=day_pairs.rules_of(event), names={o.id: o.display_name for o in day_pairs.approved(event)}, form=form,
    )
