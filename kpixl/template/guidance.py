"""The Guidance sheet: the reference report's guidance notes, how to fill in the workbook,
how to run it and how to let Excel run its macros. Texts are data; one writer lays them out.
What the buttons do comes from :mod:`kpixl.actions`, the functions from :mod:`kpixl.udf_specs`.
"""

from __future__ import annotations

from typing import Any

from openpyxl.styles import Alignment

from kpixl import __version__
from kpixl.actions import ACTIONS
from kpixl.report.labels import text_height
from kpixl.template.layout import fit_to_width, style
from kpixl.udf_specs import SPECS
from kpixl.workbook.styles import label_fill, label_font

__all__ = ["GUIDANCE", "write_guidance"]

_TEXT_WIDTH = 100
_LINE_POINTS = 13.0  # 10 pt Arial
Line = tuple[str, str, str]
"""(style, column A text, column B text); style is a DESIGN_STYLES name or ``key``."""

_NOTES: tuple[Line, ...] = (
    ("title", "KPI Dashboard workbook: guidance", ""),
    ("subtitle", "How indicators are rated, how to fill in this workbook and how to run it.", ""),
    ("heading", "Guidance Notes", ""),
    ("label", "Key Performance Indicators", ""),
    ("wrap", "", "All Key Performance Indicators are provided with RAG (Red/Amber/Green) ratings."),
    ("wrap", "", "RAG ratings are based on Targets and Floor Standards."),
    (
        "wrap",
        "",
        "Where relevant, RAG ratings are given for both the latest month and year to date (YTD).",
    ),
    ("key", "GREEN", "Target has been achieved"),
    ("key", "AMBER", "Floor Standard* achieved but Target has not been met"),
    ("key", "RED", "Floor Standard* has not been achieved"),
    (
        "note",
        "",
        "*Floor Standards are the minimum performance expected and if not achieved must result "
        "in management action",
    ),
    ("label", "Activity Indicators", ""),
    (
        "wrap",
        "",
        "Activity Indicators representing demand levels are also included in the report. They "
        "are not given a RAG rating, instead where appropriate, they are tracked within an "
        "expected range represented by Upper and Lower Thresholds. The Alert provided for "
        "Activity Indicators is whether results are within the expected range or not. Results "
        "can either be in expected range (Yes) or they could be Above or Below. Expected "
        "activity thresholds are based on previous years' trends.",
    ),
    ("key", "Yes", "Within the expected range"),
    ("key", "Above", "Above the Upper threshold"),
    ("key", "Below", "Below the Lower threshold"),
    (
        "wrap",
        "",
        "When activity indicators do not have expected thresholds, they are shown in the report "
        "to provide context for the Key Performance Indicators. In such cases the activity "
        "indicators are simply shown with comparison to activity for the previous year.",
    ),
    (
        "wrap",
        "",
        "Which value the alert is on: the YTD value when the indicator has a YTD method (a Sum "
        "YTD needs Upper and Lower for the year to date, not for one month), otherwise the "
        "latest value. kpixl warns when a range looks sized for one month against a YTD total.",
    ),
)

_FILLING: tuple[Line, ...] = (
    ("heading", "Filling in the workbook", ""),
    (
        "wrap",
        "1.",
        "Settings sheet: the Report title, who it is Produced by, the Reporting month (a date, "
        "any day of the month) and the Financial year start month (4 = April).",
    ),
    (
        "wrap",
        "2.",
        "One sheet per service area, laid out like the Finance example: Service Area, "
        "Department, Director (or Head of Service) and Cabinet Member at the top, then one row "
        "per indicator under the header row. To start a new area, right-click the Finance tab, "
        "choose Move or Copy, tick Create a copy, then replace the rows.",
    ),
    (
        "wrap",
        "3.",
        "Ref must be unique. Type is KPI or Activity. A KPI needs a Target and a Floor; "
        "Polarity (Higher or Lower is better) may be left blank when Target and Floor show it. "
        "An Activity indicator may have an Upper and a Lower threshold. YTD method: Mean, Sum, "
        "Latest, Ratio (Numerator and Denominator name other Refs), Entered (the YTD column) "
        "or None.",
    ),
    (
        "wrap",
        "4.",
        "Period columns have the month as their header. Type percentages with the % sign "
        "(65%), which Excel stores as 0.65. Type * or n/a when a figure is not available; "
        "leave months not yet due blank.",
    ),
    (
        "wrap",
        "5.",
        "Do not type in the computed columns (Latest period to Checks) or on the Summary and "
        "Dashboard sheets: kpixl fills them and replaces them every time it runs. Every other "
        "cell is left exactly as you typed it.",
    ),
)

_RUNNING: tuple[Line, ...] = (
    ("heading", "Running it", ""),
    *(("wrap", action.label, f"On the KPI Dashboard tab: {action.tip}") for action in ACTIONS),
    (
        "wrap",
        "Python",
        "The buttons and the worksheet functions need Python with kpixl installed. kpixl is "
        "not on PyPI: install it from a copy of its repository or from its wheel file, "
        r"pip install C:\path\to\kpixl (the folder) or pip install C:\path\to\kpixl-"
        f"{__version__}-py3-none-any.whl. No xlwings add-in is needed. On the xlwings.conf "
        "sheet, Interpreter_Win says which python.exe runs kpixl (blank: python on the PATH).",
    ),
    (
        "wrap",
        "Without Excel",
        "kpixl calculate workbook.xlsm -o rated.xlsm does what Calculate RAG does, on any "
        "computer.",
    ),
)

_MACROS: tuple[Line, ...] = (
    ("heading", "Letting Excel run the macros", ""),
    (
        "wrap",
        "1.",
        "A workbook downloaded from the internet or saved from an e-mail is marked as coming "
        "from the web, and Excel blocks its macros (a red bar: Microsoft has blocked macros "
        "from running because the source of this file is untrusted).",
    ),
    (
        "wrap",
        "2.",
        "Close the workbook. In File Explorer, right-click the file, choose Properties, tick "
        "Unblock on the General tab and click OK. Or save the file in a Trusted Location "
        "(File > Options > Trust Center > Trust Center Settings > Trusted Locations).",
    ),
    ("wrap", "3.", "Open the workbook again and click Enable Content on the yellow bar."),
)


def _functions() -> tuple[Line, ...]:
    lines: list[Line] = [("heading", "Worksheet functions", "")]
    lines += [("wrap", spec.name, spec.description) for spec in SPECS]
    lines.append(
        ("note", "", "For example, type =KPI_RAG(0.9, 0.9, 0.85) in any cell: it shows GREEN.")
    )
    return tuple(lines)


GUIDANCE: tuple[Line, ...] = (*_NOTES, *_FILLING, *_RUNNING, *_functions(), *_MACROS)
"""Every line of the Guidance sheet, in order."""


def write_guidance(ws: Any) -> None:
    """Lay :data:`GUIDANCE` out on ``ws``: labels in column A, text in a wide column B."""
    row = 1
    for kind, label, text in GUIDANCE:
        if kind == "heading":
            row += 1
        a = ws.cell(row, 1, label or None)
        b = ws.cell(row, 2, text or None)
        if kind == "key":
            style(a, "rag")
            a.fill = label_fill(label)
            a.font = label_font(label)
            style(b, "text")
        elif kind in ("title", "subtitle", "heading", "label"):
            style(a, kind)
            a.alignment = Alignment(vertical=a.alignment.vertical)
        else:
            style(a, "label")
            style(b, kind)
        if text and kind in ("wrap", "note"):
            ws.row_dimensions[row].height = text_height(text, _TEXT_WIDTH, _LINE_POINTS)
        elif kind == "title":
            ws.row_dimensions[row].height = 24
        row += 1
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = _TEXT_WIDTH
    ws.sheet_view.showGridLines = False
    fit_to_width(ws, landscape=False)
