"""The optional Targets sheet (SPEC 8.4), read from a real .xlsx file: timelines for the core,
and each problem on its own cell of the Targets sheet."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from kpixl.core.evaluate import evaluate
from kpixl.core.models import (
    Frequency,
    Indicator,
    Polarity,
    Rag,
    Report,
    ServiceArea,
    Thresholds,
    ThresholdTimeline,
)
from kpixl.headless import calculate_file
from kpixl.workbook import xlsx_io
from kpixl.workbook.grid import CellValue, SheetGrid
from kpixl.workbook.layout_from_report import report_to_grids
from kpixl.workbook.reader import read_book
from kpixl.workbook.targets import with_targets
from tests.workbooks import computed_rows, write_grids

SEP, DEC = date(2023, 9, 1), date(2023, 12, 1)
GHG = Indicator(
    ref="ENV01",
    description="Greenhouse gas emissions from KCC estate (tonnes CO2e)",
    service_area="Environment",
    frequency=Frequency.QUARTERLY,
    polarity=Polarity.LOWER,
    target=10_700.0,
    floor=11_700.0,
    values={date(2023, 6, 1): 11_240.0, SEP: 10_985.0, DEC: 10_790.0},
)


def _book(
    tmp_path: Path, targets: list[list[CellValue]] | None, reporting_month: date = SEP
) -> xlsx_io.Loaded:
    report = Report(
        reporting_month=reporting_month,
        areas=(ServiceArea(name="Environment"),),
        indicators=(GHG,),
    )
    grids = report_to_grids(report)
    if targets is not None:
        grids.append(SheetGrid("Targets", targets))
    return xlsx_io.load(write_grids(grids, tmp_path / "book.xlsx"))


HEADER: list[CellValue] = ["Ref", "Period", "Target", "Floor"]


def test_targets_sheet_gives_the_trajectory(tmp_path: Path) -> None:
    rows = [HEADER, ["ENV01", datetime(2023, 9, 1), 11_000, 12_000], ["ENV01", "Jun-23", 11_300]]
    loaded = _book(tmp_path, rows)
    book = with_targets(read_book(loaded.grids, "book.xlsx"), loaded.grids)
    assert {
        "ENV01": ThresholdTimeline(
            by_period={
                SEP: Thresholds(target=11_000, floor=12_000),
                date(2023, 6, 1): Thresholds(target=11_300),
            }
        )
    } == book.report.targets
    assert Rag.GREEN == evaluate(book.report, book.problems).result("ENV01").latest_rag


def test_without_a_targets_sheet_the_book_is_unchanged(tmp_path: Path) -> None:
    loaded = _book(tmp_path, None)
    book = read_book(loaded.grids, "book.xlsx")
    assert book is with_targets(book, loaded.grids)
    assert Rag.AMBER == evaluate(book.report, book.problems).result("ENV01").latest_rag


@pytest.mark.parametrize(
    ("row", "cell", "words"),
    [
        (["XX9", "Sep-23", 1], "A3", "'XX9' is not the Ref of any indicator"),
        (["ENV01", "Oct-23", 1], "B3", "not a quarter-end month"),
        (["ENV01", "Sep-25", 1], "B3", "no period column for Sep-25"),
        (["ENV01", "soon", 1], "B3", "the Period 'soon' is not a month"),
        (["ENV01", "Sep-23", "eleven"], "C3", "the Target is the text 'eleven'"),
        ([None, "Sep-23", 1], "A3", "this row has no Ref"),
    ],
)
def test_targets_problems_are_on_their_cells(
    tmp_path: Path, row: list[CellValue], cell: str, words: str
) -> None:
    loaded = _book(tmp_path, [HEADER, ["ENV01", "Jun-23", 11_300], row])
    book = with_targets(read_book(loaded.grids, "book.xlsx"), loaded.grids)
    found = [p for p in book.problems if p.sheet == "Targets"]
    assert [cell] == [p.cell for p in found]
    assert words in found[0].message
    assert {"ENV01"} == set(book.report.targets)  # the good row is still used


def test_duplicate_rows_are_each_located_and_neither_used(tmp_path: Path) -> None:
    rows = [HEADER, ["ENV01", "Sep-23", 11_000], ["ENV01", datetime(2023, 9, 30), 11_100]]
    loaded = _book(tmp_path, rows)
    book = with_targets(read_book(loaded.grids, "book.xlsx"), loaded.grids)
    assert ["B2", "B3"] == [p.cell for p in book.problems if p.sheet == "Targets"]
    assert {} == book.report.targets
    evaluation = evaluate(book.report, book.problems)
    assert (10_985.0, Rag.AMBER) == (
        evaluation.result("ENV01").latest_value,
        evaluation.result("ENV01").latest_rag,
    )


def test_a_targets_sheet_without_its_headers_is_a_warning(tmp_path: Path) -> None:
    loaded = _book(tmp_path, [["Something else"], ["ENV01", "Sep-23", 1]])
    book = with_targets(read_book(loaded.grids, "book.xlsx"), loaded.grids)
    assert ["warning"] == [p.severity.value for p in book.problems if p.sheet == "Targets"]


def test_calculate_file_rates_against_the_targets_sheet(tmp_path: Path) -> None:
    """End to end, headless: the written Latest RAG and the Targets problem on its cell."""
    rows = [HEADER, ["ENV01", "Sep-23", 11_000, 12_000], ["NOPE", "Sep-23", 1]]
    source = _book(tmp_path, rows).path
    written = calculate_file(source, tmp_path / "out.xlsx")
    computed = computed_rows(openpyxl.load_workbook(written.path))
    assert "GREEN" == computed["ENV01"]["Latest RAG"]  # 10,985 against Sep-23's own 11,000
    assert ["Targets!A3"] == [p.location for p in written.outcome.problems if p.sheet == "Targets"]
