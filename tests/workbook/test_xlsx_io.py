"""Loading workbook files into grids and saving them back without losing anything."""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from kpixl.errors import WorkbookError
from kpixl.workbook import xlsx_io
from kpixl.workbook.contract import GENERATED_MARK

RIBBON_2006 = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
RIBBON_2007 = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
PLAIN_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
VBA_BYTES = bytes(range(256)) * 8 + b"not really a VBA project"
CUSTOM_UI = {
    "customUI/customUI.xml": (
        RIBBON_2006,
        b'<customUI xmlns="http://schemas.microsoft.com/office/2006/01/customui"/>',
    ),
    "customUI/customUI14.xml": (
        RIBBON_2007,
        b'<customUI xmlns="http://schemas.microsoft.com/office/2009/07/customui"/>',
    ),
}


# --- building real files ----------------------------------------------------------------------


def rewrite_zip(path: Path, change: dict[str, bytes]) -> None:
    """Replace or add members of the zip at ``path``."""
    with zipfile.ZipFile(path) as source:
        members = {name: source.read(name) for name in source.namelist()}
    members.update(change)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)


def read_member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def add_relationship(rels: bytes, rid: str, kind: str, target: str) -> bytes:
    extra = f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>'.encode()
    return rels.replace(b"</Relationships>", extra + b"</Relationships>")


def make_macro_workbook(path: Path, ribbon_parts: tuple[str, ...] = tuple(CUSTOM_UI)) -> Path:
    """Turn the .xlsx at ``path`` into an .xlsm with a (fake) VBA project and ribbon parts."""
    types = read_member(path, "[Content_Types].xml").replace(
        PLAIN_MAIN.encode(), MACRO_MAIN.encode()
    )
    types = types.replace(
        b"</Types>",
        b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
    )
    book_rels = add_relationship(
        read_member(path, "xl/_rels/workbook.xml.rels"), "rIdVba", VBA_REL, "vbaProject.bin"
    )
    root_rels = read_member(path, "_rels/.rels")
    change = {"[Content_Types].xml": types, "xl/_rels/workbook.xml.rels": book_rels}
    for n, part in enumerate(ribbon_parts):
        kind, xml = CUSTOM_UI[part]
        root_rels = add_relationship(root_rels, f"rIdUi{n}", kind, part)
        change[part] = xml
    change["_rels/.rels"] = root_rels
    change["xl/vbaProject.bin"] = VBA_BYTES
    rewrite_zip(path, change)
    macro = path.with_suffix(".xlsm")
    path.rename(macro)
    return macro


def build_rich_workbook(folder: Path) -> Path:
    """An indicator-like sheet carrying the features a round trip must keep, as an .xlsm."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Finance"
    ws["A1"] = "Service Area"
    ws["B1"] = "Finance"
    ws.merge_cells("B1:C1")
    header = ["Ref", "Indicator description", "Target", datetime(2023, 9, 1), "Apr-23"]
    for col, value in enumerate(header, start=1):
        ws.cell(3, col, value)
    ws["A3"].fill = PatternFill("solid", start_color="D9D9D9", end_color="D9D9D9")
    rows = [
        ["FN01", "Invoices paid on time", 0.9, 0.85, 0.8],
        ["FN02", "=not a formula, typed text", 0.5, "*", None],
        ["FN03", "Debt over six months", 0.3, 0.25, 0.31],
    ]
    for r, values in enumerate(rows, start=4):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(r, c, value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
    ws["F4"] = "=AVERAGE(D4:E4)"
    ws["A8"] = CellRichText(["Note: ", TextBlock(InlineFont(b=True), "bold part")])
    ws["B4"].comment = Comment("Checked by finance", "Analyst")
    ws.column_dimensions["B"].width = 42.5
    validation = DataValidation(type="list", formula1='"Higher,Lower"', allow_blank=True)
    validation.add("G4:G6")
    ws.add_data_validation(validation)
    user_fill = PatternFill("solid", start_color="FFFF00", end_color="FFFF00")
    ws.conditional_formatting.add(
        "D4:D6", CellIsRule(operator="lessThan", formula=["0.5"], fill=user_fill)
    )
    ws.defined_names.add(DefinedName("LocalName", attr_text="Finance!$C$4"))
    wb.defined_names.add(DefinedName("TargetCell", attr_text="Finance!$C$4:$C$6"))
    lists = wb.create_sheet("Lists")
    lists["A1"] = "Higher"
    lists.sheet_state = "hidden"
    path = folder / "book.xlsx"
    wb.save(path)
    return make_macro_workbook(path)


def set_cached(path: Path, part: str, cached: dict[str, tuple[str | None, str]]) -> None:
    """Give formula cells of ``part`` a saved result: reference -> (type attribute, text)."""
    xml = read_member(path, part).decode()
    for ref, (kind, text) in cached.items():
        pattern = re.compile(rf'<c r="{ref}"([^>]*)><f>(.*?)</f>(?:<v ?/>|<v></v>)')
        kind_attr = f' t="{kind}"' if kind else ""
        xml, count = pattern.subn(rf'<c r="{ref}"\1{kind_attr}><f>\2</f><v>{text}</v>', xml)
        assert count == 1, ref
    rewrite_zip(path, {part: xml.encode()})


def formula_workbook(folder: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(
        [1, 2, "=A1+B1", '=IF(A1=1,"one","other")', "=A1=1", "=1/0", "=DATE(2023,10,1)", "=A1"]
    )
    ws["G1"].number_format = "mmm-yy"
    path = folder / "formulas.xlsx"
    wb.save(path)
    return path


# --- load -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "col", "kind", "text", "expected"),
    [
        ("C1", 2, None, "3", 3),
        ("C1", 2, "n", "2.5", 2.5),
        ("D1", 3, "str", "one", "one"),
        ("D1", 3, "str", "a &amp; b", "a & b"),
        ("E1", 4, "b", "1", True),
        ("F1", 5, "e", "#DIV/0!", "#DIV/0!"),
        ("G1", 6, None, "45200", datetime(2023, 10, 1)),
    ],
)
def test_formula_cells_read_their_cached_result(
    tmp_path: Path, ref: str, col: int, kind: str | None, text: str, expected: object
) -> None:
    path = formula_workbook(tmp_path)
    set_cached(path, "xl/worksheets/sheet1.xml", {ref: (kind, text)})

    grid = xlsx_io.load(path).grid("Data")

    assert expected == grid.value(0, col)
    assert (0, col) not in grid.formulas_without_value


def test_formulas_without_saved_result_are_listed(tmp_path: Path) -> None:
    path = formula_workbook(tmp_path)
    set_cached(path, "xl/worksheets/sheet1.xml", {"C1": (None, "3")})

    grid = xlsx_io.load(path).grid("Data")

    assert frozenset({(0, 3), (0, 4), (0, 5), (0, 6), (0, 7)}) == grid.formulas_without_value
    assert [1, 2, 3, None, None, None, None, None] == list(grid.rows[0])


def test_grid_holds_values_as_excel_shows_them(tmp_path: Path) -> None:
    loaded = xlsx_io.load(build_rich_workbook(tmp_path))

    grid = loaded.grid("Finance")

    assert ["Ref", "Indicator description", "Target", datetime(2023, 9, 1), "Apr-23"] == list(
        grid.rows[2][:5]
    )
    assert ["FN02", "=not a formula, typed text", 0.5, "*", None] == list(grid.rows[4][:5])
    assert "Note: bold part" == grid.value(7, 0)
    assert frozenset({(3, 5)}) == grid.formulas_without_value
    assert [("Finance", False), ("Lists", True)] == [(g.name, g.hidden) for g in loaded.grids]


def test_generated_sheets_are_recognised_by_their_mark(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.title = "Summary"
    wb.active.defined_names.add(DefinedName(GENERATED_MARK, attr_text="Summary!$A$1"))
    wb.create_sheet("Dashboard")
    path = tmp_path / "marked.xlsx"
    wb.save(path)

    assert frozenset({"Summary"}) == xlsx_io.load(path).generated


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("notes.xlsx", b"just some text, not a workbook", "notes.xlsx cannot be read"),
        ("old.xls", b"\xd0\xcf\x11\xe0 old binary", "old.xls cannot be read"),
        ("missing.xlsx", None, "missing.xlsx does not exist"),
    ],
)
def test_unreadable_files_are_refused_naming_the_file(
    tmp_path: Path, name: str, content: bytes | None, words: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)

    with pytest.raises(WorkbookError, match=re.escape(words)):
        xlsx_io.load(path)


def test_cached_results_are_read_from_prefixed_xml_without_references() -> None:
    xml = (
        b"<x:worksheet xmlns:x='urn:main'><x:sheetData><x:row r='1'>"
        b"<x:c r='A1' t='s'><x:v>0</x:v></x:c><x:c r='B1' s='2'/>"
        b"<x:c r='C1' t='str'><x:f>A1&amp;\"!\"</x:f><x:v>a &lt; b</x:v></x:c>"
        b"<x:c r='D1'><x:f>1/0</x:f><x:v/></x:c><x:c><x:f>1</x:f><x:v>1</x:v></x:c>"
        b"</x:row></x:sheetData></x:worksheet>"
    )

    found = list(xlsx_io._formula_cells(xml))

    assert [("C1", "str", "a < b"), ("D1", None, None), (None, None, "1")] == found


# --- save -------------------------------------------------------------------------------------


def root_relationships(path: Path) -> dict[str, str]:
    rels = read_member(path, "_rels/.rels").decode()
    return {
        kind: target
        for kind, target in re.findall(r'Type="([^"]+)"[^>]*?Target="([^"]+)"', rels)
        + [(k, t) for t, k in re.findall(r'Target="([^"]+)"[^>]*?Type="([^"]+)"', rels)]
    }


@pytest.mark.parametrize(
    "parts",
    [
        ("customUI/customUI.xml", "customUI/customUI14.xml"),
        ("customUI/customUI14.xml",),
        ("customUI/customUI.xml",),
    ],
)
def test_save_keeps_every_ribbon_part_wired(tmp_path: Path, parts: tuple[str, ...]) -> None:
    wb = Workbook()
    plain = tmp_path / "ribbon.xlsx"
    wb.save(plain)
    source = make_macro_workbook(plain, parts)
    out = tmp_path / "out.xlsm"

    xlsx_io.save(xlsx_io.load(source), out)

    expected = {CUSTOM_UI[part][0]: part for part in parts}
    relationships = root_relationships(out)
    assert expected == {k: t.lstrip("/") for k, t in relationships.items() if k in expected}
    assert len(expected) == len([k for k in relationships if "ui/extensibility" in k])
    for part in parts:
        assert CUSTOM_UI[part][1] == read_member(out, part)


def test_round_trip_keeps_everything(tmp_path: Path) -> None:
    source = build_rich_workbook(tmp_path)
    out = tmp_path / "out.xlsm"

    xlsx_io.save(xlsx_io.load(source), out)

    assert VBA_BYTES == read_member(out, "xl/vbaProject.bin")
    assert MACRO_MAIN.encode() in read_member(out, "[Content_Types].xml")
    assert {RIBBON_2006, RIBBON_2007} <= set(root_relationships(out))
    wb = load_workbook(out, rich_text=True)
    ws = wb["Finance"]
    assert "Finance!$C$4:$C$6" == wb.defined_names["TargetCell"].attr_text
    assert "Finance!$C$4" == ws.defined_names["LocalName"].attr_text
    assert [("G4:G6", '"Higher,Lower"')] == [
        (str(v.sqref), v.formula1) for v in ws.data_validations.dataValidation
    ]
    assert [("D4:D6", "lessThan", ["0.5"])] == [
        (str(cf.sqref), rule.operator, rule.formula)
        for cf in ws.conditional_formatting
        for rule in cf.rules
    ]
    assert "Checked by finance" == ws["B4"].comment.text
    assert "hidden" == wb["Lists"].sheet_state
    assert 42.5 == ws.column_dimensions["B"].width
    assert ["B1:C1"] == [str(r) for r in ws.merged_cells.ranges]
    assert isinstance(ws["A8"].value, CellRichText)
    assert "bold part" == ws["A8"].value[1].text and ws["A8"].value[1].font.b


def test_round_trip_changes_no_cell(tmp_path: Path) -> None:
    source = build_rich_workbook(tmp_path)
    out = tmp_path / "out.xlsm"

    xlsx_io.save(xlsx_io.load(source), out)

    for before, after in zip(cells(source), cells(out), strict=True):
        assert before == after


def cells(path: Path) -> list[tuple[str, str, object, str]]:
    wb = load_workbook(path, rich_text=True)
    return [
        (ws.title, cell.coordinate, str(cell.value), cell.data_type)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
    ]


@pytest.mark.parametrize(
    ("name", "words"),
    [("out.xlsx", "must be saved with a name ending .xlsm or .xltm"), ("out.xltx", ".xlsm")],
)
def test_macro_workbook_is_not_saved_under_a_plain_name(
    tmp_path: Path, name: str, words: str
) -> None:
    loaded = xlsx_io.load(build_rich_workbook(tmp_path))

    with pytest.raises(WorkbookError, match=re.escape(words)):
        xlsx_io.save(loaded, tmp_path / name)
    assert not (tmp_path / name).exists()


def test_temporary_name_keeps_the_source_file_type(tmp_path: Path) -> None:
    loaded = xlsx_io.load(build_rich_workbook(tmp_path))
    out = tmp_path / ".~kpixl-book.xlsm.tmp"

    xlsx_io.save(loaded, out)

    assert MACRO_MAIN.encode() in read_member(out, "[Content_Types].xml")
    assert VBA_BYTES == read_member(out, "xl/vbaProject.bin")


def test_unwritable_output_is_refused_naming_it(tmp_path: Path) -> None:
    loaded = xlsx_io.load(formula_workbook(tmp_path))
    out = tmp_path / "no such folder" / "out.xlsx"

    with pytest.raises(WorkbookError, match="out.xlsx could not be written"):
        xlsx_io.save(loaded, out)
