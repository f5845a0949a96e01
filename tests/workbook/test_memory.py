"""The in-memory book: the port's third adapter, recording values and full looks."""

from __future__ import annotations

import pytest

from kpixl.errors import WorkbookError
from kpixl.report import look
from kpixl.report.design import DesignCell, SheetDesign
from kpixl.workbook import port
from kpixl.workbook.calculate import calculate
from kpixl.workbook.grid import Block, SheetGrid
from kpixl.workbook.memory import MemoryBook
from kpixl.workbook.plan import CellFormat, ColouredRange, WritePlan
from kpixl.workbook.planner import full_plan
from tests.workbook.grids import book


def _design(rows: int = 2) -> SheetDesign:
    cells = [DesignCell(0, 0, "Title", "title")]
    cells += [DesignCell(1 + r, 0, "GREEN", "rag") for r in range(rows)]
    return SheetDesign("Summary", tuple(cells), merges=((0, 0, 0, 2),), footer="A & B")


def test_a_calculation_is_carried_in_with_values_and_looks() -> None:
    memory = MemoryBook(book(), name="report.xlsx")

    port.apply(memory, full_plan(calculate(memory.read_grids(), source=memory.name)))

    assert ["Summary", "Dashboard", "kpixl history"] == memory.sheet_names()[-3:]
    assert {"Summary", "Dashboard", "kpixl history"} == memory.generated()
    assert memory.sheet("kpixl history").hidden
    dashboard = memory.sheet("Dashboard")
    assert look.DESIGN_STYLES["title"] == dashboard.style(0, 0)
    assert dashboard.page is not None and dashboard.page.orientation == "landscape"
    finance = memory.sheet("Finance")
    assert any(s.number_format != look.GENERAL for s in finance.styles.values())
    assert any(rules for _, rules in finance.conditional)


def test_a_sheet_kpixl_did_not_make_is_refused_before_anything_is_written() -> None:
    memory = MemoryBook([*book(), SheetGrid("Summary", [["my notes"]])])
    plan = WritePlan(blocks=(Block("Finance", 0, 20, [["x"]]),), designs=(_design(),))

    with pytest.raises(WorkbookError, match="sheet named 'Summary' that kpixl did not make"):
        port.apply(memory, plan)

    assert (0, 20) not in memory.sheet("Finance").cells
    assert {(0, 0): "my notes"} == memory.sheet("Summary").cells


def test_a_redraw_replaces_kpixls_sheet_in_place() -> None:
    memory = MemoryBook(
        [SheetGrid("Summary", [["old"]]), SheetGrid("After", [])], marked=["Summary"]
    )

    port.apply(memory, WritePlan(designs=(_design(rows=1),)))

    assert ["Summary", "After"] == memory.sheet_names()
    summary = memory.sheet("Summary")
    assert {(0, 0): "Title", (1, 0): "GREEN"} == summary.cells
    assert [(0, 0, 0, 2)] == summary.merges
    assert summary.page is not None and "A & B" == summary.page.footer_centre
    assert ["GREEN", "AMBER", "RED"] == [r.label for r in summary.rules_at(1, 0)][:3]


def test_label_rules_on_a_column_replace_kpixls_earlier_ones_there() -> None:
    memory = MemoryBook([SheetGrid("Finance", [[None] * 5 for _ in range(8)])])
    first = WritePlan(coloured=(ColouredRange("Finance", 1, 3, 4, "rag"),))
    grown = WritePlan(coloured=(ColouredRange("Finance", 1, 3, 6, "alert"),))

    port.apply(memory, first)
    port.apply(memory, grown)

    ((rect, rules),) = memory.sheet("Finance").conditional
    assert ((1, 3, 6, 3), ("Yes", "Above", "Below")) == (rect, tuple(r.label for r in rules))


def test_number_formats_and_text_stay_as_planned() -> None:
    memory = MemoryBook([SheetGrid("Finance", [["Ref"]])])
    plan = WritePlan(
        blocks=(Block("Finance", 1, 0, [["=1+1"], [0.5]]),),
        formats=(CellFormat("Finance", 2, 0, "0%"),),
    )

    port.apply(memory, plan)

    sheet = memory.sheet("Finance")
    assert ("=1+1", 0.5, "0%") == (
        sheet.cells[1, 0],
        sheet.cells[2, 0],
        sheet.style(2, 0).number_format,
    )


def test_a_missing_sheet_is_refused() -> None:
    with pytest.raises(WorkbookError, match="no sheet named 'Nowhere'"):
        port.apply(MemoryBook(), WritePlan(blocks=(Block("Nowhere", 0, 0, [["x"]]),)))


def test_the_memory_book_records_sparklines_charts_and_hidden_columns() -> None:
    from kpixl.report.charts import charts_design
    from kpixl.report.dashboard import dashboard_design
    from kpixl.workbook import port
    from kpixl.workbook.calculate import calculate
    from kpixl.workbook.planner import full_plan
    from tests.workbooks import sample_grids, with_settings

    book = MemoryBook(with_settings(sample_grids(), Charts="Yes"))
    outcome = calculate(book.read_grids(), source=book.name)
    port.apply(book, full_plan(outcome))
    dashboard = dashboard_design(outcome.evaluation)
    assert list(dashboard.sparklines) == book.sheet("Dashboard").sparklines
    assert set(dashboard.hidden_columns) == book.sheet("Dashboard").hidden_columns
    assert list(charts_design(outcome.evaluation).charts) == book.sheet("Charts").charts
    assert 27 == len(book.sheet("Charts").charts)
    port.apply(book, full_plan(calculate(book.read_grids(), source=book.name)))
    assert 27 == len(book.sheet("Charts").charts)  # replaced, not added to
    assert 1 == book.sheet_names().count("Charts")
