"""styles.xml edited as text: appended entries, counts, CT_Stylesheet order, de-duplication
by parsed value (re-runs never grow it), mc:Ignorable kept, valid, read by openpyxl."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook

from kpixl.package.splice import NewCell, splice
from kpixl.package.stylesheet import Stylesheet
from kpixl.package.zipcopy import rewrite
from tests.package.books import STYLES, book, sheet_xml
from tests.package.test_oracle import CORPUS
from tests.package.test_splice import assert_valid, schema  # noqa: F401 (fixture)
from tests.package.test_zipcopy import libreoffice_csv

IGNORABLE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'mc:Ignorable="x14ac x16r2" '
    'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" '
    'xmlns:x16r2="http://schemas.microsoft.com/office/spreadsheetml/2015/02/main">'
    '<fonts count="1" x14ac:knownFonts="1"><font><sz val="11"/><color theme="1"/>'
    '<name val="Calibri"/><family val="2"/><scheme val="minor"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" '
    'defaultPivotStyle="PivotStyleLight16"/></styleSheet>'
)
BOLD_RED = '<font><b/><sz val="11"/><color rgb="FFC00000"/><name val="Calibri"/></font>'
GREEN_FILL = '<fill><patternFill patternType="solid"><fgColor rgb="FF00B050"/></patternFill></fill>'
THIN = '<border><left style="thin"/><right/><top/><bottom style="thin"/><diagonal/></border>'
GREEN_DXF = f"<dxf><font><b/></font>{GREEN_FILL}</dxf>"


def kpixl_styles(sheet: Stylesheet) -> tuple[int, int]:
    """What a run asks for: one cell format and one differential format."""
    xf = sheet.cell_format(
        font=sheet.font(BOLD_RED), fill=sheet.fill(GREEN_FILL), border=sheet.border(THIN),
        number_format=sheet.number_format("0.0%"),
        alignment='<alignment horizontal="center" wrapText="1"/>',
    )  # fmt: skip
    return xf, sheet.dxf(GREEN_DXF)


def test_entries_are_appended_with_counts_and_the_rest_is_kept() -> None:
    sheet = Stylesheet(IGNORABLE.encode())
    assert kpixl_styles(sheet) == (1, 0)
    out = sheet.to_bytes().decode()
    assert out.startswith(IGNORABLE[: IGNORABLE.index("<fonts")])  # prefixes, mc:Ignorable
    assert '<fonts count="2" x14ac:knownFonts="1">' in out
    assert '<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts><fonts' in out
    assert '<cellXfs count="2">' in out and '<dxfs count="1"><dxf>' in out
    assert re.sub(r"<numFmts.*?</numFmts>", "", out).count("<fill>") == 4


def test_a_rerun_finds_everything_and_changes_nothing() -> None:
    first = Stylesheet(IGNORABLE.encode())
    kpixl_styles(first)
    once = first.to_bytes()
    again = Stylesheet(once)
    assert kpixl_styles(again) == kpixl_styles(first)
    assert again.to_bytes() == once


def test_equal_entries_are_found_whatever_their_spelling() -> None:
    sheet = Stylesheet(IGNORABLE.encode())
    same_font = '<font><scheme val="minor"/><family val="2"/><name val="Calibri"/>\n  ' \
        '<color theme="1"/><sz val="11"/></font>'  # fmt: skip
    assert sheet.font(same_font) == 0
    assert sheet.number_format("0%") == 9  # built in: no entry
    assert sheet.to_bytes() == IGNORABLE.encode()


def test_a_prefixed_stylesheet_gets_prefixed_entries() -> None:
    xml = re.sub(r"<(/?)(?!\?)", r"<\1x:", IGNORABLE).replace("xmlns=", "xmlns:x=")
    sheet = Stylesheet(xml.encode())
    assert sheet.font(BOLD_RED) == 1
    out = sheet.to_bytes().decode()
    assert '<x:font><x:b/><x:sz val="11"/>' in out and '<x:fonts count="2"' in out


def test_custom_number_formats_are_numbered_after_the_highest() -> None:
    xml = IGNORABLE.replace(
        "<fonts", '<numFmts count="1"><numFmt numFmtId="170" formatCode="0.000"/></numFmts><fonts'
    )
    sheet = Stylesheet(xml.encode())
    assert sheet.number_format("0.000") == 170
    assert sheet.number_format("#,##0.0") == 171
    assert '<numFmts count="2">' in sheet.to_bytes().decode()


def test_the_result_is_valid_and_openpyxl_sees_the_new_format(
    tmp_path: Path,
    schema: etree.XMLSchema,  # noqa: F811
) -> None:
    sheet = Stylesheet(STYLES.encode())
    xf, _ = kpixl_styles(sheet)
    styles = sheet.to_bytes()
    assert_valid(schema, styles)
    source = book(tmp_path, sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'))
    part = "xl/worksheets/sheet1.xml"
    cells = splice(zipfile.ZipFile(source).read(part), [NewCell(0, 1, 0.25, style=xf)])
    out = tmp_path / "styled.xlsx"
    rewrite(source, out, {"xl/styles.xml": styles, part: cells})
    cell = load_workbook(out).active["B1"]
    assert (cell.value, cell.number_format) == (0.25, "0.0%")
    assert cell.font.b and cell.font.color.rgb == "FFC00000"
    assert cell.fill.fgColor.rgb == "FF00B050" and cell.border.left.style == "thin"
    assert cell.alignment.horizontal == "center" and cell.alignment.wrapText


@pytest.mark.skipif(not CORPUS.exists(), reason="no Excel-made corpus")
def test_excel_made_stylesheets_take_kpixl_styles_once(
    schema: etree.XMLSchema,  # noqa: F811
) -> None:
    checked = 0
    for path in sorted(CORPUS.glob("*/*.xls[xm]"))[::7]:
        with zipfile.ZipFile(path) as package:
            if "xl/styles.xml" not in package.namelist():
                continue
            xml = package.read("xl/styles.xml")
        sheet = Stylesheet(xml)
        wanted = kpixl_styles(sheet)
        once = sheet.to_bytes()
        again = Stylesheet(once)
        assert kpixl_styles(again) == wanted, path.name
        assert again.to_bytes() == once, path.name
        try:
            assert_valid(schema, xml)
        except AssertionError:
            continue  # the source uses what sml.xsd does not know
        assert_valid(schema, once)
        checked += 1
    assert checked >= 20


@pytest.mark.libreoffice
def test_libreoffice_shows_spliced_cells_in_their_new_format(tmp_path: Path) -> None:
    sheet = Stylesheet(STYLES.encode())
    xf = sheet.cell_format(number_format=sheet.number_format("0.0%"))
    source = book(tmp_path, sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'))
    part = "xl/worksheets/sheet1.xml"
    new = [NewCell(0, 1, 0.25, style=xf), NewCell(2, 0, "GREEN")]
    cells = splice(zipfile.ZipFile(source).read(part), new)
    out = tmp_path / "styled.xlsx"
    rewrite(source, out, {"xl/styles.xml": sheet.to_bytes(), part: cells})
    assert libreoffice_csv(out, tmp_path) == [["1", "25.0%"], ["", ""], ["GREEN", ""]]
