"""The template's ``Targets`` sheet (SPEC 8.4): a note, the header row Ref, Period, Target,
Floor, Upper, Lower (the Targets reader's own headers), example rows and data validation:
Ref from the indicator sheets' Ref column, Period a date shown as a month, thresholds numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import quote_sheetname

from kpixl.core.models import Indicator, Thresholds
from kpixl.template.layout import DATA_ROWS, Ws, fit_to_width, number_rule, style, validation
from kpixl.workbook.planner import number_format
from kpixl.workbook.targets import TARGETS_COLUMNS

__all__ = ["EXAMPLE_TARGETS", "HEADER_ROW", "TARGETS_NOTE", "write_targets_sheet"]

HEADER_ROW = 4
TARGETS_NOTE = (
    "Optional: a Target, Floor, Upper or Lower that differs in one period (a profile or a "
    "trajectory). One row per Ref and period; a period without a row, and a cell left blank, "
    "use the indicator row's value. Period is the month (for a quarterly indicator the "
    "quarter-end month, six-monthly the half-year end, annual the year end)."
)
EXAMPLE_TARGETS: tuple[tuple[str, date, Thresholds], ...] = (
    ("FN07", date(2023, 6, 1), Thresholds(target=0.88, floor=0.83)),
    ("FN07", date(2023, 9, 1), Thresholds(target=0.89)),
)
"""Example rows: FN07's target profiled up to its year-end Target (earlier months only, so
the example report's ratings are the reference report's)."""
_PROMPTS = {
    "Ref": "The Ref of an indicator on an indicator sheet.",
    "Period": "The month this row is for, e.g. 1/6/2023 (shown Jun-23).",
    "Target": "The Target in this period. Blank: the indicator row's Target.",
    "Floor": "The Floor Standard in this period. Blank: the indicator row's Floor.",
    "Upper": "The Upper threshold in this period (activity). Blank: the indicator row's.",
    "Lower": "The Lower threshold in this period (activity). Blank: the indicator row's.",
}
_WIDTHS = {"Ref": 12.0, "Period": 12.0}


def write_targets_sheet(
    ws: Ws,
    ref_ranges: Sequence[tuple[str, int]],
    indicators: Sequence[Indicator] = (),
    examples: Sequence[tuple[str, date, Thresholds]] = EXAMPLE_TARGETS,
) -> None:
    """The Targets sheet. ``ref_ranges``: (sheet, header row) of each indicator sheet, whose
    Ref cells the Ref column is validated against; ``indicators`` give the examples' formats."""
    style(ws.cell(1, 1, ws.title), "title")
    note = style(ws.cell(2, 1, TARGETS_NOTE), "note")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(TARGETS_COLUMNS))
    ws.row_dimensions[2].height = 54
    for col, header in enumerate(TARGETS_COLUMNS, start=1):
        style(ws.cell(HEADER_ROW, col, header), "header")
        ws.column_dimensions[get_column_letter(col)].width = _WIDTHS.get(header, 12.0)
    note.alignment = Alignment(wrap_text=True, vertical="top")
    formats = {indicator.ref: number_format(indicator) for indicator in indicators}
    for row, (ref, period, thresholds) in enumerate(examples, start=HEADER_ROW + 1):
        style(ws.cell(row, 1, ref), "text")
        style(ws.cell(row, 2, datetime(period.year, period.month, 1)), "text")
        for col, name in enumerate(TARGETS_COLUMNS[2:], start=3):
            cell = style(ws.cell(row, col, getattr(thresholds, name.lower())), "value")
            cell.number_format = formats.get(ref, "General")
    first, last = HEADER_ROW + 1, HEADER_ROW + DATA_ROWS
    for row in range(first, last + 1):
        ws.cell(row, 2).number_format = "mmm-yy"
    for check in _validations(ref_ranges, first, last):
        ws.add_data_validation(check)
    ws.freeze_panes = f"A{first}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    fit_to_width(ws, landscape=False)


def _ref_cells(sheet: str, header_row: int) -> str:
    return f"{quote_sheetname(sheet)}!$A${header_row + 1}:$A${header_row + DATA_ROWS}"


def _validations(ref_ranges: Sequence[tuple[str, int]], first: int, last: int) -> list[object]:
    prompts = _PROMPTS
    refs = [_ref_cells(sheet, header) for sheet, header in ref_ranges]
    error = "This is not the Ref of an indicator on an indicator sheet."
    if len(refs) == 1:  # one indicator sheet: a drop-down of its Refs
        ref = validation("list", prompts["Ref"], error, formula1=refs[0], errorStyle="warning")
    else:
        found = ",".join(f"COUNTIF({cells},A{first})" for cells in refs) or "0"
        ref = validation(
            "custom", prompts["Ref"], error, formula1=f"SUM({found})>0", errorStyle="warning"
        )
    ref.add(f"A{first}:A{last}")
    period = validation(
        "date",
        prompts["Period"],
        "The Period must be a date in the month, e.g. 1/6/2023.",
        operator="greaterThan",
        formula1="36526",  # 1 January 2000
    )
    period.add(f"B{first}:B{last}")
    checks: list[object] = [ref, period]
    for col, name in enumerate(TARGETS_COLUMNS[2:], start=3):
        letter = get_column_letter(col)
        number = validation(
            "custom",
            prompts[name],
            f"The {name} must be a number (type 65% as 65%), or leave it blank.",
            formula1=number_rule(f"{letter}{first}"),
        )
        number.add(f"{letter}{first}:{letter}{last}")
        checks.append(number)
    return checks
