"""Column widths set in a sheet's XML: ranges split, new columns in order, valid, read back."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree
from openpyxl import load_workbook

from kpixl.package.columns import set_widths
from kpixl.package.zipcopy import rewrite
from tests.package.books import book, sheet_xml
from tests.package.test_splice import assert_valid, schema  # noqa: F401 (fixture)

RANGE = '<cols><col min="1" max="5" width="10" customWidth="1" style="3"/></cols>'


def with_cols(cols: str) -> bytes:
    return (
        sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')
        .replace("<sheetData>", cols + "<sheetData>")
        .encode()
    )


def cols_of(xml: bytes) -> list[str]:
    return [m.decode() for m in re.findall(rb"<col [^>]*/>", xml)]


def test_a_width_inside_a_range_splits_it_in_three() -> None:
    out = set_widths(with_cols(RANGE), {2: 20.5})
    assert cols_of(out) == [
        '<col min="1" max="2" width="10" customWidth="1" style="3"/>',
        '<col min="3" max="3" width="20.5" customWidth="1" style="3"/>',
        '<col min="4" max="5" width="10" customWidth="1" style="3"/>',
    ]


def test_columns_outside_every_range_are_added_in_order() -> None:
    out = set_widths(with_cols(RANGE.replace('min="1" max="5"', 'min="3" max="3"')), {7: 9, 0: 12})
    assert [re.findall(r'min="(\d+)"', c) for c in cols_of(out)] == [["1"], ["3"], ["8"]]


def test_a_sheet_without_cols_gets_them_before_sheet_data(
    tmp_path: Path,
    schema: etree.XMLSchema,  # noqa: F811
) -> None:
    xml = with_cols("")
    out = set_widths(xml, {1: 42, 0: 8.43})
    assert_valid(schema, out)
    assert re.sub(rb"<cols>.*</cols>", b"", out) == xml
    source = book(tmp_path, xml.decode())
    result = tmp_path / "widths.xlsx"
    rewrite(source, result, {"xl/worksheets/sheet1.xml": out})
    dimensions = load_workbook(result).active.column_dimensions
    assert (dimensions["A"].width, dimensions["B"].width) == (8.43, 42)


def test_split_ranges_stay_valid(schema: etree.XMLSchema) -> None:  # noqa: F811
    out = set_widths(with_cols(RANGE), {0: 5, 4: 6, 2: 7})
    assert_valid(schema, out)
    assert len(cols_of(out)) == 5
