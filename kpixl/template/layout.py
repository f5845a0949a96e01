"""The example indicator sheet's layout (SPEC section 3), its data validation and formats.

Header block (Service Area, Department, Director, Cabinet Member), a blank row, the header
row: the input columns of :data:`kpixl.workbook.contract.INPUT_COLUMNS` (Commentary last),
the period columns (dates shown ``mmm-yy``) before Commentary, then the computed columns. The
first :data:`DATA_ROWS` rows under the header carry the validation and the RAG/alert colours.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from kpixl.core.models import Indicator, ServiceArea
from kpixl.report.labels import text_height
from kpixl.workbook import contract
from kpixl.workbook.cells import CHOICES, NOT_AVAILABLE_MARKS
from kpixl.workbook.planner import number_format
from kpixl.workbook.styles import DESIGN_STYLES, add_rag_formatting

__all__ = [
    "DATA_ROWS",
    "UNITS",
    "Ws",
    "column_headers",
    "fit_to_width",
    "settings_validation",
    "style",
    "write_indicator_sheet",
]

Ws = Any  # an openpyxl Worksheet (openpyxl is untyped)
DATA_ROWS = 200
"""Rows under the header that carry validation and conditional formats."""
UNITS = ("%", "Number", "£000s", "Seconds")
"""Units offered in the Unit list (others may be typed: display only)."""
_BEFORE_PERIODS = tuple(h for h in contract.INPUT_COLUMNS if h != "Commentary")
_NUMBERS = ("Target", "Floor", "Upper", "Lower", "YTD", "Previous year")
_COLOURED = {contract.LATEST_RAG: "rag", contract.YTD_RAG: "rag"}
_COLOURED[contract.IN_EXPECTED_RANGE] = "alert"
_WIDTHS = {"Ref": 15, "Indicator description": 48, "Commentary": 80, contract.CHECKS: 40}
_PERIOD_FORMAT = "mmm-yy"
_LINE_POINTS = 13.0  # 10 pt Arial


def style(cell: Any, name: str) -> Any:
    """Give ``cell`` the look of a named style of :data:`kpixl.workbook.styles.DESIGN_STYLES`."""
    for attribute, value in DESIGN_STYLES[name].items():
        setattr(cell, attribute, value)
    return cell


def fit_to_width(ws: Ws, landscape: bool) -> None:
    """Print one page wide (as many pages tall as needed), on A4."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def column_headers(periods: Sequence[date]) -> list[str | datetime]:
    """The header row: inputs, periods (as datetimes), Commentary, computed columns."""
    months = [datetime(p.year, p.month, 1) for p in periods]
    return [*_BEFORE_PERIODS, *months, "Commentary", *contract.COMPUTED_COLUMNS]


def write_indicator_sheet(
    ws: Ws, area: ServiceArea, indicators: Sequence[Indicator], periods: Sequence[date]
) -> int:
    """Write the block, header and ``indicators`` on ``ws``; return the header row number."""
    block: list[tuple[str, str]] = [("Service Area", area.name)]
    if area.department:
        block.append(("Department", area.department))
    block += [(person.role, person.name) for person in area.people]
    for row, (label, value) in enumerate(block, start=1):
        style(ws.cell(row, 1, label), "label")
        style(ws.cell(row, 2, value), "text")
    header_row = len(block) + 2
    headers = column_headers(periods)
    for col, header in enumerate(headers, start=1):
        cell = style(ws.cell(header_row, col, header), "header")
        if isinstance(header, datetime):
            cell.number_format = _PERIOD_FORMAT
            width = 9
        else:
            width = _WIDTHS.get(header, 11)
        ws.column_dimensions[get_column_letter(col)].width = width
    for offset, indicator in enumerate(indicators, start=1):
        _write_row(ws, header_row + offset, headers, indicator)
    first, last = header_row + 1, header_row + DATA_ROWS
    for col, header in enumerate(headers, start=1):
        if isinstance(header, str) and header in _COLOURED:
            letter = get_column_letter(col)
            add_rag_formatting(ws, f"{letter}{first}:{letter}{last}", _COLOURED[header])
    for validation in indicator_validation(headers, first, last):
        ws.add_data_validation(validation)
    ws.freeze_panes = f"C{first}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_title_cols = "A:B"
    return header_row


def _write_row(ws: Ws, row: int, headers: Sequence[str | datetime], indicator: Indicator) -> None:
    numbers = number_format(indicator)
    wrapped = [(indicator.description, _WIDTHS["Indicator description"])]
    wrapped.append((indicator.commentary or "", _WIDTHS["Commentary"]))
    ws.row_dimensions[row].height = max(
        text_height(text, width, _LINE_POINTS) for text, width in wrapped
    )
    for col, header in enumerate(headers, start=1):
        if isinstance(header, datetime):
            period = header.date()
            value: Any = indicator.values.get(period)
            if value is None and period in indicator.values:
                value = "*"
        elif header in contract.INPUT_COLUMNS:
            value = getattr(indicator, contract.INPUT_COLUMNS[header])
            value = value.value if isinstance(value, Enum) else value
        else:
            continue  # computed columns are kpixl's to fill
        cell = ws.cell(row, col, value)
        if header in ("Indicator description", "Commentary"):
            style(cell, "wrap")
        elif isinstance(header, datetime) or header in _NUMBERS:
            style(cell, "value")
            cell.number_format = numbers
        else:
            style(cell, "text")


# --- data validation -----------------------------------------------------------------------


def _number_rule(cell: str) -> str:
    """A number, or one of the not-available marks (Excel compares text case-insensitively)."""
    marks = ",".join(f'{cell}="{mark}"' for mark in sorted(NOT_AVAILABLE_MARKS))
    return f"OR(ISNUMBER({cell}),{marks})"


def _validation(kind: str | None, prompt: str, error: str = "", **options: Any) -> DataValidation:
    return DataValidation(
        type=kind,
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=bool(error),
        prompt=prompt,
        error=error or None,
        errorTitle="kpixl" if error else None,
        **options,
    )


def _choice(
    header: str, prompt: str, values: Sequence[str], style_: str = "stop"
) -> DataValidation:
    listed = ", ".join(values[:-1]) + " or " + values[-1]
    return _validation(
        "list",
        prompt,
        f"{header} must be {listed}: pick one from the list.",
        formula1='"' + ",".join(values) + '"',
        errorStyle=style_,
    )


def _column_validation(header: str, cell: str, refs: str) -> DataValidation:
    """The validation of one input column; ``cell`` is its first data cell."""
    numbers_error = f"{header} must be a number (type 65% as 65%), or * or n/a when not available."
    rules: dict[str, DataValidation] = {
        "Ref": _validation(
            "custom",
            "A short unique code for the indicator, e.g. FN07.",
            "This Ref is already used on this sheet: each indicator needs its own Ref.",
            formula1=f"COUNTIF({refs},{cell})=1",
        ),
        "Indicator description": _validation(
            "textLength",
            "What the indicator measures, as it should read on the Dashboard.",
            "Keep the description under 1,000 characters.",
            operator="lessThanOrEqual",
            formula1="1000",
            errorStyle="warning",
        ),
        "Type": _choice(
            "Type", "KPI (rated RAG) or Activity (checked against a range).", CHOICES["Type"]
        ),
        "Frequency": _choice("Frequency", "How often a value is reported.", CHOICES["Frequency"]),
        "Polarity": _choice(
            "Polarity",
            "Is a higher or a lower value better? Blank: from Target and Floor.",
            CHOICES["Polarity"],
        ),
        "Unit": _choice(
            "Unit",
            "% for percentages (stored as fractions), or a unit to show.",
            UNITS,
            "information",
        ),
        "Decimals": _validation(
            "whole",
            "Decimal places shown and rated (0 rates 84.5% as 85%).",
            "Decimals must be a whole number from 0 to 10.",
            operator="between",
            formula1="0",
            formula2="10",
        ),
        "YTD method": _choice(
            "YTD method", "How the year-to-date value is worked out.", CHOICES["YTD method"]
        ),
        "Numerator": _validation(
            "custom",
            "For YTD method Ratio: the Ref of the numerator indicator.",
            "This should be the Ref of an indicator on this sheet.",
            formula1=f"COUNTIF({refs},{cell})>0",
            errorStyle="warning",
        ),
        "Denominator": _validation(
            "custom",
            "For YTD method Ratio: the Ref of the denominator indicator.",
            "This should be the Ref of an indicator on this sheet.",
            formula1=f"COUNTIF({refs},{cell})>0",
            errorStyle="warning",
        ),
        "Previous year": _validation(
            None, "Last year's result (a number), or a note such as New indicator."
        ),
        "Commentary": _validation(None, "Shown under the KPI table on the Dashboard."),
    }
    prompts = {
        "Target": "KPI: the value to achieve for GREEN.",
        "Floor": "KPI: the Floor Standard; below it is RED.",
        "Upper": "Activity: top of the expected range.",
        "Lower": "Activity: bottom of the expected range.",
        "YTD": "The year-to-date figure, used by YTD method Entered.",
    }
    if header in prompts:
        return _validation("custom", prompts[header], numbers_error, formula1=_number_rule(cell))
    return rules[header]


def indicator_validation(
    headers: Sequence[str | datetime], first: int, last: int
) -> list[DataValidation]:
    """One validation per input column and one for the block of period columns."""
    refs = f"$A${first}:$A${last}"
    validations = []
    period_cols = [c for c, h in enumerate(headers, start=1) if isinstance(h, datetime)]
    for col, header in enumerate(headers, start=1):
        if isinstance(header, str) and header in contract.INPUT_COLUMNS:
            letter = get_column_letter(col)
            validation = _column_validation(header, f"{letter}{first}", refs)
            validation.add(f"{letter}{first}:{letter}{last}")
            validations.append(validation)
    if period_cols:
        left, right = get_column_letter(period_cols[0]), get_column_letter(period_cols[-1])
        validation = _validation(
            "custom",
            "This month's value. * or n/a when not available; blank when not yet due.",
            "A period value must be a number (type 65% as 65%), or * or n/a.",
            formula1=_number_rule(f"{left}{first}"),
        )
        validation.add(f"{left}{first}:{right}{last}")
        validations.append(validation)
    return validations


def settings_validation() -> list[DataValidation]:
    """Reporting month (B4) is a date; Financial year start month (B5) is 1 to 12."""
    month = _validation(
        "date",
        "Any day of the reporting month, e.g. 1/10/2023.",
        "The Reporting month must be a date, e.g. 1/10/2023.",
        operator="greaterThan",
        formula1="36526",  # 1 January 2000
    )
    month.add("B4")
    start = _validation(
        "whole",
        "4 = April, 1 = January.",
        "The Financial year start month must be a whole number from 1 to 12.",
        operator="between",
        formula1="1",
        formula2="12",
    )
    start.add("B5")
    return [month, start]
