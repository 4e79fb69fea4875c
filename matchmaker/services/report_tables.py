"""The reports dashboard's tables and charts in the viewer's language, built from a `matchmaker.reports.Report`:
the page shows them (`displayer`, `body_rows`), the export writes them (`services.report_workbook`). Plain building: no
query, no request.

A table's cells carry their kind (count, percent, usd, rating, text), so the page formats them with the
locale's filters and the spreadsheet stores the numbers as numbers with a number format.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from markupsafe import Markup, escape

from matchmaker.formatting import format_count, format_rating, format_share, format_usd, territory_name
from matchmaker.i18n import format_day, format_instant
from matchmaker.i18n import gettext as _
from matchmaker.i18n import lazy_gettext as _l
from matchmaker.models import Event
from matchmaker.reports import OUTCOME_ORDER, Figures, Report, bar_chart, column_chart, stacked_bar_chart
from matchmaker.vocabulary import outcome_label, sector_label, stage_label

KIND_LABELS = {"company": _l("Company"), "investor": _l("Investor"), "buyer": _l("Buyer")}


class Cell(NamedTuple):
    value: Any
    kind: str = "text"  # text, count, percent, usd, rating


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    chart: str | None = None  # inline SVG of (some of) the same figures


def count(value: float) -> str:
    return format_count(value)


def _unknown() -> str:
    return _("Not stated")


def _month(key: str) -> str:
    year, month = (int(part) for part in key.split("-"))
    return format_day(date(year, month, 1), "yMMM")  # in the reader's calendar (Thai solar year)


def _group_label(dimension: str, key: str, events: dict[str, Event]) -> str:
    if not key:
        return _unknown()
    if dimension == "sector":
        return sector_label(key)
    if dimension == "stage":
        return stage_label(key)
    if dimension == "country":
        return territory_name(key)
    if dimension == "partner_kind":
        return str(KIND_LABELS.get(key, key))
    event = events.get(key)
    return f"{event.title} ({format_day(event.date, 'medium')})" if event else key


def _group_columns() -> list[str]:
    return [
        _("Requests sent"), _("Accepted"), _("Acceptance rate"), _("Meetings held"), _("No-show rate"),
        _("Satisfaction (1–5)"), _("Follow-ups wanted"), _("Deals"), _("MOUs signed"),
        _("Consultation amount (USD)"), _("Expected contract amount (USD)"),
    ]


def _group_cells(f: Figures) -> list[Cell]:
    return [
        Cell(f.requests, "count"), Cell(f.accepted, "count"), Cell(f.acceptance_rate, "percent"),
        Cell(f.held, "count"), Cell(f.no_show_rate, "percent"), Cell(f.satisfaction, "rating"),
        Cell(f.follow_ups, "count"), Cell(f.deals, "count"), Cell(f.mous, "count"),
        Cell(f.amount_usd, "usd"), Cell(f.expected_amount_usd, "usd"),
    ]


def headquarters(report: Report) -> Table:
    t = report.total
    rows = [
        [Cell(_("Number of consultations")), Cell(t.consultations, "count")],
        [Cell(_("Consultation amount (USD)")), Cell(t.amount_usd, "usd")],
        [Cell(_("Expected contract amount (USD)")), Cell(t.expected_amount_usd, "usd")],
        [Cell(_("MOUs signed")), Cell(t.mous, "count")],
    ]
    return Table("hq", _("Figures for headquarters"), [_("Figure"), _("Value")], rows)


def summary(report: Report) -> Table:
    t = report.total
    rows = [
        [Cell(_("Requests sent")), Cell(t.requests, "count")],
        [Cell(_("Requests accepted")), Cell(t.accepted, "count")],
        [Cell(_("Requests declined")), Cell(t.declined, "count")],
        [Cell(_("Acceptance rate")), Cell(t.acceptance_rate, "percent")],
        [Cell(_("Meetings scheduled")), Cell(t.scheduled, "count")],
        [Cell(_("Meetings held")), Cell(t.held, "count")],
        [Cell(_("No-shows")), Cell(t.no_shows, "count")],
        [Cell(_("No-show rate")), Cell(t.no_show_rate, "percent")],
        [Cell(_("Satisfaction (1–5)")), Cell(t.satisfaction, "rating")],
        [Cell(_("Ratings given")), Cell(t.ratings, "count")],
        [Cell(_("Follow-ups wanted")), Cell(t.follow_ups, "count")],
        [Cell(_("Deals")), Cell(t.deals, "count")],
    ]
    funnel = [
        (_("Requests sent"), t.requests), (_("Accepted"), t.accepted),
        (_("Meetings scheduled"), t.scheduled), (_("Meetings held"), t.held),
    ]
    chart = bar_chart(_("From requests to meetings held"), funnel, fmt=count, chart_id="chart-funnel",
                      empty=_("No data"))
    return Table("summary", _("Requests and meetings"), [_("Figure"), _("Value")], rows, chart)


def outcomes(report: Report) -> Table:
    t = report.total
    rows = [[Cell(outcome_label(o)), Cell(t.outcomes[o], "count")] for o in OUTCOME_ORDER]
    deals = [(outcome_label(o), t.outcomes[o]) for o in OUTCOME_ORDER if o != "none"]
    chart = bar_chart(_("Meetings held by outcome"), deals, fmt=count, chart_id="chart-outcomes",
                      empty=_("No data"))
    return Table("outcomes", _("Outcomes of the meetings held"), [_("Outcome"), _("Meetings")], rows, chart)


BREAKDOWNS = {
    "event": _l("By matchmaking day"),
    "sector": _l("By company sector"),
    "stage": _l("By company stage"),
    "country": _l("By partner country"),
    "partner_kind": _l("By partner kind"),
}
CHART_TITLES = {
    "sector": _l("Meetings held and deals by company sector"),
    "country": _l("Meetings held and deals by partner country"),
}
GROUP_HEADERS = {
    "event": _l("Matchmaking day"),
    "sector": _l("Sector"),
    "stage": _l("Stage"),
    "country": _l("Country"),
    "partner_kind": _l("Partner kind"),
}


def breakdown(report: Report, dimension: str, events: dict[str, Event]) -> Table:
    groups = report.by[dimension]
    labelled = [(_group_label(dimension, key, events), figures) for key, figures in groups.items()]
    if dimension != "event":
        labelled.sort(key=lambda item: (-item[1].held, item[0]))
    rows = [[Cell(label), *_group_cells(figures)] for label, figures in labelled]
    chart = None
    if dimension in CHART_TITLES:
        shown = [(label, f) for label, f in labelled if f.held][:12]
        chart = stacked_bar_chart(
            str(CHART_TITLES[dimension]),
            [label for label, _figures in shown],
            [
                (_("Deals"), [f.deals for _label, f in shown]),
                (_("Other meetings held"), [f.held - f.deals for _label, f in shown]),
            ],
            fmt=count, chart_id=f"chart-{dimension}", empty=_("No data"),
        )
    columns = [str(GROUP_HEADERS[dimension]), *_group_columns()]
    return Table(dimension, str(BREAKDOWNS[dimension]), columns, rows, chart)


def months(report: Report) -> Table:
    rows = [
        [Cell(_month(key)), Cell(f.scheduled, "count"), Cell(f.held, "count"), Cell(f.no_shows, "count"),
         Cell(f.deals, "count"), Cell(f.amount_usd, "usd"), Cell(f.expected_amount_usd, "usd")]
        for key, f in report.months.items()
    ]
    chart = column_chart(_("Meetings held by month"), [(_month(k), f.held) for k, f in report.months.items()],
                         fmt=count, chart_id="chart-months", empty=_("No data"))
    columns = [_("Month"), _("Meetings scheduled"), _("Meetings held"), _("No-shows"), _("Deals"),
               _("Consultation amount (USD)"), _("Expected contract amount (USD)")]
    return Table("months", _("By month"), columns, rows, chart)


def meetings(lines: list[dict]) -> Table:
    """One day's meetings with both sides' answers (staff only: members never see the other side's)."""

    def side(f) -> list[Cell]:
        if f is None:
            return [Cell(None, "rating"), Cell(""), Cell("")]
        return [Cell(f.rating, "count"), Cell(outcome_label(f.outcome)), Cell(f.comment or "")]

    rows = []
    for line in lines:
        c, p = line["company_feedback"], line["partner_feedback"]
        answers = [f for f in (c, p) if f is not None]
        rows.append([
            Cell(format_instant(line["meeting"].start_dt, line["meeting"].event.timezone)),
            Cell(line["company"].display_name), Cell(line["partner"].display_name),
            Cell(_("Yes") if line["no_show"] else ""),
            *side(c), *side(p),
            Cell(_("Yes") if any(f.follow_up for f in answers) else ""),
            Cell(max((f.amount_usd or 0 for f in answers), default=None), "usd"),
            Cell(max((f.expected_amount_usd or 0 for f in answers), default=None), "usd"),
        ])
    columns = [
        _("When"), _("Company"), _("Partner"), _("No-show"),
        _("Company's rating"), _("Company's outcome"), _("Company's comment"),
        _("Partner's rating"), _("Partner's outcome"), _("Partner's comment"),
        _("Follow-up wanted"), _("Consultation amount (USD)"), _("Expected contract amount (USD)"),
    ]
    return Table("meetings", _("Meetings and feedback"), columns, rows)


def build(report: Report, events: list[Event], lines: list[dict] | None = None) -> list[Table]:
    """Every table of the dashboard; `lines` (one day's meetings) adds the table of meetings and feedback."""
    by_key = {str(e.id): e for e in events}
    tables = [
        headquarters(report), summary(report), outcomes(report),
        *(breakdown(report, dimension, by_key) for dimension in BREAKDOWNS),
        months(report),
    ]
    if lines is not None:
        tables.append(meetings(lines))
    return tables


def display(cell: Cell) -> str:
    """A cell as text in the viewer's locale ("—" for an undefined rate)."""
    return displayer()(cell)


def displayer():
    """`display` for one page of tables: each distinct figure looked up once (a report repeats its zeros and small
    counts in every table; i18n keeps the texts from page to page)."""
    formats = {"count": format_count, "percent": format_share, "usd": format_usd, "rating": format_rating}
    memo: dict = {}

    def show(cell: Cell) -> str:
        value, kind = cell.value, cell.kind
        if value is None:
            return "—"
        if kind not in formats:
            return str(value)
        key = (kind, type(value), value)
        text = memo.get(key)
        if text is None:
            text = memo[key] = formats[kind](value)
        return text

    cells: dict = {}

    def td(cell: Cell) -> str:
        """The cell as a table cell of the page (numbers classed), each figure's markup made once."""
        if cell.kind == "text":
            return f"<td>{escape(show(cell))}</td>"
        key = (cell.kind, type(cell.value), cell.value)
        html = cells.get(key)
        if html is None:
            html = cells[key] = f'<td class="num">{escape(show(cell))}</td>'
        return html

    show.td = td
    return show


def body_rows(table: Table, show) -> list[Markup]:
    """Each row of `table` as the page writes it (`<tr><th scope="row">…</th><td class="num">…</td>…</tr>`, numbers
    classed), its cells shown by `show` (a `displayer`). Built here rather than by a loop in the template: a
    report has hundreds of cells, and the template's loop cost several times as much per cell."""
    td = show.td
    return [
        Markup(f'<tr><th scope="row">{escape(show(head))}</th>{"".join([td(cell) for cell in cells])}</tr>')
        for head, *cells in table.rows
    ]

