"""Staff's webhooks: the endpoints of their office (all for admins) with a form to add one, an endpoint's edit page
and delivery log, delete, and redeliver (rules in `services.webhooks`)."""

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.access import get_or_404
from matchmaker.fields import options
from matchmaker.models import WebhookDelivery, WebhookEndpoint
from matchmaker.services import webhooks as service
from matchmaker.staff.blueprint import bp
from matchmaker.staff.forms.webhooks import WebhookForm
from matchmaker.staff.scope import check_office, offices
from matchmaker.web import perform


def _form(endpoint: WebhookEndpoint | None = None) -> WebhookForm:
    form = WebhookForm(obj=endpoint)
    form.office_id.choices = options((o.id, o.name) for o in offices())
    form.events.choices = options(service.EVENT_LABELS.items())
    return form


def _endpoint(endpoint_id: int) -> WebhookEndpoint:
    endpoint = get_or_404(WebhookEndpoint, endpoint_id)
    check_office(endpoint.office_id)
    return endpoint


@bp.route("/webhooks", methods=["GET", "POST"])
def webhooks():
    form = _form()
    if form.validate_on_submit():
        check_office(form.office_id.data)
        done = perform(lambda: service.create(current_user, form.office_id.data, form.url.data, form.events.data,
                                              form.secret.data),
                       _("The endpoint is saved: the events you chose are sent to it from now on."),
                       error_field=form.url)
        if done:
            return redirect(url_for("staff.webhook", endpoint_id=done.value.id))
    return render_template("staff/webhooks/list.html", endpoints=service.endpoints_of(current_user), form=form,
                           labels=service.EVENT_LABELS)


@bp.route("/webhooks/<int:endpoint_id>", methods=["GET", "POST"])
def webhook(endpoint_id: int):
    """An endpoint: its settings (the secret is shown here, to whoever manages the office) and its delivery log."""
    endpoint = _endpoint(endpoint_id)
    form = _form(endpoint)
    form.office_id.choices = options([(endpoint.office_id, endpoint.office.name)])  # an endpoint stays in its office
    if form.validate_on_submit() and perform(
            lambda: service.update(current_user, endpoint, form.url.data, form.events.data, form.active.data,
                                   form.secret.data),
            _("The endpoint is saved."), error_field=form.url):
        return redirect(url_for("staff.webhook", endpoint_id=endpoint.id))
    return render_template("staff/webhooks/endpoint.html", endpoint=endpoint, form=form,
                           deliveries=service.deliveries(endpoint), labels=service.EVENT_LABELS,
                           statuses=service.STATUS_LABELS)


@bp.post("/webhooks/<int:endpoint_id>/delete")
def delete_webhook(endpoint_id: int):
    endpoint = _endpoint(endpoint_id)
    perform(lambda: service.delete(current_user, endpoint), _("The endpoint is deleted, with its delivery log."))
    return redirect(url_for("staff.webhooks"))


@bp.post("/webhooks/deliveries/<int:delivery_id>/redeliver")
def redeliver_webhook(delivery_id: int):
    delivery = get_or_404(WebhookDelivery, delivery_id)
    check_office(delivery.endpoint.office_id)
    perform(lambda: service.redeliver(current_user, delivery), _("The event is sent again in a moment."))
    return redirect(url_for("staff.webhook", endpoint_id=delivery.endpoint_id))
