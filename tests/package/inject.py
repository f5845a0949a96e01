"""kpixl's input sheets (Settings and one indicator sheet of the sample) injected into any
workbook at the zip level: two new worksheet parts, everything else copied raw, so a
workbook Excel made can be rated without any other tool touching it first."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

from kpixl.package import workbookxml as wbxml
from kpixl.package.drawn import cell_xml
from kpixl.package.stylesheet import Stylesheet
from kpixl.package.zipcopy import rewrite
from kpixl.workbook.grid import SheetGrid
from tests.workbooks import sample_grids

WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
INDICATOR_SHEET = "Finance"


def injected_grids() -> list[SheetGrid]:
    grids = sample_grids()
    return [grid for grid in grids if grid.name in ("Settings", INDICATOR_SHEET)]


def _sheet(grid: SheetGrid, date_style: int) -> bytes:
    rows = []
    for r, row in enumerate(grid.rows):
        cells = "".join(
            cell_xml(r, c, value, date_style if isinstance(value, date) else 0)
            for c, value in enumerate(row)
            if value is not None
        )
        if cells:
            rows.append(f'<row r="{r + 1}">{cells}</row>')
    return (f'<worksheet xmlns="{MAIN}"><sheetData>{"".join(rows)}</sheetData>'
            "</worksheet>").encode()  # fmt: skip


def inject(source: Path, out: Path) -> Path:
    """``source`` with the Settings and an indicator sheet added at the end (the main part
    assumed at ``xl/workbook.xml``, as Excel writes it)."""
    with zipfile.ZipFile(source) as package:
        names = set(package.namelist())
        book = package.read("xl/workbook.xml")
        rels = package.read("xl/_rels/workbook.xml.rels")
        types = package.read("[Content_Types].xml")
        styles = package.read("xl/styles.xml")
    stylesheet = Stylesheet(styles)
    date_style = stylesheet.cell_format(number_format=stylesheet.number_format("mmm-yy"))
    added = []
    sheet_id = 1000
    for grid in injected_grids():
        number = 1
        while f"xl/worksheets/sheet{number}.xml" in names:
            number += 1
        part = f"xl/worksheets/sheet{number}.xml"
        names.add(part)
        rels, rid = wbxml.add_relationship(rels, WORKSHEET, f"worksheets/sheet{number}.xml")
        sheet_id += 1
        book = wbxml.add_sheet(book, grid.name, sheet_id, rid)
        types = wbxml.add_content_type(types, part, WORKSHEET_TYPE)
        added.append((part, _sheet(grid, date_style)))
    changed: dict[str, bytes | None] = {
        "xl/workbook.xml": book,
        "xl/_rels/workbook.xml.rels": rels,
        "[Content_Types].xml": types,
        "xl/styles.xml": stylesheet.to_bytes(),
    }
    rewrite(source, out, changed, added)
    return out
