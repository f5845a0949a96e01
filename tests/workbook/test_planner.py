"""The calculation outcome and the write plan for the computed columns."""

from __future__ import annotations

from typing import Any

import pytest

from kpixl import Indicator
from kpixl.sample import load_sample
from kpixl.workbook import contract
from kpixl.workbook.calculate import calculate, cell_position
from kpixl.workbook.grid import Block, CellValue
from kpixl.workbook.layout_from_report import report_to_grids
from kpixl.workbook.plan import CellFormat, ColouredRange
from kpixl.workbook.planner import computed_columns, number_format, plan_computed
from tests.core.test_reference import ALERTS, KPI_RAGS
from tests.workbook.grids import ACTIVITY, HEADER, KPI, SETTINGS, book, changed, settings, sheet

COMPUTED = list(contract.COMPUTED_COLUMNS)
GREEN_KPI = ["Oct-23", 0.91, "GREEN", None, "N/A", None, "Improving", None]
IN_RANGE = ["Sep-23", 160.0, None, None, None, "Yes", "Up", None]


def only_block(grids: Any) -> Block:
    blocks = plan_computed(calculate(grids)).blocks
    assert 1 == len(blocks)
    return blocks[0]


# ------------------------------------------------------------------ outcome


@pytest.mark.parametrize(
    ("grids", "exit_code"),
    [
        (book(), 0),
        (report_to_grids(load_sample()), 0),
        (book(changed(KPI, K="soon")), 1),
        (book(changed(KPI, F=None)), 1),  # a warning (no Floor) counts too
    ],
)
def test_exit_code(grids: Any, exit_code: int) -> None:
    assert exit_code == calculate(grids).exit_code


def test_problems_are_located_and_sorted_by_sheet_row_and_column() -> None:
    grids = [
        sheet(changed(ACTIVITY, A="FN07", K="x"), name="Second"),
        sheet(changed(KPI, K="y", E="z")),
        settings(month="soon"),
    ]
    outcome = calculate(grids)
    assert [
        "Second!A5", "Second!K5", "Finance!B1", "Finance!A5", "Finance!E5", "Finance!E5",
        "Finance!K5", "Settings!B4",
    ] == [p.location for p in outcome.problems]  # fmt: skip
    assert outcome.problems[0].message.startswith("FN07: this Ref is used by more than one")
    assert "FN07: this KPI has no Target, so it cannot be given a RAG rating." == (
        outcome.problems[5].message
    )


@pytest.mark.parametrize(("address", "position"), [("A1", (0, 0)), ("K7", (6, 10)),
                                                    ("$AA$10", (9, 26))])  # fmt: skip
def test_cell_position(address: str, position: tuple[int, int]) -> None:
    assert position == cell_position(address)


# ------------------------------------------------------------------ where the columns go


def test_absent_computed_columns_are_appended_right_of_the_table() -> None:
    block = only_block(book())
    assert ("Finance", 3, 12) == (block.sheet, block.row, block.col)  # header row, column M
    assert [COMPUTED, GREEN_KPI, IN_RANGE] == [list(row) for row in block.values]


def test_unknown_columns_count_as_part_of_the_table() -> None:
    block = only_block([SETTINGS, sheet(KPI, header=[*HEADER, None, "Notes"])])
    assert 14 == block.col


@pytest.mark.parametrize(
    ("rows", "pending", "first_free"),
    [
        ([changed(KPI, P="a note beside the table")], frozenset(), 16),
        ([KPI, changed(ACTIVITY, R=0)], frozenset(), 18),
        ([KPI], frozenset({(4, 14)}), 15),  # a formula never calculated reads as blank
    ],
)
def test_computed_columns_go_right_of_anything_typed_beside_the_table(
    rows: list[list[CellValue]], pending: frozenset[tuple[int, int]], first_free: int
) -> None:
    assert first_free == only_block([SETTINGS, sheet(*rows, pending=pending)]).col


def test_existing_computed_columns_stay_in_place_and_the_rest_are_appended() -> None:
    header = [*HEADER[:2], " latest  RAG", *HEADER[2:], "checks"]  # C and N
    rows = [[*r[:2], "old", *r[2:]] for r in (KPI, ACTIVITY)]
    blocks = plan_computed(calculate([SETTINGS, sheet(*rows, header=header)])).blocks
    assert [(2, ["Latest RAG"]), (13, ["Checks"] + COMPUTED[:2] + COMPUTED[3:-1])] == [
        (b.col, list(b.values[0])) for b in blocks
    ]
    assert [["GREEN"], [None]] == [list(row) for row in blocks[0].values[1:]]


def test_rows_between_indicators_are_cleared_and_old_results_below_too() -> None:
    header = [*HEADER, "Latest RAG"]
    rows: list[list[CellValue]] = [KPI, [], changed(ACTIVITY, M="RED"), [], [*[None] * 12, "RED"]]
    block = only_block([SETTINGS, sheet(*rows, header=header)])
    values = [list(row) for row in block.values]
    assert (6, [None] * 8) == (len(values), values[2])  # header + 5 rows down to the old RAG
    assert [None] * 8 == values[5]


def test_computed_columns_helper_orders_appended_columns_by_the_contract() -> None:
    read = calculate([SETTINGS, sheet(KPI, header=[*HEADER, "Checks"])]).read
    assert dict(zip(COMPUTED, [*range(13, 20), 12], strict=True)) == computed_columns(
        read.sheets[0]
    )


# ------------------------------------------------------------------ values


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (changed(KPI, K=0.84), ["Oct-23", 0.84, "RED", None, "N/A", None, "Worsening",
                                "FN07: rated RED for Oct-23 with no commentary. Say what is "
                                "behind it and what is being done in the Commentary cell "
                                "(Commentary required for: RED)."]),
        (changed(KPI, K=0.85), ["Oct-23", 0.85, "AMBER", None, "N/A", None, "Worsening", None]),
        (changed(KPI, I="*", J="*", K="*"), [None, None, "N/A", None, "N/A", None, None,
                                             "FN07: no value in the last 3 months up to Oct "
                                             "2023; it has none at all."]),
        (changed(ACTIVITY, G=None, H=None), ["Sep-23", 160.0, None, None, None, "N/A", "Up",
                                             None]),
        (changed(ACTIVITY, G=155), ["Sep-23", 160.0, None, None, None, "Above", "Up", None]),
    ],
)  # fmt: skip
def test_row_values(row: list[CellValue], expected: list[CellValue]) -> None:
    assert expected == list(only_block(book(row)).values[1])


def test_checks_hold_the_row_problems_in_words() -> None:
    block = only_block(book(changed(KPI, E="x", K="y"), ACTIVITY))
    assert [
        "FN07: the Target is the text 'x', but a number belongs there. Type the number, or * if "
        "it is not available. FN07: this KPI has no Target, so it cannot be given a RAG rating. "
        "FN07: the Oct-23 value is the text 'y', but a number belongs there. Type the number, or "
        "* if it is not available.",
        None,
    ] == [row[-1] for row in block.values[1:]]


@pytest.mark.parametrize(
    ("ref", "expected"), sorted((ref, (m or "N/A", y or "N/A")) for ref, (m, y) in KPI_RAGS.items())
)
def test_reference_rags_are_written(ref: str, expected: tuple[str, str]) -> None:
    assert expected == _written(ref, contract.LATEST_RAG, contract.YTD_RAG)


@pytest.mark.parametrize(("ref", "expected"), sorted(ALERTS.items()))
def test_reference_alerts_are_written(ref: str, expected: str) -> None:
    assert (expected,) == _written(ref, contract.IN_EXPECTED_RANGE)


SAMPLE_OUTCOME = calculate(report_to_grids(load_sample()))
SAMPLE_PLAN = plan_computed(SAMPLE_OUTCOME)


def _written(ref: str, *headers: str) -> tuple[CellValue, ...]:
    index = [i.ref for i in SAMPLE_OUTCOME.read.report.indicators].index(ref)
    name, row = SAMPLE_OUTCOME.read.locations[index]
    (block,) = [b for b in SAMPLE_PLAN.blocks if b.sheet == name]
    names = list(block.values[0])
    return tuple(block.values[row - block.row][names.index(h)] for h in headers)


# ------------------------------------------------------------------ formats and colours


@pytest.mark.parametrize(
    ("unit", "decimals", "expected"),
    [
        ("%", None, "0%"),
        ("%", 0, "0%"),
        ("%", 1, "0.0%"),
        ("£000s", None, "#,##0"),
        ("Number", 2, "#,##0.00"),
        (None, None, "#,##0"),
        ("Seconds", None, "0"),
        ("seconds", 1, "0.0"),
    ],
)
def test_number_format(unit: str | None, decimals: int | None, expected: str) -> None:
    assert expected == number_format(Indicator(ref="X", unit=unit, decimals=decimals))


def test_value_cells_get_number_formats() -> None:
    formats = plan_computed(calculate(book())).formats
    assert [
        CellFormat("Finance", 4, 13, "0%"),
        CellFormat("Finance", 4, 15, "0%"),
        CellFormat("Finance", 5, 13, "#,##0"),
        CellFormat("Finance", 5, 15, "#,##0"),
    ] == list(formats)


def test_rag_and_alert_columns_are_coloured_over_the_data_rows() -> None:
    coloured = plan_computed(calculate(book())).coloured
    assert [
        ColouredRange("Finance", 4, 14, 5, "rag"),
        ColouredRange("Finance", 4, 16, 5, "rag"),
        ColouredRange("Finance", 4, 17, 5, "alert"),
    ] == list(coloured)


def test_a_sheet_without_indicators_gets_headers_only() -> None:
    plan = plan_computed(calculate(book([None, "a title row, no ref"])))
    assert ([COMPUTED], ()) == ([list(r) for r in plan.blocks[0].values], plan.coloured)


def test_designs_are_left_to_the_report_layer() -> None:
    assert () == SAMPLE_PLAN.designs
