"""SPEC 8.3 on xlwings' remote engine: Calculate RAG on a book that already holds an earlier
month's history writes the same history and the same Summary as ``kpixl calculate``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kpixl.core.history import HISTORY_SHEET
from kpixl.headless import calculate_file
from tests.xl.workbooks import headless, remote, run_remote, sample_grids, write_xlsx


def _set_month(path: Path, month: int) -> None:
    wb = load_workbook(path)
    (row,) = [r for r in wb["Settings"].iter_rows() if r[0].value == "Reporting month"]
    row[1].value = datetime(2023, month, 1)
    wb.save(path)


@pytest.fixture(scope="module")
def september(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample rated for Aug 2023 by the file path, then its Reporting month set to Sep."""
    path = write_xlsx(sample_grids(), tmp_path_factory.mktemp("history") / "kpis.xlsx")
    _set_month(path, 8)
    calculate_file(path, in_place=True, backup=False)
    _set_month(path, 9)
    return path


@pytest.mark.remote
def test_the_remote_engine_writes_the_history_and_summary_the_file_path_writes(
    september: Path,
) -> None:
    by_file, by_remote = headless(september), remote(september)

    months = {value for (row, col), value in by_file[HISTORY_SHEET].items() if col == 0 and row}
    assert {"Aug-23", "Sep-23"} == months
    assert by_file[HISTORY_SHEET] == by_remote[HISTORY_SHEET]
    assert by_file["Summary"] == by_remote["Summary"]
    assert "Changes since Aug 2023" in by_remote["Summary"].values()


@pytest.mark.remote
def test_the_remote_engine_keeps_the_history_hidden(september: Path) -> None:
    run, _ = run_remote(september)
    sheet = run.model.sheet(HISTORY_SHEET)
    assert not sheet.visible
    names = [s.name for s in run.model.sheets]
    assert names.index(HISTORY_SHEET) == names.index("Dashboard") + 1
