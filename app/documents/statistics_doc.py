"""Statistics for governors and the partnership: tables of counts, and two bar charts
(escalations opened per month, highest stage reached) a governor would rather look at
than read. Counts only: no child is named."""

from __future__ import annotations

from datetime import datetime

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.platypus import Flowable, Table

from app.documents.fonts import BOLD, REGULAR
from app.documents.layout import (
    DocumentMeta,
    Styles,
    build_pdf,
    content_width,
    grid_table,
    para,
    spacer,
)
from app.domain.statistics_figures import Statistics, month_name, rows


def bar_chart(title: str, data: dict[str, int], width: float, height: float = 150) -> Drawing:
    drawing = Drawing(width, height + 24, initialFontName=REGULAR)
    drawing.add(String(0, height + 10, title, fontName=BOLD, fontSize=9))
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 20, width - 40, height - 20
    chart.data = [list(data.values()) or [0]]
    chart.categoryAxis.categoryNames = list(data.keys()) or ["—"]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    top = max(data.values(), default=1)
    chart.valueAxis.valueStep = max(1, (top + 4) // 5)
    chart.bars[0].fillColor = colors.HexColor("#555555")
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = REGULAR
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    drawing.add(chart)
    return drawing


def statistics_pdf(
    stats: Statistics, *, setting: str, generated_at: datetime, for_partnership: bool = False
) -> bytes:
    s = Styles()
    width = content_width()
    title = "Escalation monitoring return" if for_partnership else "Escalation statistics"
    story: list[Flowable] = [
        para(title, s.title),
        para(f"{setting} — figures generated {stats.generated_on:%d/%m/%Y}", s.subtitle),
        para(
            "Counts and durations only: no child is named, dated or identified in this document.",
            s.small,
        ),
        spacer(4),
    ]
    charts = Table(
        [
            [
                bar_chart(
                    "Escalations opened per month",
                    {month_name(k): v for k, v in stats.opened_per_month.items()},
                    width / 2 - 8,
                ),
                bar_chart(
                    "Highest stage reached",
                    {f"Stage {k}": v for k, v in stats.highest_stage.items()},
                    width / 2 - 8,
                ),
            ]
        ],
        colWidths=[width / 2, width / 2],
    )
    story.append(charts)
    story.append(spacer(4))
    section = ""
    table_rows: list[list[str]] = []
    for sec, item, value in rows(stats):
        table_rows.append([sec if sec != section else "", item, value])
        section = sec
    story.append(
        grid_table(
            ["Section", "Item", "Figure"], table_rows, s, [width * 0.32, width * 0.53, width * 0.15]
        )
    )
    meta = DocumentMeta(
        title=title,
        reference="statistics" if not for_partnership else "monitoring return",
        author=setting,
        subject="Escalations from stage 1 onwards, for quality assurance",
        generated_at=generated_at,
    )
    return build_pdf(story, meta)
