"""What an openpyxl save would lose, found in the package before anything is loaded.

Losses found by round-tripping hand-made packages through openpyxl 3.1.5
(``keep_vba=True, keep_links=True``, Pillow and lxml not installed):

==========================================  =================================================
part                                        after an openpyxl save
==========================================  =================================================
xl/charts/chart*.xml                        re-serialised from openpyxl's model: Excel styles,
                                            ``style*.xml``/``colors*.xml`` and extLst dropped
xl/drawings/drawing*.xml: sp/grpSp/cxnSp    dropped with the drawing (shapes, text boxes)
xl/media/* (pictures)                       dropped silently (openpyxl needs Pillow)
xl/pivotTables, xl/pivotCache               rewritten from openpyxl's model, extLst dropped
worksheet ``<extLst>``                      dropped (x14 conditional formats, validation,
                                            sparklines, slicer and timeline references)
xl/slicers, xl/timelines, xl/embeddings     dropped
xl/threadedComments                         dropped (legacy comment text is kept)
xl/ctrlProps, xl/activeX                    files copied but unlinked from the sheet
xl/connections.xml, xl/queryTables          dropped
xl/metadata.xml, xl/richData                dropped (dynamic arrays, pictures in cells)
customXml/*                                 dropped; only Power Query (DataMashup) counts
xl/printerSettings/*                        dropped; harmless, not counted
xl/externalLinks, comments, tables, VBA,    kept (VBA and customUI need ``keep_vba``; the
customUI, defined names                     customUI14 relationship is not, see EXCEL_FACTS)
==========================================  =================================================

Charts and sparklines on a sheet carrying kpixl's mark do not count (SPEC 8.5): kpixl drew
them and draws them again from the data on every run. Anything else there (a picture pasted
onto the Dashboard) still does.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from kpixl.workbook.ownership import is_mark
from kpixl.workbook.parts import MAIN_NS, MB, R_NS, PartReader, rels


@dataclass(frozen=True)
class LossyPart:
    """A part an openpyxl save would lose or rewrite: ``what`` is singular ("a chart")."""

    part: str
    what: str
    plural: str
    sheet: str | None = None


_PART_RULES: tuple[tuple[str, str, str], ...] = (
    (r"xl/charts/chart(Ex)?\d*\.xml", "a chart", "charts"),
    (r"xl/media/.*", "a picture", "pictures"),
    (r"xl/pivotTables/pivotTable\d*\.xml", "a pivot table", "pivot tables"),
    (r"xl/slicers/.*\.xml", "a slicer", "slicers"),
    (r"xl/timelines/.*\.xml", "a timeline", "timelines"),
    (r"xl/ctrlProps/.*", "a form control", "form controls"),
    (r"xl/activeX/activeX\d*\.xml", "an ActiveX control", "ActiveX controls"),
    (r"xl/embeddings/.*", "an embedded object", "embedded objects"),
    (r"xl/threadedComments/.*", "threaded comments", "threaded comments"),
    (r"xl/diagrams/data\d*\.xml", "a SmartArt diagram", "SmartArt diagrams"),
    (r"xl/connections\.xml", "data connections", "data connections"),
    (r"xl/queryTables/.*", "a query table", "query tables"),
    (r"xl/metadata\.xml", "dynamic array formulas", "dynamic array formulas"),
    (r"xl/richData/.*", "pictures in cells or linked data types", "linked data types"),
    (r"xl/model/.*", "a Power Pivot data model", "Power Pivot data models"),
    (r"xl/(macrosheets|dialogsheets)/.*\.xml", "an Excel 4.0 macro or dialog sheet", "sheets"),
    (r"xl/vbaProjectSignature.*", "the digital signature of the macros", "signatures"),
)
_SHAPE = re.compile(rb"<(?:\w+:)?(?:sp|grpSp|cxnSp)[\s>/]")
_EXT_URI = re.compile(rb"<(?:\w+:)?ext\b[^>]*\buri=\"(\{[^\"]+\})\"")
_EXTENSIONS = {
    "{78C0D931-6437-407D-A8EE-F0AAD7539E65}": "Excel 2010 conditional formatting",
    "{CCE6A557-97BC-4B89-ADB6-D9C93CAAB3DF}": "Excel 2010 data validation",
    "{05C60535-1F16-4FD2-B633-F4F36F0B64E0}": "sparklines",
    "{A8765BA9-456A-4DAB-B4F3-ACF838C121DE}": "a slicer",
    "{3A4CF648-6AED-40F4-86FF-DC5316D8AED3}": "a slicer",
    "{7E03D99C-DC04-49D9-9315-930204A7B6E9}": "a timeline",
    "{B025F937-C7B1-47D3-B67F-A62EFF666E3E}": "Excel 2010 conditional formatting",
}


def _sheet_of_parts(
    reader: PartReader, members: dict[str, zipfile.ZipInfo], main: str
) -> tuple[dict[str, str], dict[str, str], set[str]]:
    """Sheet part -> sheet name, dependent part -> sheet name (two levels of rels), and the
    names of the sheets carrying kpixl's mark."""
    if main not in members:
        return {}, {}, set()
    main_rels = rels(reader, members, main)
    sheets: dict[str, str] = {}
    root = reader.parse(members[main])
    names = [node.get("name", "") for node in root.iter(f"{{{MAIN_NS}}}sheet")]
    for node in root.iter(f"{{{MAIN_NS}}}sheet"):
        target = main_rels.get(node.get(f"{{{R_NS}}}id", ""))
        if target:
            sheets[target] = node.get("name", "")
    generated = {
        names[int(local)]
        for node in root.iter(f"{{{MAIN_NS}}}definedName")
        if is_mark(node.get("name", ""))
        and (local := node.get("localSheetId", "")).isdigit()
        and int(local) < len(names)
    }
    owner: dict[str, str] = {}
    for sheet_part, sheet in sheets.items():
        for child in rels(reader, members, sheet_part).values():
            owner.setdefault(child, sheet)
            for grandchild in rels(reader, members, child).values():
                owner.setdefault(grandchild, sheet)
    return sheets, owner, generated


def find_lossy(
    reader: PartReader, members: dict[str, zipfile.ZipInfo], main: str, macro_enabled: bool
) -> Iterator[LossyPart]:
    """Every part an openpyxl save of this package would drop or rewrite, but for those on
    kpixl's own (marked) sheets."""
    sheets, owner, generated = _sheet_of_parts(reader, members, main)
    for lossy in _every_lossy(reader, members, macro_enabled, sheets, owner):
        if not (lossy.sheet in generated and lossy.what in KPIXL_DRAWS):
            yield lossy


KPIXL_DRAWS = frozenset({"a chart", "sparklines"})
"""What kpixl itself puts on its generated sheets (SPEC 8.5)."""


def _every_lossy(
    reader: PartReader,
    members: dict[str, zipfile.ZipInfo],
    macro_enabled: bool,
    sheets: dict[str, str],
    owner: dict[str, str],
) -> Iterator[LossyPart]:
    for part, info in members.items():
        sheet = owner.get(part)
        if not macro_enabled and re.fullmatch(r"customUI/customUI(14)?\.xml", part):
            # openpyxl keeps customUI only with keep_vba, which would make the file an .xlsm
            yield LossyPart(part, "a custom ribbon tab", "custom ribbon tabs", None)
        for pattern, what, plural in _PART_RULES:
            if re.fullmatch(pattern, part):
                yield LossyPart(part, what, plural, sheet)
        if re.fullmatch(r"xl/drawings/drawing\d*\.xml", part) and _contains(reader, info, _SHAPE):
            yield LossyPart(part, "a shape or text box", "shapes or text boxes", sheet)
        if re.fullmatch(r"customXml/item\d*\.xml", part) and b"DataMashup" in reader.read(
            info, 4096
        ):
            yield LossyPart(part, "Power Query queries", "Power Query queries", None)
        if part in sheets and part.endswith(".xml"):
            for what in _sheet_extensions(reader, info):
                yield LossyPart(part, what, what, sheets[part])


def _contains(reader: PartReader, info: zipfile.ZipInfo, pattern: re.Pattern[bytes]) -> bool:
    tail = b""
    for chunk in reader.chunks(info):
        if pattern.search(tail + chunk):
            return True
        tail = chunk[-256:]
    return False


def _sheet_extensions(reader: PartReader, info: zipfile.ZipInfo) -> list[str]:
    """Descriptions of the x14/x15 extensions in a worksheet's trailing ``<extLst>``."""
    found, tail, rest = False, b"", b""
    for chunk in reader.chunks(info):
        window = tail + chunk
        if found:
            rest += chunk
        elif (at := window.find(b"<extLst")) >= 0:
            found, rest = True, window[at:]
        tail = chunk[-16:]
        if len(rest) > MB:
            break
    uris = [uri.decode().upper() for uri in _EXT_URI.findall(rest)]
    return list(dict.fromkeys(_EXTENSIONS.get(uri, "Excel 2010+ sheet features") for uri in uris))
