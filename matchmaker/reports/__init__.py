"""Reports after the day: KPIs computed from plain rows and charts drawn as SVG strings.

Plain Python, no Flask or SQLAlchemy: `services/reports.py` loads the rows, `staff/views/reports.py` shows them.

    kpi   figures (requests, acceptance, meetings held, no-shows, satisfaction, deals, amounts) and breakdowns
    svg   bar, stacked bar and column charts with a <title> and text labels
"""

from matchmaker.reports.kpi import (
    DIMENSIONS,
    OUTCOME_ORDER,
    FeedbackRow,
    Figures,
    MeetingRow,
    NoShowRow,
    OrgRow,
    Report,
    RequestRow,
    Rows,
    compute,
    main_sector,
)
from matchmaker.reports.svg import bar_chart, column_chart, stacked_bar_chart

__all__ = [
    "DIMENSIONS", "OUTCOME_ORDER", "FeedbackRow", "Figures", "MeetingRow", "NoShowRow", "OrgRow", "Report",
    "RequestRow", "Rows", "bar_chart", "column_chart", "compute", "main_sector", "stacked_bar_chart",
]
