"""A scheduler run while it works, on the board: how long it has worked, the best schedule so far and the bound
(`run_progress_texts`, shown by `_scheduler.html` and refreshed every second by static/js/run-progress.js from
`run_status`), and Stop (`stop_run`: a queued run is cancelled, a running one keeps the best schedule found).
The worker writes the progress (`tasks.run_progress`); starting a run is `schedule_board.run_scheduler`."""

from flask import jsonify, redirect, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from matchmaker.database import utcnow
from matchmaker.enums import RunStatus
from matchmaker.models import ScheduleRun
from matchmaker.services import schedule_board
from matchmaker.services import schedule_runs as runs
from matchmaker.staff.blueprint import bp
from matchmaker.staff.scope import office_event
from matchmaker.web import perform


@bp.app_template_global()
def run_progress_texts(run: ScheduleRun) -> dict[str, str]:
    """What the board says of an active run, in the reader's language: `elapsed`, `best` (the best schedule so
    far), `bound` (what no schedule can beat; empty while unknown), `stopping` (empty unless Stop was asked)."""
    texts = {"elapsed": "", "best": "", "bound": "", "stopping": ""}
    if run.status == RunStatus.QUEUED:
        texts["elapsed"] = _("Waiting for a worker to take the run up.")
        return texts
    seconds = int((utcnow() - run.started_dt).total_seconds()) if run.started_dt else 0
    texts["elapsed"] = ngettext("Working for %(num)d second.", "Working for %(num)d seconds.", max(0, seconds))
    p = run.progress
    if not p:
        texts["best"] = _("No schedule yet: the scheduler is reading the day.")
    else:
        texts["best"] = _("Best so far: %(placed)s, %(breaks)s.",
                          placed=ngettext("%(num)d meeting placed", "%(num)d meetings placed", p["placed"]),
                          breaks=ngettext("%(num)d break", "%(num)d breaks", p["breaks"]))
        bounds = []
        if p.get("weight_bound") is not None:
            bounds.append(_("meeting weight %(weight)d of at most %(bound)d (a meeting weighs 1 plus its priority)",
                            weight=p["weight"], bound=p["weight_bound"]))
        bounds.append(ngettext("no schedule placing as much has fewer than %(num)d break",
                               "no schedule placing as much has fewer than %(num)d breaks", p["breaks_bound"]))
        texts["bound"] = _("Bound: %(bounds)s.", bounds="; ".join(bounds))
    if run.stop_requested_dt is not None:
        texts["stopping"] = _("Stopping: the best schedule found so far will be kept.")
    return texts


@bp.get("/events/<int:event_id>/schedule/run.json")
def run_status(event_id: int):
    """The day's latest run for the board's script: its status, whether it still works, what the panel says."""
    event = office_event(event_id)
    run = schedule_board.latest_run(event.id)
    if run is None:
        return jsonify(status=None, active=False)
    active = run.status in runs.ACTIVE
    return jsonify(status=run.status.value, active=active, progress=run.progress,
                   stop_requested=run.stop_requested_dt is not None,
                   texts=run_progress_texts(run) if active else None)


@bp.post("/events/<int:event_id>/schedule/stop")
def stop_run(event_id: int):
    event = office_event(event_id)
    perform(lambda: runs.stop_run(current_user, event),
            lambda run: _("The run is cancelled: it had not started.") if run.status == RunStatus.FAILED
            else _("The scheduler stops and keeps the best schedule found so far."))
    return redirect(url_for("staff.board", event_id=event.id))
