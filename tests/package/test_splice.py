"""Splicing computed cells into a worksheet's XML: merged in order, the rest byte for byte,
valid against ECMA-376 Transitional (sml.xsd), read back by openpyxl and the fast reader."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import Workbook, load_workbook

from benchmarks.generate import SIZES, Spec, workbook_path
from kpixl.package.read import read_book
from kpixl.package.splice import NewCell, SpliceConflict, splice
from kpixl.package.zipcopy import rewrite
from tests.package.books import book, sheet_xml
from tests.package.test_oracle import CORPUS_FILES
from tests.package.test_read import trimmed

ROOT = Path(__file__).resolve().parents[2]
SML = ROOT.parent / "shared" / "schemas" / "ecma-376-transitional" / "sml.xsd"


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    if not SML.exists():
        pytest.skip(f"no schemas at {SML}")
    return etree.XMLSchema(etree.parse(str(SML)))


def assert_valid(schema: etree.XMLSchema, xml: bytes) -> None:
    """Valid against sml.xsd once ``xml:space`` is dropped from ``<t>`` (Excel writes it
    there and the schema types ``<t>`` as a simple type; see ../shared/schemas/README.md)."""
    root = etree.fromstring(xml)
    for node in root.iter():
        node.attrib.pop("{http://www.w3.org/XML/1998/namespace}space", None)
    assert schema.validate(root), schema.error_log.last_error


def cells_of(xml: bytes) -> list[str]:
    """Every cell reference in document order."""
    return [m.decode() for m in re.findall(rb'<c r="([A-Z]+\d+)"', xml)]


def test_cells_merge_in_column_order_and_missing_rows_in_row_order() -> None:
    xml = sheet_xml(
        '<row r="2" spans="1:3"><c r="A2"><v>1</v></c><c r="C2"><v>3</v></c></row>'
        '<row r="5" spans="1:1"><c r="A5"><v>5</v></c></row>'
    ).encode()
    new = [NewCell(1, 3, "D"), NewCell(1, 1, "B"), NewCell(0, 0, 0.5), NewCell(3, 2, 7),
           NewCell(8, 0, "last"), NewCell(1, 2, 30)]  # fmt: skip
    out = splice(xml, new)
    assert cells_of(out) == ["A1", "A2", "B2", "C2", "D2", "C4", "A5", "A9"]
    assert b'<row r="2">' in out  # spans dropped on the touched row
    assert b'<row r="5" spans="1:1">' in out  # kept on the untouched one
    assert b'<c r="C2" t="n"><v>30</v></c>' in out and b"<v>3</v>" not in out


def test_everything_outside_the_touched_rows_is_kept_byte_for_byte() -> None:
    path = workbook_path(Spec(*SIZES["seed"]))
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet2.xml")
    out = splice(xml, [NewCell(5, 40, "GREEN")])
    before, after = xml.split(b'<row r="6"', 1), out.split(b'<row r="6"', 1)
    assert before[0].replace(_dimension(xml), b"") == after[0].replace(_dimension(out), b"")
    assert before[1].split(b"</row>", 1)[1] == after[1].split(b"</row>", 1)[1]


def _dimension(xml: bytes) -> bytes:
    found = re.search(rb"<dimension[^>]*>", xml)
    assert found is not None
    return found.group(0)


def test_the_dimension_is_widened() -> None:
    xml = sheet_xml('<row r="2"><c r="B2"><v>1</v></c></row>').replace(
        "<sheetData>", '<dimension ref="B2"/><sheetData>'
    )
    out = splice(xml.encode(), [NewCell(9, 4, 1), NewCell(0, 2, 1)])
    assert b'<dimension ref="B1:E10"/>' in out


def test_values_are_written_as_openpyxl_writes_them(tmp_path: Path) -> None:
    values = [1 / 3, 2.5, 1e-20, 12345678901234567890.0, 7, True, " padded ", "a & <b>"]
    workbook = Workbook()
    for col, value in enumerate(values, start=1):
        workbook.active.cell(1, col, value)
    theirs = tmp_path / "openpyxl.xlsx"
    workbook.save(theirs)
    their_xml = zipfile.ZipFile(theirs).read("xl/worksheets/sheet1.xml")
    ours = splice(sheet_xml("").encode(), [NewCell(0, c, v) for c, v in enumerate(values)])
    their_cells = re.findall(rb"<c .*?</c>", their_xml)
    our_cells = re.findall(rb"<c .*?</c>", ours)
    assert our_cells == their_cells


def test_a_cleared_cell_keeps_its_style_and_a_new_style_wins() -> None:
    xml = sheet_xml('<row r="1"><c r="A1" s="4"><v>1</v></c><c r="B1" s="4"><v>2</v></c></row>')
    out = splice(xml.encode(), [NewCell(0, 0, None), NewCell(0, 1, "x", style=6)])
    assert b'<c r="A1" s="4"/>' in out
    assert b'<c r="B1" s="6" t="inlineStr"><is><t>x</t></is></c>' in out


def test_rows_and_cells_without_references_get_them_when_something_moves(
    tmp_path: Path,
) -> None:
    xml = sheet_xml("<row><c><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row>")
    out = splice(xml.encode(), [NewCell(0, 0, 0), NewCell(1, 2, 9)])
    assert cells_of(out) == ["A1", "B1", "A2", "C2"] and b'<row r="1">' in out
    assert trimmed(read_book(book(tmp_path, out.decode())).grids[0]) == [[0, 2], [3, None, 9]]


@pytest.mark.parametrize(
    ("formula", "what"),
    [('<f t="shared" ref="A1:A3" si="0">B1</f>', "a shared formula"),
     ('<f t="array" ref="A1:A2">B1:B2</f>', "an array formula")],
)  # fmt: skip
def test_overwriting_a_formula_others_depend_on_is_a_located_conflict(
    formula: str, what: str
) -> None:
    xml = sheet_xml(f'<row r="1"><c r="A1">{formula}<v>1</v></c></row>')
    with pytest.raises(SpliceConflict, match=f"'KPIs': cell A1 holds {what}"):
        splice(xml.encode(), [NewCell(0, 0, "x")], where="'KPIs'")


def test_a_shared_formula_child_may_be_overwritten() -> None:
    xml = sheet_xml('<row r="2"><c r="A2"><f t="shared" si="0"/><v>1</v></c></row>')
    assert b"<v>5</v>" in splice(xml.encode(), [NewCell(1, 0, 5)])


def test_spliced_benchmark_sheets_are_valid_and_read_back(
    schema: etree.XMLSchema, tmp_path: Path
) -> None:
    source = workbook_path(Spec(*SIZES["seed"]))
    part = "xl/worksheets/sheet2.xml"
    xml = zipfile.ZipFile(source).read(part)
    assert_valid(schema, xml)
    new = [NewCell(row, 30, f"R{row}") for row in range(0, 40, 3)]
    new += [NewCell(row, 31, row / 8) for row in range(0, 200, 50)]
    out = splice(xml, new)
    assert_valid(schema, out)
    rated = tmp_path / "spliced.xlsx"
    rewrite(source, rated, {part: out})
    sheet = load_workbook(rated).worksheets[1]
    grid = read_book(rated).grids[1]
    for cell in new:
        assert sheet.cell(cell.row + 1, cell.col + 1).value == cell.value
        assert grid.value(cell.row, cell.col) == cell.value
    before = read_book(source).grids[1]
    for row in range(len(before.rows)):
        assert [grid.value(row, col) for col in range(30)] == [
            before.value(row, col) for col in range(30)
        ]


@pytest.mark.skipif(not CORPUS_FILES, reason="no Excel-made corpus")
def test_spliced_excel_made_sheets_stay_valid(schema: etree.XMLSchema) -> None:
    checked = 0
    for path in CORPUS_FILES[::10]:
        with zipfile.ZipFile(path) as package:
            parts = [
                n for n in package.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)
            ]
            for part in parts:
                xml = package.read(part)
                try:
                    assert_valid(schema, xml)
                except AssertionError:
                    continue  # the source itself uses extensions sml.xsd does not know
                new = [NewCell(0, 20, "GREEN"), NewCell(2, 1, 0.25), NewCell(60, 3, "new row")]
                assert_valid(schema, splice(xml, new))
                checked += 1
    assert checked >= 20


def test_an_empty_self_closed_sheet_data_is_opened(schema: etree.XMLSchema) -> None:
    xml = sheet_xml("").replace("<sheetData></sheetData>", "<sheetData/>").encode()
    out = splice(xml, [NewCell(2, 1, "x")])
    assert b'<sheetData><row r="3"><c r="B3" t="inlineStr">' in out
    assert_valid(schema, out)
