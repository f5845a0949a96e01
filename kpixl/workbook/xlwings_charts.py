"""The neutral charts and sparklines of a SheetLook drawn in a live book through xlwings.

Charts go through xlwings' chart API (``sheet.charts.add`` with an anchor cell, then
``set_source_data`` over the chart's data block, plotted by rows: the block's first row holds
the period labels, its first column the line names), which every engine carries, the remote one
included (it records ``addChart``, ``setChartTitle``, ``deleteChart``). Line colours and dashes
stay Excel's defaults there: xlwings has no portable call for a series' format.

Sparklines have no xlwings API: desktop Excel for Windows adds them through the COM object
model (``Range.SparklineGroups.Add``); elsewhere (the remote engine, macOS) they are skipped,
and the Trend column stays empty until a headless run or Windows Excel draws it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import xlwings as xw

from kpixl.package.sparklines import sheet_reference
from kpixl.report.design import LineChart, Sparkline
from kpixl.report.look import SPARKLINE_LOOK
from kpixl.workbook import xlwings_look
from kpixl.workbook.xlwings_look import Tally

__all__ = ["CHART_PREFIX", "add_charts", "add_sparklines", "clear_drawn"]

CHART_PREFIX = "kpixl "
"""Every chart kpixl adds is named ``kpixl <n>``."""
POINTS_PER_CM = 72 / 2.54
XL_SPARK_LINE = 1  # XlSparkType.xlSparkLine


def clear_drawn(sheet: xw.Sheet, windows: bool, tally: Tally) -> None:
    """Remove the charts (and, on Windows, the sparklines) of kpixl's earlier drawing: clearing
    the cells keeps both."""
    for chart in reversed(list(sheet.charts)):
        chart.delete()
        tally.add(1)
    if windows:  # pragma: no cover - needs Excel's COM object model
        sheet.api.Cells.SparklineGroups.Clear()
        tally.add(1)


def add_charts(sheet: xw.Sheet, charts: Sequence[LineChart], tally: Tally) -> None:
    """One line chart per design chart, anchored at its cell, over its data block."""
    for number, spec in enumerate(charts, start=1):
        row, col, _, last_col = spec.categories
        last_row = max(s.values[2] for s in spec.series)
        source = sheet.range((row + 1, col), (last_row + 1, last_col + 1))  # names in col - 1
        anchor = sheet.range((spec.anchor[0] + 1, spec.anchor[1] + 1))
        chart = sheet.charts.add(
            width=spec.width_cm * POINTS_PER_CM,
            height=spec.height_cm * POINTS_PER_CM,
            chart_type="line",
            name=f"{CHART_PREFIX}{number}",
            anchor=anchor,
        )
        chart.set_source_data(source, plot_by="rows")
        chart.title = spec.title
        tally.add(3)


def add_sparklines(
    sheet: xw.Sheet, sparklines: Sequence[Sparkline], windows: bool, tally: Tally
) -> bool:
    """Each sparkline through Excel's COM ``SparklineGroups.Add``; False where that does not
    exist (anything but desktop Excel for Windows), drawing nothing."""
    if not windows or not sparklines:
        return False
    prefix = sheet_reference(sheet.name)  # pragma: no cover - needs Excel's COM object model
    for line in sparklines:  # pragma: no cover
        data = prefix + xlwings_look.address(line.data)
        group: Any = sheet.range((line.row + 1, line.col + 1)).api.SparklineGroups.Add(
            XL_SPARK_LINE, data
        )
        group.SeriesColor.Color = _bgr(SPARKLINE_LOOK.line)
        group.LineWeight = SPARKLINE_LOOK.weight
        group.DisplayHidden = True
        group.Points.Lastpoint.Visible = True
        group.Points.Lastpoint.Color.Color = _bgr(SPARKLINE_LOOK.latest)
        tally.add(6)
    return True  # pragma: no cover


def _bgr(colour: str) -> int:
    """``RRGGBB`` as the BGR integer Excel's COM colours take."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    return red + (green << 8) + (blue << 16)
