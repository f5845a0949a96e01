"""The SPC computed columns ``Variation`` and ``Assurance`` (SPEC 8.2): written only with SPC
On, ``N/A`` without enough points, coloured by their MDC label rules; with SPC Off a sheet
gets exactly the default columns, and one already there is cleared, not removed."""

from __future__ import annotations

from datetime import datetime

from kpixl.core.columns import Computed, Needs, computed_in_force
from kpixl.core.evaluate import evaluate
from kpixl.workbook import contract
from kpixl.workbook.calculate import calculate
from kpixl.workbook.grid import SheetGrid
from kpixl.workbook.layout_from_report import report_to_grids
from kpixl.workbook.plan import ColouredRange
from kpixl.workbook.planner import plan_computed, row_values
from tests.long_sample import long_sample
from tests.workbook.grids import ACTIVITY, HEADER, KPI, SETTINGS, book, sheet

DEFAULT = list(contract.COMPUTED_COLUMNS)
WITH_SPC = [*DEFAULT[:-1], "Variation", "Assurance", "Checks"]


def spc_settings(*extra: list[object]) -> SheetGrid:
    return SheetGrid("Settings", [*[list(r) for r in SETTINGS.rows], ["SPC", "On"], *extra])


def test_the_default_columns_leave_out_those_that_need_a_setting() -> None:
    assert ["Variation", "Assurance"] == [
        c.value for c in computed_in_force([Needs.SPC]) if c not in computed_in_force()
    ]
    assert "Variation" not in DEFAULT and "Assurance" not in DEFAULT


def test_spc_off_writes_exactly_the_default_columns() -> None:
    blocks = plan_computed(calculate(book())).blocks
    assert [DEFAULT] == [list(b.values[0]) for b in blocks]


def test_spc_on_adds_variation_and_assurance_before_checks() -> None:
    grids = [spc_settings(), sheet(KPI, ACTIVITY)]
    (block,) = plan_computed(calculate(grids)).blocks
    assert WITH_SPC == list(block.values[0])


def test_too_few_points_give_na_in_both_columns() -> None:
    grids = [spc_settings(), sheet(KPI, ACTIVITY)]
    (block,) = plan_computed(calculate(grids)).blocks
    at = WITH_SPC.index("Variation")
    assert [["N/A", "N/A"], ["N/A", "N/A"]] == [list(r[at : at + 2]) for r in block.values[1:]]


def test_a_lower_minimum_gives_labels() -> None:
    grids = [spc_settings(["SPC minimum points", 3]), sheet(KPI, ACTIVITY)]
    (block,) = plan_computed(calculate(grids)).blocks
    at = WITH_SPC.index("Variation")
    # 0.80, 0.86, 0.91 against Target 0.9: common cause, and the limits straddle the Target
    assert ["Common cause", "Hit and miss"] == list(block.values[1][at : at + 2])
    assert ["N/A", "N/A"] == list(block.values[2][at : at + 2])  # the activity has two values


def test_spc_columns_are_coloured_by_their_own_label_rules() -> None:
    grids = [spc_settings(), sheet(KPI, ACTIVITY)]
    coloured = plan_computed(calculate(grids)).coloured
    start = 12  # column M: the first computed column
    assert [
        ColouredRange("Finance", 4, start + WITH_SPC.index(name), 5, kind)
        for name, kind in (
            ("Latest RAG", "rag"),
            ("YTD RAG", "rag"),
            ("In expected range?", "alert"),
            ("Variation", "variation"),
            ("Assurance", "assurance"),
        )
    ] == list(coloured)


def test_with_spc_off_an_existing_variation_column_stays_and_is_cleared() -> None:
    header = [*HEADER, "Variation"]
    row = [*KPI, None, "Common cause"]
    (block,) = plan_computed(calculate([SETTINGS, sheet(row, header=header)])).blocks
    assert (12, ["Variation", *DEFAULT]) == (block.col, list(block.values[0]))
    assert None is block.values[1][0]


def test_row_values_of_the_long_sample_match_its_results() -> None:
    evaluation = evaluate(long_sample())
    on = [Needs.SPC]
    seen = set()
    for indicator, result in evaluation.pairs():
        cells = row_values(indicator, result, (), on)
        assert (str(result.variation) if result.variation else "N/A") == cells[Computed.VARIATION]
        assert (str(result.assurance) if result.assurance else "N/A") == cells[Computed.ASSURANCE]
        seen.add(cells[Computed.VARIATION])
    assert {"Common cause", "Improvement (high)", "Concern (low)"} <= seen


def test_the_long_sample_workbook_round_trips_its_settings() -> None:
    grids = report_to_grids(long_sample())
    report = calculate(grids).evaluation.report
    assert report.spc is not None and report.trend.method.value == "Regression"
    assert datetime(2023, 10, 1) == grids[0].rows[3][1]
