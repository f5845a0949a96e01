"""The example indicator sheet's layout (SPEC section 3), its data validation and formats.

Header block (Service Area, Department, Director, Cabinet Member), a blank row, the header
row: the columns of :class:`kpixl.core.columns.Column` in their order, the period columns
(dates shown ``mmm-yy``) where ``Column.VALUE`` stands, then the computed columns. Widths,
cell styles and validation come from the same table. The first :data:`DATA_ROWS` rows under
the header carry the validation and the RAG/alert colours.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from kpixl.core.columns import (
    AFTER_PERIODS,
    BEFORE_PERIODS,
    DECIMALS_RANGE,
    UNITS,
    Column,
    Kind,
    Rule,
    column_by_key,
    computed_by_key,
    computed_in_force,
)
from kpixl.core.models import Indicator, ServiceArea
from kpixl.report.labels import text_height
from kpixl.workbook.cells import NOT_AVAILABLE_MARKS
from kpixl.workbook.contract import choice_options
from kpixl.workbook.planner import number_format
from kpixl.workbook.styles import DESIGN_STYLES, add_rag_formatting

__all__ = [
    "DATA_ROWS",
    "UNITS",
    "Ws",
    "column_headers",
    "fit_to_width",
    "indicator_validation",
    "number_rule",
    "validation",
    "style",
    "write_indicator_sheet",
]

Ws = Any  # an openpyxl Worksheet (openpyxl is untyped)
DATA_ROWS = 200
"""Rows under the header that carry validation and conditional formats."""
_FIGURES = (Kind.NUMBER, Kind.PREVIOUS_YEAR, Kind.PERIOD)
"""Kinds of column whose cells are figures in the indicator's number format."""
_DESCRIPTION_LIMIT = 1000
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
    """The header row: the input columns, with the periods (as datetimes) where the table puts
    ``Column.VALUE`` (before Commentary), then the computed columns."""
    months = [datetime(p.year, p.month, 1) for p in periods]
    before = [column.value for column in BEFORE_PERIODS]
    after = [column.value for column in AFTER_PERIODS]
    return [*before, *months, *after, *(column.value for column in computed_in_force())]


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
        ws.column_dimensions[get_column_letter(col)].width = _width(header)
    for offset, indicator in enumerate(indicators, start=1):
        _write_row(ws, header_row + offset, headers, indicator)
    first, last = header_row + 1, header_row + DATA_ROWS
    for col, header in enumerate(headers, start=1):
        computed = computed_by_key(header) if isinstance(header, str) else None
        if computed is not None and computed.spec.colour is not None:
            letter = get_column_letter(col)
            add_rag_formatting(ws, f"{letter}{first}:{letter}{last}", computed.spec.colour)
    for validation in indicator_validation(headers, first, last):
        ws.add_data_validation(validation)
    ws.freeze_panes = f"C{first}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_title_cols = "A:B"
    return header_row


def _column(header: str | datetime) -> Column | None:
    """The input column of a header (``Column.VALUE`` for a period), or None (computed)."""
    return Column.VALUE if isinstance(header, datetime) else column_by_key(header)


def _width(header: str | datetime) -> float:
    column = _column(header) or computed_by_key(header)
    if column is None:
        raise ValueError(f"{header!r} is not a column of the table")
    return column.spec.width


def _write_row(ws: Ws, row: int, headers: Sequence[str | datetime], indicator: Indicator) -> None:
    numbers = number_format(indicator)
    wrapped = [
        (getattr(indicator, column.spec.attribute) or "", column.spec.width)
        for column in Column
        if column.spec.wrap
    ]
    ws.row_dimensions[row].height = max(
        text_height(text, width, _LINE_POINTS) for text, width in wrapped
    )
    for col, header in enumerate(headers, start=1):
        column = _column(header)
        if column is None:
            continue  # computed columns are kpixl's to fill
        if isinstance(header, datetime):
            period = header.date()
            value: Any = indicator.values.get(period)
            if value is None and period in indicator.values:
                value = "*"
        else:
            value = getattr(indicator, column.spec.attribute)
            value = value.value if isinstance(value, Enum) else value
        cell = ws.cell(row, col, value)
        if column.spec.wrap:
            style(cell, "wrap")
        elif column.spec.kind in _FIGURES:
            style(cell, "value")
            cell.number_format = numbers
        else:
            style(cell, "text")


# --- data validation -----------------------------------------------------------------------


def number_rule(cell: str) -> str:
    """A number, or one of the not-available marks (Excel compares text case-insensitively)."""
    marks = ",".join(f'{cell}="{mark}"' for mark in sorted(NOT_AVAILABLE_MARKS))
    return f"OR(ISNUMBER({cell}),{marks})"


def validation(kind: str | None, prompt: str, error: str = "", **options: Any) -> DataValidation:
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


def _list(column: Column, prompt: str, options: Sequence[str], strict: bool) -> DataValidation:
    listed = ", ".join(options[:-1]) + " or " + options[-1]
    return validation(
        "list",
        prompt,
        f"{column.value} must be {listed}: pick one from the list.",
        formula1='"' + ",".join(options) + '"',
        errorStyle="stop" if strict else "information",
    )


def _column_validation(column: Column, cell: str, refs: str) -> DataValidation:
    """The validation of one column (see :class:`kpixl.core.columns.Validation`); ``cell`` is
    its first data cell, ``refs`` the sheet's Ref cells."""
    guard = column.spec.validation
    rule, prompt = guard.rule, guard.prompt
    if rule is Rule.NUMBER:
        error = guard.error or (
            f"{column.value} must be a number (type 65% as 65%), or * or n/a when not available."
        )
        return validation("custom", prompt, error, formula1=number_rule(cell))
    if rule is Rule.LIST:
        options = guard.options or choice_options(column)
        return _list(column, prompt, options, guard.strict)
    if rule is Rule.UNIQUE_REF:
        return validation(
            "custom",
            prompt,
            guard.error
            or "This Ref is already used on this sheet: each indicator needs its own Ref.",
            formula1=f"COUNTIF({refs},{cell})=1",
        )
    if rule is Rule.OTHER_REF:
        return validation(
            "custom",
            prompt,
            guard.error or "This should be the Ref of an indicator on this sheet.",
            formula1=f"COUNTIF({refs},{cell})>0",
            errorStyle="warning",
        )
    if rule is Rule.TEXT_LENGTH:
        return validation(
            "textLength",
            prompt,
            guard.error or f"Keep the description under {_DESCRIPTION_LIMIT:,} characters.",
            operator="lessThanOrEqual",
            formula1=str(_DESCRIPTION_LIMIT),
            errorStyle="warning",
        )
    if rule is Rule.WHOLE:
        low, high = DECIMALS_RANGE
        return validation(
            "whole",
            prompt,
            guard.error or f"{column.value} must be a whole number from {low} to {high}.",
            operator="between",
            formula1=str(low),
            formula2=str(high),
        )
    return validation(None, prompt)


def indicator_validation(
    headers: Sequence[str | datetime], first: int, last: int
) -> list[DataValidation]:
    """One validation per input column and one for the block of period columns."""
    refs = f"$A${first}:$A${last}"
    validations = []
    period_cols = [c for c, h in enumerate(headers, start=1) if isinstance(h, datetime)]
    for col, header in enumerate(headers, start=1):
        column = column_by_key(header) if isinstance(header, str) else None
        if column is not None:
            letter = get_column_letter(col)
            validation = _column_validation(column, f"{letter}{first}", refs)
            validation.add(f"{letter}{first}:{letter}{last}")
            validations.append(validation)
    if period_cols:
        left, right = get_column_letter(period_cols[0]), get_column_letter(period_cols[-1])
        validation = _column_validation(Column.VALUE, f"{left}{first}", refs)
        validation.add(f"{left}{first}:{right}{last}")
        validations.append(validation)
    return validations
