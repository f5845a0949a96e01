"""Workbooks with hand-written parts, for the fast reader's tests: an openpyxl-made package
whose sheet, shared strings, styles or workbook part is replaced (with kpixl's zip writer)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import Workbook

from kpixl.package.zipcopy import rewrite

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHARED_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SHARED_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"

STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="{MAIN}">
<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>
<numFmt numFmtId="165" formatCode="0.00&quot;d&quot;"/></numFmts>
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill>
<fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="20" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="46" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""
"""Cell formats: 0 General, 1 built-in date (14), 2 custom date, 3 custom number with a
quoted "d", 4 built-in time (20, h:mm), 5 built-in duration (46, [h]:mm:ss)."""


def sheet_xml(body: str, after: str = "", prefix: str = "") -> str:
    """A worksheet part whose sheetData holds ``body`` (rows), ``after`` following it."""
    p = f"{prefix}:" if prefix else ""
    declaration = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{p}worksheet {declaration} '
        f'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"<{p}sheetData>{body}</{p}sheetData>{after}</{p}worksheet>"
    )


def shared_xml(*items: str) -> str:
    return (
        f'<sst xmlns="{MAIN}" count="{len(items)}" uniqueCount="{len(items)}">'
        + "".join(f"<si>{item}</si>" for item in items)
        + "</sst>"
    )


def book(
    folder: Path,
    sheet: str,
    *,
    shared: str | None = None,
    styles: str = STYLES,
    date1904: bool = False,
    name: str = "book.xlsx",
) -> Path:
    """A one-sheet workbook ("Data") whose sheet XML is ``sheet``."""
    base = folder / f"base-{name}"
    workbook = Workbook()
    workbook.active.title = "Data"
    workbook.save(base)
    with zipfile.ZipFile(base) as package:
        parts = {n: package.read(n).decode("utf-8") for n in package.namelist()}
    changed = {
        "xl/worksheets/sheet1.xml": sheet.encode("utf-8"),
        "xl/styles.xml": styles.encode("utf-8"),
    }
    added = []
    if shared is not None:
        types = parts["[Content_Types].xml"].replace(
            "</Types>",
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_TYPE}"/></Types>',
        )
        rels = parts["xl/_rels/workbook.xml.rels"].replace(
            "</Relationships>",
            f'<Relationship Id="rIdS" Type="{SHARED_REL}" Target="sharedStrings.xml"/>'
            "</Relationships>",
        )
        changed["[Content_Types].xml"] = types.encode("utf-8")
        changed["xl/_rels/workbook.xml.rels"] = rels.encode("utf-8")
        added.append(("xl/sharedStrings.xml", shared.encode("utf-8")))
    if date1904:
        xml = parts["xl/workbook.xml"]
        if "<workbookPr" in xml:
            xml = xml.replace("<workbookPr", '<workbookPr date1904="1"', 1)
        else:
            xml = xml.replace("<bookViews>", '<workbookPr date1904="1"/><bookViews>', 1)
        changed["xl/workbook.xml"] = xml.encode("utf-8")
    out = folder / name
    rewrite(base, out, changed, added)
    return out
