"""The template's Targets and Settings sheets (SPEC 8.4, 8.1-8.3), read back from the built
file: headers, example rows, data validation and input prompts, and kpixl reading them."""

from __future__ import annotations

import warnings
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kpixl.core.models import (
    CommentaryRule,
    DirectionMethod,
    Indicator,
    Report,
    ServiceArea,
    Thresholds,
    ThresholdTimeline,
)
from kpixl.sample import load_sample
from kpixl.template import build_template
from kpixl.template.settings_sheet import setting_rows
from kpixl.template.sheets import template_workbook
from kpixl.template.targets_sheet import EXAMPLE_TARGETS, HEADER_ROW
from kpixl.workbook import analysis_settings as analysis
from kpixl.workbook import contract, xlsx_io
from kpixl.workbook.calculate import calculate
from kpixl.workbook.grid import SheetGrid
from kpixl.workbook.settings import read_settings
from kpixl.workbook.targets import TARGETS_COLUMNS
from kpixl.workbook.xlsx_io import settle_vba_archive

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


def _validations(ws: Any) -> dict[str, Any]:
    return {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}


def test_the_targets_sheet_comes_after_the_indicator_sheet(book: Any) -> None:
    names = book.sheetnames
    assert names.index(contract.TARGETS_SHEET) == names.index("Finance") + 1


def test_the_targets_header_row_and_example_rows(book: Any) -> None:
    ws = book[contract.TARGETS_SHEET]
    assert list(TARGETS_COLUMNS) == [c.value for c in ws[HEADER_ROW]][: len(TARGETS_COLUMNS)]
    assert ["Ref", "Period", "Target", "Floor", "Upper", "Lower"] == list(TARGETS_COLUMNS)
    rows = [[c.value for c in row] for row in ws.iter_rows(FIRST, FIRST + 1, 1, 6)]
    assert [
        ["FN07", datetime(2023, 6, 1), 0.88, 0.83, None, None],
        ["FN07", datetime(2023, 9, 1), 0.89, None, None, None],
    ] == rows
    assert "mmm-yy" == ws.cell(FIRST, 2).number_format
    assert "0%" == ws.cell(FIRST, 3).number_format  # the indicator's own format
    assert f"A{FIRST}" == ws.freeze_panes


@pytest.mark.parametrize(
    ("cells", "kind", "formula", "error_style"),
    [
        (f"A{FIRST}:A{LAST}", "list", "'Finance'!$A$7:$A$206", "warning"),
        (f"B{FIRST}:B{LAST}", "date", "36526", "stop"),
        *((f"{c}{FIRST}:{c}{LAST}", "custom", f"OR(ISNUMBER({c}{FIRST})", "stop") for c in "CDEF"),
    ],
)
def test_every_targets_column_is_validated_with_a_prompt(
    book: Any, cells: str, kind: str, formula: str, error_style: str
) -> None:
    check = _validations(book[contract.TARGETS_SHEET])[cells]
    assert (kind, error_style) == (check.type, check.errorStyle or "stop")
    assert check.formula1.startswith(formula)
    assert check.showInputMessage and check.prompt and check.showErrorMessage and check.error


def test_kpixl_reads_the_template_targets_without_a_problem(path: Path) -> None:
    outcome = calculate(xlsx_io.load(path).grids, path.name)
    assert [] == list(outcome.problems)
    timeline = outcome.read.report.targets["FN07"].by_period
    assert {period: thresholds for _, period, thresholds in EXAMPLE_TARGETS} == timeline
    # earlier months only: FN07 is still rated as the reference report rates it
    fn07 = outcome.evaluation.results[0]
    assert ("FN07", "RED", 0.9) == (fn07.ref, fn07.latest_rag, fn07.latest_thresholds.target)


def test_the_settings_sheet_lists_every_setting_in_order_with_its_default(book: Any) -> None:
    ws = book[contract.SETTINGS_SHEET]
    names = [ws.cell(row, 1).value for row in range(2, 2 + len(contract.SETTINGS))]
    assert list(contract.SETTINGS) == names
    assert {*analysis.ANALYSIS_SETTINGS, contract.AMBER_TOLERANCE} <= set(names)
    values = {ws.cell(row, 1).value: ws.cell(row, 2).value for row in range(2, 2 + len(names))}
    assert {
        contract.AMBER_TOLERANCE: None,
        analysis.DIRECTION_METHOD: "Previous period",
        analysis.TREND_PERIODS: None,
        analysis.TREND_CONFIDENCE: 0.95,
        analysis.SPC: "Off",
        analysis.SPC_BASELINE_POINTS: None,
        analysis.SPC_MINIMUM_POINTS: 15,
        analysis.SPC_TREND_LENGTH: 7,
        analysis.SPC_SHIFT_LENGTH: 7,
        analysis.COMMENTARY_REQUIRED_FOR: "RED",
    }.items() <= values.items()
    assert all(ws.cell(row, 3).value for row in range(2, 2 + len(names)))  # every one a note


def _setting_check(book: Any, name: str) -> Any:
    ws = book[contract.SETTINGS_SHEET]
    row = next(r for r in range(2, 40) if ws.cell(r, 1).value == name)
    return _validations(ws)[f"B{row}"]


@pytest.mark.parametrize(
    ("name", "options"),
    [
        (analysis.DIRECTION_METHOD, [m.value for m in DirectionMethod]),
        (analysis.SPC, ["Off", "On"]),
        (analysis.COMMENTARY_REQUIRED_FOR, [r.value for r in CommentaryRule]),
    ],
)
def test_choice_settings_offer_their_values(book: Any, name: str, options: list[str]) -> None:
    check = _setting_check(book, name)
    assert ("list", '"' + ",".join(options) + '"') == (check.type, check.formula1)


def _read(name: str, value: object) -> list[str]:
    """The problems the Settings reader gives when ``name`` is ``value``."""
    grid = SheetGrid(
        "Settings",
        [
            ["Setting", "Value"],
            [contract.REPORT_TITLE, "KPIs"],
            [contract.PRODUCED_BY, "Kent Analytics"],
            [contract.REPORTING_MONTH, datetime(2023, 10, 1)],
            [name, value],
        ],
    )
    return [p.message for p in read_settings(grid, None).problems]


WHOLE = [
    (contract.FY_START_MONTH, 1, 12),
    (analysis.TREND_PERIODS, 4, 120),
    (analysis.SPC_BASELINE_POINTS, 2, 100_000),
    (analysis.SPC_MINIMUM_POINTS, 2, 1000),
    (analysis.SPC_TREND_LENGTH, 2, 1000),
    (analysis.SPC_SHIFT_LENGTH, 1, 1000),
]


@pytest.mark.parametrize(("name", "low", "high"), WHOLE)
def test_whole_number_validation_is_the_range_the_reader_accepts(
    book: Any, name: str, low: int, high: int
) -> None:
    check = _setting_check(book, name)
    assert ("whole", "between", str(low), str(high)) == (
        check.type, check.operator, check.formula1, check.formula2
    )  # fmt: skip
    assert [] == _read(name, float(low)) == _read(name, float(high))
    if name != contract.FY_START_MONTH:  # a month number is read by its own rule
        assert _read(name, float(low - 1)) and _read(name, float(high + 1))


@pytest.mark.parametrize(
    ("name", "inside", "outside"),
    [(contract.AMBER_TOLERANCE, [0.0, 0.1, 1.0], [1.5, -0.1])],
)
def test_the_amber_tolerance_validation_is_the_range_the_reader_accepts(
    book: Any, name: str, inside: list[float], outside: list[float]
) -> None:
    check = _setting_check(book, name)
    assert ("decimal", "0", "1") == (check.type, check.formula1, check.formula2)
    assert all(_read(name, x) == [] for x in inside)
    assert all(_read(name, x) for x in outside)


def test_a_report_s_own_settings_are_written() -> None:
    report = load_sample().model_copy(update={"amber_tolerance": 0.1})
    values = {row.name: row.value for row in setting_rows(report)}
    assert 0.1 == values[contract.AMBER_TOLERANCE]


def test_with_several_indicator_sheets_a_ref_is_looked_for_on_each() -> None:
    oct23 = datetime(2023, 10, 1).date()
    report = Report(
        reporting_month=oct23,
        areas=(ServiceArea(name="Waste"), ServiceArea(name="Housing")),
        indicators=(
            Indicator(ref="W1", service_area="Waste", target=0.9, floor=0.8, values={oct23: 1}),
            Indicator(ref="H1", service_area="Housing", target=5, floor=6, values={oct23: 4}),
        ),
        targets={"H1": ThresholdTimeline(by_period={oct23: Thresholds(target=4.5)})},
    )
    book = template_workbook(report)
    ws = book[contract.TARGETS_SHEET]
    check = _validations(ws)[f"A{FIRST}:A{LAST}"]
    assert ("custom", "warning") == (check.type, check.errorStyle)
    assert check.formula1 == (
        f"SUM(COUNTIF('Waste'!$A$4:$A$203,A{FIRST}),COUNTIF('Housing'!$A$4:$A$203,A{FIRST}))>0"
    )
    assert ["H1", datetime(2023, 10, 1), 4.5, None] == [
        ws.cell(FIRST, col).value for col in range(1, 5)
    ]  # the report's own period-specific thresholds
