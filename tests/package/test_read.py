"""The fast reader: values typed as openpyxl types them, sparse grids, entity-free parsing.

Each rule is checked on a hand-written part against the expected value and against
``xlsx_io.load`` (the openpyxl path) on the same file.
"""

from __future__ import annotations

import time
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.chart import BarChart
from openpyxl.comments import Comment

from kpixl.errors import WorkbookError
from kpixl.package.read import read_book
from kpixl.workbook import xlsx_io
from kpixl.workbook.grid import CellValue, SheetGrid
from tests.package.books import book, shared_xml, sheet_xml


def trimmed(grid: SheetGrid) -> list[list[CellValue]]:
    """The grid's rows without trailing empty cells and rows (openpyxl's grids are padded)."""
    rows = [list(row) for row in grid.rows]
    for row in rows:
        while row and row[-1] is None:
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows


def typed(rows: list[list[CellValue]]) -> list[list[tuple[type, CellValue]]]:
    return [[(type(value), value) for value in row] for row in rows]


def assert_same_as_openpyxl(path: Path) -> list[SheetGrid]:
    fast = read_book(path).grids
    slow = xlsx_io.load(path).grids
    assert [(g.name, g.hidden) for g in slow] == [(g.name, g.hidden) for g in fast]
    for old, new in zip(slow, fast, strict=True):
        assert typed(trimmed(old)) == typed(trimmed(new)), old.name
        assert old.formulas_without_value == new.formulas_without_value, old.name
    return fast


def test_numbers_dates_times_and_durations_follow_the_cell_format(tmp_path: Path) -> None:
    row = (
        '<row r="1"><c r="A1"><v>42</v></c><c r="B1"><v>2.5</v></c><c r="C1"><v>1E3</v></c>'
        '<c r="D1" s="1"><v>45000</v></c><c r="E1" s="2"><v>45000.5</v></c>'
        '<c r="F1" s="3"><v>45000</v></c><c r="G1" s="4"><v>0.25</v></c>'
        '<c r="H1" s="5"><v>1.5</v></c></row>'
    )
    grid = assert_same_as_openpyxl(book(tmp_path, sheet_xml(row)))[0]
    assert typed(trimmed(grid)) == typed(
        [[42, 2.5, 1000.0, datetime(2023, 3, 15), datetime(2023, 3, 15, 12), 45000, 0.25, 1.5]]
    )


def test_dates_count_from_1904_when_the_workbook_says_so(tmp_path: Path) -> None:
    path = book(tmp_path, sheet_xml('<row r="1"><c r="A1" s="1"><v>1</v></c></row>'), date1904=True)
    assert assert_same_as_openpyxl(path)[0].rows[0] == [datetime(1904, 1, 2)]


def test_text_booleans_errors_and_iso_dates(tmp_path: Path) -> None:
    strings = shared_xml(
        "<t>plain</t>",
        "<r><rPr><b/></rPr><t>Tokyo </t></r><r><t>東京</t></r>"
        '<rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="0"/>',
        "<t>a_x005F_x000D_b</t>",
    )
    row = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c>'
        '<c r="D1" t="inlineStr"><is><r><t>in</t></r><r><t xml:space="preserve">line </t></r>'
        '<rPh sb="0" eb="1"><t>x</t></rPh></is></c>'
        '<c r="E1" t="b"><v>1</v></c><c r="F1" t="e"><v>#N/A</v></c>'
        '<c r="G1" t="str"><v>text &amp; more</v></c><c r="H1" t="d"><v>2023-10-01T00:00:00</v></c>'
        '<c r="I1" t="inlineStr"><is/></c></row>'
    )
    grid = assert_same_as_openpyxl(book(tmp_path, sheet_xml(row), shared=strings))[0]
    assert typed(trimmed(grid)) == typed(
        [
            [
                "plain",
                "Tokyo 東京",
                "a_x000D_b",
                "inline ",
                True,
                "#N/A",
                "text & more",
                datetime(2023, 10, 1),
                "",
            ]
        ]  # fmt: skip
    )


def test_formulas_give_their_saved_result_or_are_listed_without_one(tmp_path: Path) -> None:
    row = (
        '<row r="2"><c r="A2"><f>1+1</f><v>2</v></c><c r="B2"><f>NOW()</f></c>'
        '<c r="C2" t="str"><f>"a"</f><v>a</v></c><c r="D2" s="1"><f>TODAY()</f><v>45000</v></c>'
        '<c r="E2" t="b"><f>TRUE</f><v>1</v></c><c r="F2"><f t="shared" si="0"/></c>'
        '<c r="G2"><f>Y()</f><v></v></c><c r="H2" t="str"><f>""</f><v></v></c></row>'
    )  # G2 as openpyxl writes a formula when lxml is installed; H2 a formula giving ""
    grid = assert_same_as_openpyxl(book(tmp_path, sheet_xml(row)))[0]
    expected = [[], [2, None, "a", datetime(2023, 3, 15), True, None, None, ""]]
    assert typed(trimmed(grid)) == typed(expected)
    assert grid.formulas_without_value == {(1, 1), (1, 5), (1, 6)}


def test_merged_cells_keep_only_the_top_left_value(tmp_path: Path) -> None:
    rows = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>top</t></is></c><c r="B1"><v>1</v></c>'
        '<c r="C1"><v>2</v></c><c r="D1"><v>3</v></c></row>'
        '<row r="2"><c r="A2"><v>4</v></c><c r="B2"><f>X()</f></c></row>'
    )
    merges = '<mergeCells count="1"><mergeCell ref="A1:C2"/></mergeCells>'
    grid = assert_same_as_openpyxl(book(tmp_path, sheet_xml(rows, merges)))[0]
    assert trimmed(grid) == [["top", None, None, 3]]
    assert grid.formulas_without_value == frozenset()


def test_cells_without_references_and_a_prefixed_namespace(tmp_path: Path) -> None:
    rows = (
        '<x:row r="3"><x:c><x:v>1</x:v></x:c><x:c r="D3"><x:v>2</x:v></x:c><x:c><x:v>3</x:v></x:c>'
        "</x:row><x:row><x:c><x:v>4</x:v></x:c></x:row>"
    )
    grid = read_book(book(tmp_path, sheet_xml(rows, prefix="x"))).grids[0]
    assert trimmed(grid) == [[], [], [1, None, None, 2, 3], [4]]


def test_a_hyperlink_on_an_empty_cell_is_not_a_value(tmp_path: Path) -> None:
    """The deliberate difference: openpyxl gives such a cell the link's target as value."""
    links = '<hyperlinks><hyperlink ref="B1" location="Data!A1"/></hyperlinks>'
    path = book(tmp_path, sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>', links))
    assert trimmed(xlsx_io.load(path).grids[0]) == [[1, "Data!A1"]]
    assert trimmed(read_book(path).grids[0]) == [[1]]


def test_a_far_corner_costs_nothing(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"] = "Ref"
    sheet["XFD1048576"].comment = Comment("far away", "kpixl")
    sheet["XFD1048575"].number_format = "0.00"
    far = workbook.create_sheet("Far")
    far["XFD1048576"] = 7
    path = tmp_path / "far.xlsx"
    workbook.save(path)
    started = time.perf_counter()
    commented, valued = read_book(path).grids
    assert time.perf_counter() - started < 5
    assert commented.rows == [["Ref"]]
    assert len(valued.rows) == 1_048_576 and valued.rows[-1][-1] == 7
    assert len(valued.rows[-1]) == 16_384
    assert valued.rows[0] is valued.rows[1_000_000]  # empty rows share one empty row


def test_sheet_kinds_and_states(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active.title = "Shown"
    workbook.create_sheet("Hidden").sheet_state = "hidden"
    workbook.create_chartsheet("Chart").add_chart(BarChart())
    workbook.create_sheet("Very").sheet_state = "veryHidden"
    path = tmp_path / "kinds.xlsx"
    workbook.save(path)
    grids = assert_same_as_openpyxl(path)
    assert [(g.name, g.hidden) for g in grids] == [
        ("Shown", False), ("Hidden", True), ("Very", True)
    ]  # fmt: skip


@pytest.mark.parametrize(
    "part",
    ["sheet", "shared"],
)
def test_entity_declarations_are_refused(tmp_path: Path, part: str) -> None:
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaa">]>'
    sheet = sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    strings = shared_xml("<t>x</t>")
    if part == "sheet":
        sheet = bomb + sheet.partition("\n")[2]
    else:
        strings = bomb + strings
    with pytest.raises(WorkbookError, match="entity declarations"):
        read_book(book(tmp_path, sheet, shared=strings))


def test_a_damaged_cell_is_named(tmp_path: Path) -> None:
    rows = '<row r="4"><c r="C4" t="s"><v>9</v></c></row>'
    path = book(tmp_path, sheet_xml(rows), shared=shared_xml("<t>x</t>"))
    with pytest.raises(WorkbookError, match="sheet 'Data' cell C4"):
        read_book(path)


def test_a_damaged_part_is_a_plain_refusal(tmp_path: Path) -> None:
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 2000))
    path = book(tmp_path, sheet_xml(rows))
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as package:
        info = package.getinfo("xl/worksheets/sheet1.xml")
    middle = info.header_offset + 30 + len(info.filename) + info.compress_size // 2
    data[middle : middle + 16] = b"\xff" * 16
    path.write_bytes(bytes(data))
    with pytest.raises(WorkbookError, match="book.xlsx (cannot be read|is damaged)"):
        read_book(path)


def test_a_damaged_style_index_names_the_cell(tmp_path: Path) -> None:
    rows = '<row r="2"><c r="A2"><v>1</v></c><c r="B2" s="x"><v>1</v></c></row>'
    with pytest.raises(WorkbookError, match="sheet 'Data' cell B2"):
        read_book(book(tmp_path, sheet_xml(rows)))
