"""An Excel error value in a live workbook is read as the error, as from a file: a located
problem, never a blank (which would have read as "not available")."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlwings as xw

from kpixl.workbook.calculate import calculate
from kpixl.workbook.xlwings_io import read_grids
from tests.workbook.grids import FIRST_ROW, book
from tests.xl.remote_model import payload
from tests.xl.workbooks import write_xlsx


@pytest.mark.remote
@pytest.mark.parametrize("error", ["#N/A", "#DIV/0!", "#REF!"])
def test_an_error_cell_in_excel_is_a_problem_at_its_cell(tmp_path: Path, error: str) -> None:
    data = payload(write_xlsx(book(), tmp_path / "b.xlsx"))
    finance = next(sheet for sheet in data["sheets"] if sheet["name"] == "Finance")
    finance["values"][FIRST_ROW][10] = error  # K5, FN07's Oct-23 value, as Office.js sends it
    grids = read_grids(xw.Book(json=data))
    assert error == next(g for g in grids if g.name == "Finance").value(FIRST_ROW, 10)
    problems = [p for p in calculate(grids).problems if p.cell == "K5"]
    assert [f"FN07: the Oct-23 value is the error {error}, so it cannot be used."] == [
        p.message.split(" Correct")[0] for p in problems
    ]
