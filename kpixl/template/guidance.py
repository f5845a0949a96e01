"""The Guidance sheet: the reference report's guidance notes, how to fill in the workbook,
how to run it and how to let Excel run its macros. Texts are data; one writer lays them out.
What the buttons do comes from :mod:`kpixl.actions`, the functions from :mod:`kpixl.udf_specs`.
"""

from __future__ import annotations

from typing import Any

from openpyxl.styles import Alignment

from kpixl.actions import ACTIONS
from kpixl.bundle import INTERPRETER_WIN
from kpixl.report.labels import text_height
from kpixl.report.rag_key import FLOOR_KEY, FLOOR_NOTE, tolerance_key
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
    *(("key", str(rating), meaning) for rating, meaning in FLOOR_KEY),
    ("note", "", FLOOR_NOTE),
    (
        "wrap",
        "",
        "A KPI with a Target and no Floor Standard is GREEN or RED, unless a tolerance applies "
        "(its Tolerance column, else the Amber tolerance setting, e.g. 10%): then the key "
        "reads, and the Summary prints it with the tolerance in force:",
    ),
    *(("key", str(rating), meaning) for rating, meaning in tolerance_key("x%")),
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
        "",
        "Frequency is Monthly, Quarterly, Six-monthly or Annual. A quarterly indicator counts "
        "only the quarter-end months of the financial year, a six-monthly one the half-year "
        "ends (labelled H1 and H2) and an annual one the year end (labelled 2023/24).",
    ),
    (
        "wrap",
        "",
        "Tolerance (optional, a percentage such as 10%): for a KPI with a Target and no Floor, "
        "AMBER means within that much of the Target: for higher is better from Target x (1 - "
        "tolerance) up to the Target, for lower is better from the Target up to Target x (1 + "
        "tolerance). Blank: the Amber tolerance setting. A KPI with a Floor uses its Floor "
        "(and gets a warning if it also has a Tolerance).",
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
        "Targets",
        "Targets sheet (optional): a Target, Floor, Upper or Lower that changes during the year "
        "(a profile or a trajectory). One row per Ref and Period (the month; for a quarterly "
        "indicator the quarter-end month). A period without a row, and a cell left blank, use "
        "the indicator row's value. The Latest RAG uses the thresholds of the latest period "
        "with a value, the YTD RAG those of the last period the YTD includes, and the "
        "Dashboard prints the thresholds in force. Refs not on an indicator sheet, two rows "
        "for one Ref and Period, and periods with no column are shown as problems.",
    ),
    (
        "wrap",
        "Settings",
        "Besides title, month and year start: Amber tolerance (see Tolerance above), Direction "
        "of travel method, Trend periods and Trend confidence, SPC and its lengths, and "
        "Commentary required for. Each Notes cell says what blank means.",
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
        "not on PyPI: your IT team runs install.cmd from the kpixl bundle (made with kpixl "
        r"bundle), which installs it for you alone in %LOCALAPPDATA%\kpixl\venv with no "
        "administrator rights and no network. No xlwings add-in is needed. On the xlwings.conf "
        f"sheet, Interpreter_Win already points there ({INTERPRETER_WIN}); leave it, so the "
        "shared workbook holds nobody's own path. A cell showing '#KPI: Python/kpixl not "
        "installed on this PC' means this PC has no such install yet.",
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
    lines.append(
        (
            "note",
            "",
            "KPI_RAG's tolerance: =KPI_RAG(0.85, 0.9, , , , , 10%) shows AMBER (within 10% of "
            "the Target, no Floor). Its targets, ref and period rate a value against the "
            "Targets sheet's row for that Ref and month, as Calculate RAG does: "
            "=KPI_RAG(X7, H7, I7, , , , , Targets!$A$4:$F$204, A7, X$6).",
        )
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
