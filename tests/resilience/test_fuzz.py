"""Fuzzed contract workbooks through ``kpixl check`` and ``kpixl calculate -o``.

Layouts within and just outside the contract (SPEC section 3): shuffled, misspelt and unknown
headers, merged cells, hidden rows and columns, formulas, text that looks like numbers, dates
or formulas, extreme numbers, right-to-left text, empty sheets and a ~2,000-column sheet.
Whatever the workbook, kpixl exits 0, 1 or 2 with plain messages, and never changes an input
cell. ``KPIXL_FUZZ_EXAMPLES`` sets the number of examples (60 by default; 2000 by hand).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from kpixl.cli import main
from kpixl.workbook.grid import CellValue, SheetGrid
from tests.workbooks import find, sample_grids, sample_xlsx, set_cell

EXAMPLES = int(os.environ.get("KPIXL_FUZZ_EXAMPLES", "60"))
LITERAL = object()  # marks a text cell whose text starts with "=" (stored as text, not formula)

ODD_VALUES: list[Any] = [
    None, "", " ", 0, -1, 1e308, -1e308, 1e-308, 5e-324, 2**53 + 1, "0.5", "50%", "1,234",
    "NaN", "nan", "inf", "-Infinity", "#N/A", "#DIV/0!", "N/A", "*", "-", "Oct-23", "2023-10-01",
    "01/10/2023", datetime(1900, 1, 1), datetime(9999, 12, 1), True, False,
    "日本語の指標", "مؤشر الأداء", "\u202eRTL override", "emoji 📈", "tab\there", "line\nbreak",
    "x" * 2000, "=SUM(A1:A3)", "=1/0", "=NOW()", (LITERAL, "=not a formula"),
    (LITERAL, "=cmd|' /C calc'!A0"), "KPI", "Activity", "Monthly", "Quarterly", "Entered",
    "Latest", "Sum", "High", "Low", "%", "Number", "£",
]  # fmt: skip

HEADER_TWISTS = [
    lambda h: h.upper(),
    lambda h: h.lower().replace(" ", ""),
    lambda h: f"  {h}  ",
    lambda h: h[:-1] if len(h) > 1 else h + h,
    lambda h: h[0] + h[2:] + h[1] if len(h) > 2 else h,
    lambda h: h + "s",
    lambda h: "",
]


@dataclass
class Book:
    """A workbook to write: sheets of rows plus the sheet features openpyxl can set."""

    sheets: dict[str, list[list[Any]]]
    merged: list[tuple[str, str]] = field(default_factory=list)
    hidden_rows: list[tuple[str, int]] = field(default_factory=list)
    hidden_cols: list[tuple[str, int]] = field(default_factory=list)

    def __repr__(self) -> str:  # short: hypothesis prints failing examples
        shape = {
            name: (len(rows), max(map(len, rows), default=0)) for name, rows in self.sheets.items()
        }
        return f"Book({shape}, merged={self.merged}, hidden={self.hidden_rows + self.hidden_cols})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # used by hypothesis
        printer.text(repr(self))


@st.composite
def books(draw: st.DrawFn) -> Book:
    """The sample report, twisted at random."""
    sheets = {g.name: [list(r) for r in g.rows] for g in sample_grids()}
    names = [n for n in sheets if n != "Settings"]
    kept = draw(st.lists(st.sampled_from(names), min_size=0, max_size=3, unique=True))
    book = Book({n: rows for n, rows in sheets.items() if n in kept or n == "Settings"})
    if draw(st.booleans()):
        del book.sheets["Settings"]
    for name in kept:
        _twist_sheet(draw, book, name)
    if draw(st.integers(0, 4)) == 0:
        book.sheets["Empty"] = []
    if draw(st.integers(0, 6)) == 0:
        book.sheets["Wide"] = _wide(draw)
    if draw(st.integers(0, 8)) == 0:
        book.sheets[draw(st.sampled_from(["Summary", "Dashboard", "summary"]))] = [["x"]]
    if not book.sheets:
        book.sheets["Empty"] = []
    return book


def _twist_sheet(draw: st.DrawFn, book: Book, name: str) -> None:
    rows = book.sheets[name]
    header = next(i for i, r in enumerate(rows) if r and r[0] == "Ref")
    width = max(len(r) for r in rows)
    for r in rows:
        r.extend([None] * (width - len(r)))
    if draw(st.booleans()):  # shuffle the table's columns
        order = draw(st.permutations(range(width)))
        for i in range(header, len(rows)):
            rows[i] = [rows[i][c] for c in order]
    for _ in range(draw(st.integers(0, 3))):  # misspell or blank a header
        col = draw(st.integers(0, width - 1))
        if isinstance(rows[header][col], str):
            rows[header][col] = draw(st.sampled_from(HEADER_TWISTS))(rows[header][col])
    for _ in range(draw(st.integers(0, 2))):  # an unknown column, with or without header
        col = draw(st.integers(0, width))
        label = draw(st.sampled_from(["Notes", "Owner", None, "Ref", "Target"]))
        for i, r in enumerate(rows):
            r.insert(col, label if i == header else draw(st.sampled_from(ODD_VALUES)))
        width += 1
    for _ in range(draw(st.integers(0, 12))):  # odd values anywhere
        i = draw(st.integers(0, len(rows) + 2))
        while len(rows) <= i:
            rows.append([None] * width)
        col = draw(st.integers(0, width + 2))
        rows[i].extend([None] * (col + 1 - len(rows[i])))
        rows[i][col] = draw(st.sampled_from(ODD_VALUES))
    for _ in range(draw(st.integers(0, 2))):
        top, left = draw(st.integers(1, len(rows))), draw(st.integers(1, width))
        bottom, right = top + draw(st.integers(0, 2)), left + draw(st.integers(0, 2))
        if (bottom, right) != (top, left):
            ref = f"{get_column_letter(left)}{top}:{get_column_letter(right)}{bottom}"
            book.merged.append((name, ref))
    if draw(st.booleans()):
        book.hidden_rows.append((name, draw(st.integers(1, len(rows)))))
    if draw(st.booleans()):
        book.hidden_cols.append((name, draw(st.integers(1, width))))


def _wide(draw: st.DrawFn) -> list[list[Any]]:
    width = draw(st.integers(1990, 2010))
    header: list[Any] = ["Ref", "Indicator description"] + [f"Col {i}" for i in range(width - 2)]
    return [header, ["W1", "Wide", *[draw(st.sampled_from(ODD_VALUES[:8]))] * (width - 2)]]


def write_book(book: Book, path: Path) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in book.sheets.items():
        sheet = workbook.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = sheet.cell(r, c)
                if isinstance(value, tuple) and value[0] is LITERAL:
                    cell.value = value[1]
                    cell.data_type = "s"
                else:
                    cell.value = value
                if isinstance(value, datetime):
                    cell.number_format = "mmm-yy"
    for name, ref in book.merged:
        workbook[name].merge_cells(ref)
    for name, number in book.hidden_rows:
        workbook[name].row_dimensions[number].hidden = True
    for name, col in book.hidden_cols:
        workbook[name].column_dimensions[get_column_letter(col)].hidden = True
    workbook.save(path)
    return path


def cells(path: Path) -> dict[tuple[str, str], tuple[CellValue, str]]:
    """Every non-empty cell of every sheet: (sheet, A1) -> (value, data_type)."""
    workbook = load_workbook(path)
    out = {}
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    out[sheet.title, cell.coordinate] = (cell.value, cell.data_type)
    workbook.close()
    return out


_PROBLEM = re.compile(r"^  (?P<where>.+?): (?:error|warning): \S")
_CELL = re.compile(r"^(?P<sheet>.+)!\$?[A-Z]{1,3}\$?[0-9]+$")


def assert_plain_output(text: str, sheets: set[str]) -> None:
    assert "Traceback" not in text
    assert "unexpected error" not in text
    for line in text.splitlines():
        if not line.startswith("  "):
            continue
        match = _PROBLEM.match(line)
        assert match, line
        where = match["where"]
        cell = _CELL.match(where)
        assert where == "workbook" or where in sheets or (cell and cell["sheet"] in sheets), line


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.slow
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(book=books())
def test_fuzzed_workbook_is_rated_or_refused_plainly_and_never_changed(
    book: Book, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_book(book, tmp_path / "fuzz.xlsx")
    out = tmp_path / "fuzz-rated.xlsx"
    out.unlink(missing_ok=True)
    before = cells(source)
    sheets = set(book.sheets)

    code, text = run(["check", str(source)], capsys)
    assert code in {0, 1, 2}, text
    assert_plain_output(text, sheets)

    code, text = run(["calculate", str(source), "-o", str(out)], capsys)
    assert code in {0, 1, 2}, text
    assert_plain_output(text, sheets)
    assert cells(source) == before
    if code == 2:
        assert not out.exists()
        return
    after = cells(out)
    changed = {k: (v, after.get(k)) for k, v in before.items() if after.get(k) != v}
    assert {} == changed
    assert {"Summary", "Dashboard"} <= {name for name, _ in after}


@pytest.mark.parametrize(("value", "header"), [("my note", None), ("keep me", "")])
def test_values_right_of_the_last_header_survive_calculate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, header: str | None
) -> None:
    def edit(grids: list[SheetGrid]) -> list[SheetGrid]:
        finance = next(g for g in grids if g.name == "Finance")
        row, col = find(finance, "FN06")
        width = len(finance.rows[row - 1])
        grids = set_cell(grids, "Finance", row - 1, width, header)
        return set_cell(grids, "Finance", row, width, value)

    source = sample_xlsx(tmp_path / "notes.xlsx", edit)
    before = cells(source)
    code, text = run(["calculate", str(source), "-o", str(tmp_path / "out.xlsx")], capsys)
    assert code in {0, 1}, text
    after = cells(tmp_path / "out.xlsx")
    assert {k: v for k, v in before.items() if after.get(k) != v} == {}


def test_a_period_header_in_december_9999_is_a_plain_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = sample_xlsx(
        tmp_path / "y9999.xlsx", lambda g: set_cell(g, "Finance", 5, 17, datetime(9999, 12, 1))
    )
    code, text = run(["check", str(source)], capsys)
    assert 1 == code, text
    assert_plain_output(text, {"Settings", "Finance"})
    assert "Finance!R6: error: The period header 'Dec 9999' is not a month kpixl can use" in text
