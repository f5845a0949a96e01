"""The neutral line charts (``kpixl.report.design.LineChart``) as openpyxl charts.

openpyxl serialises DrawingML chart parts (``xl/charts/chart*.xml``) and the drawing that
anchors them; every colour, dash and width comes from ``kpixl.report.look.SERIES_LOOKS``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.chart import LineChart, Reference, Series
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RegularTextRun,
)

from kpixl.report import design
from kpixl.report.look import SERIES_LOOKS
from kpixl.workbook.grid import cell_address

__all__ = ["add_charts"]

_EMU_PER_POINT = 12700
TITLE_POINTS, TEXT_POINTS = 10, 8


def _font(points: int, bold: bool = False) -> CharacterProperties:
    return CharacterProperties(sz=points * 100, b=bold)


def _text(points: int) -> RichText:
    """Text properties: every label of an axis or legend at ``points``."""
    font = _font(points)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=font), endParaRPr=font)])


def _title(text: str) -> Title:
    font = _font(TITLE_POINTS, bold=True)
    paragraph = Paragraph(
        pPr=ParagraphProperties(defRPr=font), r=[RegularTextRun(rPr=font, t=text)]
    )
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def add_charts(ws: Any, charts: Iterable[design.LineChart]) -> None:
    """Add each chart to ``ws`` at its anchor cell."""
    for spec in charts:
        ws.add_chart(_line_chart(ws, spec), cell_address(*spec.anchor))


def _reference(ws: Any, rect: design.Rect) -> Reference:
    r1, c1, r2, c2 = rect
    return Reference(ws, min_col=c1 + 1, min_row=r1 + 1, max_col=c2 + 1, max_row=r2 + 1)


def _line_chart(ws: Any, spec: design.LineChart) -> LineChart:
    chart = LineChart()
    chart.title = _title(spec.title)
    chart.width, chart.height = spec.width_cm, spec.height_cm
    chart.legend.position = "b"
    chart.legend.txPr = _text(TEXT_POINTS)
    chart.x_axis.txPr = _text(TEXT_POINTS)
    chart.y_axis.txPr = _text(TEXT_POINTS)
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.x_axis.tickLblPos = "low"
    if spec.number_format:
        chart.y_axis.number_format = spec.number_format
        chart.y_axis.numFmt.sourceLinked = False
    chart.display_blanks = "gap"
    for line in spec.series:
        look = SERIES_LOOKS[line.role]
        series = Series(_reference(ws, line.values), title=line.name)
        series.smooth = False
        stroke = series.graphicalProperties.line
        stroke.solidFill = look.colour
        stroke.width = int(look.width * _EMU_PER_POINT)
        if look.dash != "solid":
            stroke.dashStyle = look.dash
        series.marker.symbol = "circle" if look.marker else "none"
        if look.marker:
            series.marker.size = 5
            series.marker.graphicalProperties = None
        chart.series.append(series)
    chart.set_categories(_reference(ws, spec.categories))
    return chart
