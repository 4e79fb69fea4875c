"""The shortcuts of matchmaker.i18n give what Flask-Babel and Babel give: the catalog kept for a
request follows `force_locale` (mail written in the recipient's language in the middle of a page) in Python and in
templates, and a time formatted once is not reused for another zone's date."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import render_template_string
from flask_babel import force_locale

from matchmaker import i18n
from matchmaker.services.report_tables import Cell, displayer


def test_kept_catalog_follows_force_locale(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert i18n.gettext("Agenda") == "Agenda"
        assert render_template_string("{{ _('Agenda') }}") == "Agenda"
        with force_locale("ko"):
            assert i18n.gettext("Agenda") == "미팅 일정"
            assert render_template_string("{{ _('Agenda') }}") == "미팅 일정"
            assert i18n.viewer_locale() == "ko"
        assert i18n.gettext("Agenda") == "Agenda"  # and back to the page's language
        assert render_template_string("{{ _('Agenda') }}") == "Agenda"
        assert i18n.viewer_locale() == "en"


def test_kept_catalog_formats_like_flask_babel(app):
    from flask_babel import gettext, ngettext

    with app.test_request_context(headers={"Accept-Language": "ko"}):
        assert i18n.gettext("Times in %(zone)s.", zone="UTC") == gettext("Times in %(zone)s.", zone="UTC")
        for n in (1, 2):
            assert i18n.ngettext("%(num)d meeting moved.", "%(num)d meetings moved.", n) == \
                ngettext("%(num)d meeting moved.", "%(num)d meetings moved.", n)


def test_formatted_once_keeps_zones_apart(app):
    """Equal instants in two zones are equal datetimes, but fall on different dates."""
    instant = datetime(2027, 3, 10, 20, 0, tzinfo=UTC)
    in_seoul = instant.astimezone(ZoneInfo("Asia/Seoul"))  # already 11 March there
    assert instant == in_seoul
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert i18n.format_day(instant, "yMMMd") == "Mar 10, 2027"
        assert i18n.format_day(in_seoul, "yMMMd") == "Mar 11, 2027"
        assert i18n.format_clock(instant, "Asia/Seoul") == "5:00\u202fAM"
        assert i18n.format_clock(instant, "America/Los_Angeles") == "12:00\u202fPM"


def test_report_cells_formatted_once_keep_kinds_and_types_apart(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        show = displayer()
        assert show(Cell(1, "count")) == "1"
        assert show(Cell(1, "percent")) == "100%"
        assert show(Cell(0.5, "percent")) == "50%"
        assert show(Cell(4.0, "rating")) == "4.00"
        assert show(Cell(1500000, "usd")) == "$1.5M"
        assert show(Cell(None, "percent")) == "—"
        assert show(Cell("Deals")) == "Deals"
    with app.test_request_context(headers={"Accept-Language": "ko"}):
        assert displayer()(Cell(1234, "count")) == "1,234"


def test_template_strings_escape_variables_not_text_as_jinja_does(app):
    """`_()` in a template: the variables are escaped where the template escapes, the text is a format string."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        escaped = render_template_string("{{ _('Schedule of %(title)s', title=name) }}", name="<b>Day</b>")
        assert escaped == "Schedule of &lt;b&gt;Day&lt;/b&gt;"
        plain = render_template_string(
            "{% autoescape false %}{{ _('Schedule of %(title)s', title=name) }}{% endautoescape %}", name="<b>Day</b>"
        )
        assert plain == "Schedule of <b>Day</b>"
        assert render_template_string("{{ _('100%% sure') }}") == "100% sure"
        many = "{{ ngettext('%(num)d meeting moved.', '%(num)d meetings moved.', n) }}"
        assert render_template_string(many, n=1) == "1 meeting moved."
        assert render_template_string(many, n=3) == "3 meetings moved."
        with force_locale("ko"):
            assert render_template_string("{{ gettext('Agenda') }}") == "미팅 일정"
