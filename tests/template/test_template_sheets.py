"""The template's sheets, read back from the built file with openpyxl and with kpixl's reader."""

from __future__ import annotations

import re
import warnings
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kpixl import load_sample
from kpixl.template import build_template
from kpixl.template.guidance import GUIDANCE
from kpixl.template.layout import UNITS
from kpixl.template.sheets import EXAMPLE_AREA, EXAMPLE_REFS, SHEET_NAMES, XLWINGS_CONF
from kpixl.udf_specs import MODULE, SPECS
from kpixl.workbook import contract, xlsx_io
from kpixl.workbook.cells import CHOICES
from kpixl.workbook.reader import read_book
from kpixl.workbook.xlsx_io import settle_vba_archive

from .ovba_support import xlwings_dir

HEADER_ROW = 6  # Service Area, Department, Director, Cabinet Member, blank, header
FIRST, LAST = HEADER_ROW + 1, HEADER_ROW + 200


@pytest.fixture(scope="module")
def path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_template(tmp_path_factory.mktemp("template") / "template.xlsm")


@pytest.fixture(scope="module")
def book(path: Path) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        book = openpyxl.load_workbook(path, keep_vba=True)
        settle_vba_archive(book)
        return book


@cache
def _headers(book: Any) -> list[Any]:
    return [cell.value for cell in book[EXAMPLE_AREA][HEADER_ROW]]


def _column(book: Any, header: str) -> str:
    letter: str = openpyxl.utils.get_column_letter(_headers(book).index(header) + 1)
    return letter


def test_sheets_and_code_names(book: Any) -> None:
    assert list(SHEET_NAMES) == book.sheetnames
    assert "ThisWorkbook" == book.code_name
    assert [f"Sheet{n}" for n in range(1, len(SHEET_NAMES) + 1)] == [
        ws.sheet_properties.codeName for ws in book.worksheets
    ]


@pytest.mark.parametrize(
    ("row", "setting", "value", "number_format"),
    [
        (2, contract.REPORT_TITLE, load_sample().title, "General"),
        (3, contract.PRODUCED_BY, "Kent Analytics", "General"),
        (4, contract.REPORTING_MONTH, datetime(2023, 10, 1), "mmm yyyy"),
        (5, contract.FY_START_MONTH, 4, "0"),
    ],
)
def test_settings_table(
    book: Any, row: int, setting: str, value: object, number_format: str
) -> None:
    ws = book[contract.SETTINGS_SHEET]
    assert ("Setting", "Value") == (ws["A1"].value, ws["B1"].value)
    assert (setting, value, number_format) == (
        ws.cell(row, 1).value,
        ws.cell(row, 2).value,
        ws.cell(row, 2).number_format,
    )


def test_header_row_is_inputs_periods_commentary_computed(book: Any) -> None:
    inputs = [h for h in contract.INPUT_COLUMNS if h != "Commentary"]
    months = [datetime(2023 + (m < 4), m, 1) for m in (*range(4, 13), 1, 2, 3)]
    assert [*inputs, *months, "Commentary", *contract.COMPUTED_COLUMNS] == _headers(book)


def test_period_headers_show_as_months(book: Any) -> None:
    cells = [c for c in book[EXAMPLE_AREA][HEADER_ROW] if isinstance(c.value, datetime)]
    assert {"mmm-yy"} == {cell.number_format for cell in cells}


def test_header_block_and_frozen_panes(book: Any) -> None:
    ws = book[EXAMPLE_AREA]
    block = [(ws.cell(r, 1).value, ws.cell(r, 2).value) for r in range(1, HEADER_ROW - 1)]
    assert [
        ("Service Area", "Finance"),
        ("Department", "Chief Executive's Department"),
        ("Director", "Zena Cooke"),
        ("Cabinet Member", "Peter Oakford"),
    ] == block
    assert f"C{FIRST}" == ws.freeze_panes


def test_kpixl_reads_the_example_rows_as_the_reference_reports(path: Path) -> None:
    read = read_book(xlsx_io.load(path).grids, path.name)
    sample = {i.ref: i for i in load_sample().indicators}
    assert [] == list(read.problems)
    assert [sample[ref] for ref in EXAMPLE_REFS] == list(read.report.indicators)
    assert load_sample().reporting_month == read.report.reporting_month


def _validations(book: Any) -> dict[str, Any]:
    """Range (as text) -> data validation, on the example sheet."""
    ws = book[EXAMPLE_AREA]
    return {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}


@pytest.mark.parametrize("header", list(contract.INPUT_COLUMNS))
def test_every_input_column_is_validated_over_the_data_rows(book: Any, header: str) -> None:
    letter = _column(book, header)
    assert f"{letter}{FIRST}:{letter}{LAST}" in _validations(book)


@pytest.mark.parametrize(
    ("header", "values"),
    [(column, choices) for column, choices in CHOICES.items()] + [("Unit", UNITS)],
)
def test_choice_columns_offer_their_values(book: Any, header: str, values: tuple[str, ...]) -> None:
    letter = _column(book, header)
    validation = _validations(book)[f"{letter}{FIRST}:{letter}{LAST}"]
    assert ("list", '"' + ",".join(values) + '"') == (validation.type, validation.formula1)


@pytest.mark.parametrize(
    ("header", "kind", "formula"),
    [
        ("Decimals", "whole", "0"),
        ("Target", "custom", 'OR(ISNUMBER(H7),H7="*",H7="-",H7="n/a",H7="na")'),
        ("Ref", "custom", "COUNTIF($A$7:$A$206,A7)=1"),
    ],
)
def test_number_and_ref_rules(book: Any, header: str, kind: str, formula: str) -> None:
    letter = _column(book, header)
    validation = _validations(book)[f"{letter}{FIRST}:{letter}{LAST}"]
    assert (kind, formula) == (validation.type, validation.formula1)


def test_period_block_accepts_numbers_or_not_available_marks(book: Any) -> None:
    first, last = _column(book, datetime(2023, 4, 1)), _column(book, datetime(2024, 3, 1))  # type: ignore[arg-type]
    validation = _validations(book)[f"{first}{FIRST}:{last}{LAST}"]
    assert re.fullmatch(rf'OR\(ISNUMBER\({first}7\),({first}7="[^"]+",?)+\)', validation.formula1)


@pytest.mark.parametrize(
    ("header", "labels"),
    [
        (contract.LATEST_RAG, ['"GREEN"', '"AMBER"', '"RED"']),
        (contract.YTD_RAG, ['"GREEN"', '"AMBER"', '"RED"']),
        (contract.IN_EXPECTED_RANGE, ['"Yes"', '"Above"', '"Below"']),
    ],
)
def test_computed_labels_are_coloured(book: Any, header: str, labels: list[str]) -> None:
    letter = _column(book, header)
    formats = book[EXAMPLE_AREA].conditional_formatting
    rules = [
        r for cf in formats if str(cf.sqref) == f"{letter}{FIRST}:{letter}{LAST}" for r in cf.rules
    ]
    assert labels == [rule.formula[0] for rule in rules]
    assert all(rule.dxf.fill is not None for rule in rules)


def test_only_summary_and_dashboard_are_marked_generated(path: Path) -> None:
    assert frozenset(contract.GENERATED_SHEETS) == xlsx_io.load(path).generated


def test_the_history_placeholder_is_the_only_hidden_sheet(book: Any) -> None:
    hidden = [ws.title for ws in book.worksheets if ws.sheet_state != "visible"]
    assert [contract.HISTORY_SHEET] == hidden
    assert book.sheetnames.index(contract.HISTORY_SHEET) == book.sheetnames.index("Dashboard") + 1


def test_xlwings_conf_keys_are_ones_xlwings_reads(book: Any) -> None:
    source = (xlwings_dir() / "xlwings.bas").read_text("cp1252")
    read = set(re.findall(r'GetConfig\("([^"]+)"', source))
    ws = book[contract.XLWINGS_CONF_SHEET]
    keys = [ws.cell(row, 1).value for row in range(1, len(XLWINGS_CONF) + 1)]
    assert {key.upper() for key in keys} <= read
    assert ws.cell(len(XLWINGS_CONF) + 1, 1).value is None  # xlwings stops at the first blank


@pytest.mark.parametrize(
    ("key", "value"),
    [("UDF Modules", MODULE), ("Use UDF Server", False), ("Show Console", False)],
)
def test_xlwings_conf_values(book: Any, key: str, value: object) -> None:
    ws = book[contract.XLWINGS_CONF_SHEET]
    values = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, len(XLWINGS_CONF) + 1)}
    assert value == values[key]


def _conf(book: Any) -> dict[object, object]:
    ws = book[contract.XLWINGS_CONF_SHEET]
    return {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, len(XLWINGS_CONF) + 1)}


def test_interpreter_win_is_an_environment_variable_not_a_persons_path(book: Any) -> None:
    """SPEC 8.6: the shared workbook holds no person's path, only ``%LOCALAPPDATA%``."""
    interpreter = str(_conf(book)["Interpreter_Win"])
    assert re.fullmatch(r"%LOCALAPPDATA%\\kpixl\\venv\\Scripts\\pythonw\.exe", interpreter)
    assert not re.search(r"[A-Za-z]:\\|\\Users\\|\\\\", interpreter)  # no drive, profile, share


def test_xlwings_expands_environment_variables_in_sheet_settings() -> None:
    """What the template's Interpreter_Win relies on, in xlwings 0.37.8's own VBA: GetConfig
    passes a value read from the xlwings.conf sheet through ExpandEnvironmentStrings, which
    on Windows is WScript.ExpandEnvironmentStrings; RunPython (the ribbon) and the UDF calls
    read the interpreter through GetConfig."""
    source = (xlwings_dir() / "xlwings.bas").read_text("cp1252")
    sheet_branch = re.search(
        r"GetConfig = GetConfigFromSheet\(ThisWorkbook\)\.Item\(configKey\)\s+"
        r"GetConfig = ExpandEnvironmentStrings\(GetConfig\)",
        source,
    )
    assert sheet_branch is not None
    assert "ExpandEnvironmentStrings = WScript.ExpandEnvironmentStrings(s)" in source
    assert 'interpreter = GetConfig("INTERPRETER_WIN", "")' in source  # RunPython
    assert 2 == source.count('PYTHON_WIN = GetConfig("INTERPRETER_WIN", "")')  # UDFs, their DLL


@pytest.mark.parametrize(
    "text",
    [
        "Floor Standard* has not been achieved",
        "Unblock",
        "Trusted Location",
        "Enable Content",
        "Targets sheet (optional)",
        "Tolerance (optional",
        "Amber tolerance",
        "Six-monthly",
        "Annual",
        "Within x% of Target but Target has not been met",
        "=KPI_RAG(0.85, 0.9, , , , , 10%)",
        *(spec.name for spec in SPECS),
    ],
)
def test_guidance_explains(book: Any, text: str) -> None:
    ws = book[contract.GUIDANCE_SHEET]
    cells = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert text in cells


def test_no_guidance_text_is_a_formula() -> None:
    assert [] == [line for line in GUIDANCE if any(part.startswith("=") for part in line)]
