"""The reader and the generated indicator sheets follow the column table, column by column."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kpixl import Frequency, Indicator, IndicatorType, Polarity, Report, YtdMethod
from kpixl.core.checks import text_in_number_problem
from kpixl.core.columns import INPUTS, Column, Kind
from kpixl.workbook.grid import CellValue, SheetGrid, cell_address
from kpixl.workbook.layout_from_report import report_to_grids
from kpixl.workbook.reader import read_book
from tests.workbook.grids import ABOVE, SETTINGS

OCT = date(2023, 10, 1)
HEADER_ROW = len(ABOVE)  # 0-based; the indicator is on the next row
FULL = Indicator(
    ref="FN07",
    description="Invoices paid on time",
    service_area="Finance",
    type=IndicatorType.KPI,
    frequency=Frequency.QUARTERLY,
    polarity=Polarity.HIGHER,
    unit="%",
    decimals=1,
    target=0.9,
    floor=0.85,
    upper=0.95,
    lower=0.8,
    tolerance=0.05,
    ytd_method=YtdMethod.RATIO,
    ytd_entered=0.87,
    numerator="FN07",
    denominator="FN07",
    previous_year=0.83,
    commentary="On track.",
    values={OCT: 0.88},
)


def _sheet(column: Column, typed: CellValue) -> list[SheetGrid]:
    """A sheet with every input column and one period; ``typed`` in ``column``'s cell."""
    header: list[CellValue] = [c.value for c in INPUTS] + [datetime(2023, 10, 1)]
    row: list[CellValue] = [None] * len(header)
    row[0], row[1], row[-1] = "FN07", "Invoices", 0.88
    row[header.index(column.value)] = typed
    return [SETTINGS, SheetGrid("Finance", [*map(list, ABOVE), header, row])]


@pytest.mark.parametrize("column", [c for c in INPUTS if c.spec.kind is Kind.NUMBER])
def test_text_in_any_number_column_is_a_problem_at_its_cell(column: Column) -> None:
    read = read_book(_sheet(column, "lots"))
    col = [c.value for c in INPUTS].index(column.value)
    expected = text_in_number_problem("FN07", column, "lots").model_copy(
        update={"sheet": "Finance", "cell": cell_address(HEADER_ROW + 1, col)}
    )
    assert [expected] == [p for p in read.problems if p.field is column]
    assert getattr(read.report.indicators[0], column.spec.attribute) is None


@pytest.mark.parametrize("column", [c for c in INPUTS if c.spec.kind is Kind.NUMBER])
def test_a_number_in_any_number_column_fills_its_field(column: Column) -> None:
    read = read_book(_sheet(column, "1,234"))
    assert 1234.0 == getattr(read.report.indicators[0], column.spec.attribute)


@pytest.mark.parametrize("column", [c for c in INPUTS if c.spec.kind is Kind.CHOICE])
def test_an_unknown_choice_is_a_problem_at_its_cell(column: Column) -> None:
    read = read_book(_sheet(column, "Sometimes"))
    col = [c.value for c in INPUTS].index(column.value)
    found = [p for p in read.problems if p.field is column]
    assert [cell_address(HEADER_ROW + 1, col)] == [p.cell for p in found]
    assert f"{column.value} 'Sometimes' is not one kpixl knows" in found[0].message


def test_floor_standard_is_read_as_the_floor() -> None:
    header: list[CellValue] = ["Ref", "Indicator description", "Target", "Floor Standard"]
    grids = [SETTINGS, SheetGrid("Finance", [header, ["FN07", "Invoices", 0.9, 0.85]])]
    assert 0.85 == read_book(grids).report.indicators[0].floor


def test_floor_and_floor_standard_together_are_a_duplicate_column() -> None:
    header: list[CellValue] = ["Ref", "Indicator description", "Floor", "Floor standard"]
    grids = [SETTINGS, SheetGrid("Finance", [header, ["FN07", "Invoices", 0.8, 0.85]])]
    read = read_book(grids)
    assert 0.8 == read.report.indicators[0].floor
    assert ["D1"] == [p.cell for p in read.problems if "more than one" in p.message]


def test_every_input_column_round_trips_through_a_generated_sheet() -> None:
    report = Report(reporting_month=OCT, indicators=(FULL,))
    grids = report_to_grids(report)
    header = next(row for row in grids[1].rows if "Ref" in row)
    assert [c.value for c in INPUTS] == [h for h in header if isinstance(h, str)]
    assert (FULL,) == read_book(grids).report.indicators


def test_a_generated_sheet_leaves_out_ratio_refs_no_row_uses() -> None:
    plain = FULL.model_copy(update={"numerator": None, "denominator": None, "ytd_method": None})
    grids = report_to_grids(Report(reporting_month=OCT, indicators=(plain,)))
    header = next(row for row in grids[1].rows if "Ref" in row)
    assert "Numerator" not in header and "Denominator" not in header
    assert "Previous year" in header  # always laid out, even when blank
