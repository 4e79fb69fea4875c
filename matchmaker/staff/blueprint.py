"""The staff area's one blueprint (`staff.…` endpoints under /staff) and its guard: every view in `staff/views/`
needs a staff or admin account. Which office's objects a staff member may touch is `staff/scope.py`'s business."""

from flask import Blueprint

from matchmaker.access import staff_required

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.before_request
@staff_required
def _staff_only():
    """Every staff page needs a staff or admin account."""
