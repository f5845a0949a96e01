"""The example sheet's columns (order, widths, formats, validation) come from the column table."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from kpixl import Indicator, ServiceArea
from kpixl.core.columns import INPUTS, Column, Computed, Kind, Rule, computed_in_force
from kpixl.template.layout import DATA_ROWS, column_headers, write_indicator_sheet

OCT = date(2023, 10, 1)
KPI = Indicator(ref="FN07", unit="%", target=0.9, floor=0.85, previous_year=0.8, values={OCT: 0.5})


@pytest.fixture(scope="module")
def sheet() -> tuple[Any, list[str | datetime], int]:
    ws = openpyxl.Workbook().active
    header_row = write_indicator_sheet(ws, ServiceArea(name="Finance"), [KPI], [OCT])
    return ws, column_headers([OCT]), header_row


def _letter(headers: list[str | datetime], header: str | datetime) -> str:
    return get_column_letter(headers.index(header) + 1)


def test_periods_stand_where_the_table_puts_value() -> None:
    headers = column_headers([OCT])
    position = list(Column).index(Column.VALUE)
    assert datetime(2023, 10, 1) == headers[position]
    assert [c.value for c in computed_in_force()] == headers[len(Column) :]


@pytest.mark.parametrize("column", [*INPUTS, *computed_in_force()])
def test_column_widths_are_the_tables(sheet: Any, column: Column | Computed) -> None:
    ws, headers, _ = sheet
    assert column.spec.width == ws.column_dimensions[_letter(headers, column.value)].width


def test_period_columns_are_as_wide_as_the_value_column(sheet: Any) -> None:
    ws, headers, _ = sheet
    letter = _letter(headers, datetime(2023, 10, 1))
    assert Column.VALUE.spec.width == ws.column_dimensions[letter].width


@pytest.mark.parametrize(
    "column", [c for c in Column if c.spec.kind in (Kind.NUMBER, Kind.PREVIOUS_YEAR, Kind.PERIOD)]
)
def test_figures_take_the_indicators_number_format(sheet: Any, column: Column) -> None:
    ws, headers, header_row = sheet
    header = datetime(2023, 10, 1) if column is Column.VALUE else column.value
    assert "0%" == ws[f"{_letter(headers, header)}{header_row + 1}"].number_format


@pytest.mark.parametrize("column", list(Column))
def test_each_column_carries_its_prompt_and_rule(sheet: Any, column: Column) -> None:
    ws, headers, header_row = sheet
    header = datetime(2023, 10, 1) if column is Column.VALUE else column.value
    letter = _letter(headers, header)
    cells = f"{letter}{header_row + 1}:{letter}{header_row + DATA_ROWS}"
    validation = {str(v.sqref): v for v in ws.data_validations.dataValidation}[cells]
    assert column.spec.validation.prompt == validation.prompt
    kinds = {
        Rule.NONE: None,
        Rule.LIST: "list",
        Rule.WHOLE: "whole",
        Rule.TEXT_LENGTH: "textLength",
    }
    assert kinds.get(column.spec.validation.rule, "custom") == validation.type
