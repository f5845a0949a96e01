"""The fast reader: every worksheet's values as ``SheetGrid``s, without openpyxl's model.

The same grids ``xlsx_io.load(path).grids`` gives (same sheets in the same order, values of
the same types, formulas without a saved result listed, hidden state), but sparse and
streamed: workbook.xml and styles.xml are small and parsed whole (entity-free), the
shared strings and each sheet are streamed through expat in capped chunks. Sheets are
what openpyxl reads as worksheets: every ``<sheet>`` whose part exists and is not a
chartsheet. The one deliberate difference is in ``sheetxml`` (hyperlinks on empty cells).
"""

from __future__ import annotations

import gc
import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException

from kpixl.errors import WorkbookError
from kpixl.package import values
from kpixl.package.sheetxml import SheetValues, read_shared_strings, read_sheet
from kpixl.workbook.contract import GENERATED_MARK
from kpixl.workbook.grid import SheetGrid
from kpixl.workbook.parts import (
    MAIN_NS,
    R_NS,
    RELS_NS,
    Limits,
    PartReader,
    content_types,
    main_part,
)

__all__ = ["Book", "read_book"]

_SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_STYLES = "xl/styles.xml"  # where openpyxl looks for it, whatever the relationships say
_TRUE = ("1", "true")
_DAMAGED = (OSError, EOFError, zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError,
            ParseError, DefusedXmlException)  # fmt: skip
"""What a damaged, truncated or encrypted package raises while its parts are read."""


@dataclass(frozen=True)
class Book:
    """What a calculation reads from a workbook file."""

    grids: list[SheetGrid]
    generated: frozenset[str]
    """Sheets carrying kpixl's GENERATED_MARK: kpixl made them and may replace them."""

    def grid(self, name: str) -> SheetGrid:
        for grid in self.grids:
            if grid.name == name:
                return grid
        raise KeyError(name)


def read_book(path: Path, limits: Limits = Limits()) -> Book:  # noqa: B008
    """Read ``path``'s worksheets; raise WorkbookError when it cannot be read."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as package, _no_gc():
            return _read(path.name, package, limits)
    except _DAMAGED as exc:
        raise WorkbookError(
            f"{path.name} cannot be read as an Excel workbook ({exc}): open it in Excel, save "
            "it as .xlsx or .xlsm and try again."
        ) from exc


@contextmanager
def _no_gc() -> Iterator[None]:
    """Collection off while a read builds many small objects, none of them cyclic: the
    collector otherwise walks the growing grids again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read(name: str, package: zipfile.ZipFile, limits: Limits) -> Book:
    members = {info.filename: info for info in package.infolist()}
    reader = PartReader(name, package, limits)
    main = main_part(reader, members)
    if main not in members:
        raise WorkbookError(f"{name} is not an Excel workbook (it has no {main}).")
    book = reader.parse(members[main])
    properties = book.find(f"{{{MAIN_NS}}}workbookPr")
    date1904 = properties is not None and properties.get("date1904", "") in _TRUE
    shared = _shared_strings(name, reader, members)
    styles = reader.parse(members[_STYLES]) if _STYLES in members else None
    kinds = values.NumberKinds.from_styles(styles)
    start = values.epoch(date1904)
    relationships = _relationships(reader, members, main)
    sheets = book.iter(f"{{{MAIN_NS}}}sheet")
    grids, positions = [], []
    for position, sheet in enumerate(sheets):
        kind, part = relationships.get(sheet.get(f"{{{R_NS}}}id", ""), ("", ""))
        if part not in members or "chartsheet" in kind or not kind:
            continue
        found = SheetValues(shared, kinds, start)
        title = sheet.get("name", "")
        try:
            read_sheet(reader.chunks(members[part]), found, name, part)
        except (ValueError, IndexError, OverflowError) as exc:
            raise WorkbookError(
                f"{name}: sheet {title!r} cell {found.reference} cannot be read ({exc}): open "
                "the workbook in Excel, save it again and try again."
            ) from exc
        rows = found.rows()
        hidden = sheet.get("state", "visible") != "visible"
        grids.append(SheetGrid(title, rows, frozenset(found.pending), hidden))
        positions.append(position)
    marked = {
        int(node.get("localSheetId", "-1"))
        for node in book.iter(f"{{{MAIN_NS}}}definedName")
        if node.get("name") == GENERATED_MARK and node.get("localSheetId", "").isdigit()
    }
    generated = frozenset(g.name for g, at in zip(grids, positions, strict=True) if at in marked)
    return Book(grids, generated)


def _shared_strings(
    name: str, reader: PartReader, members: dict[str, zipfile.ZipInfo]
) -> list[str]:
    """The shared-string table, found as openpyxl finds it: by its content type."""
    listing = members.get("[Content_Types].xml")
    if listing is None:
        raise WorkbookError(f"{name} is a zip file, not an Excel workbook.")
    types = content_types(reader.parse(listing))
    part = next((p for p, t in types.items() if t == _SHARED_STRINGS), None)
    if part is None or part not in members:
        return []
    return read_shared_strings(reader.chunks(members[part]), name, part)


def _relationships(
    reader: PartReader, members: dict[str, zipfile.ZipInfo], part: str
) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target part) of ``part``'s internal relationships."""
    folder, base = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", base + ".rels")
    if rels not in members:
        return {}
    out = {}
    for rel in reader.parse(members[rels]).iter(f"{{{RELS_NS}}}Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External" or not target:
            continue
        joined = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        out[rel.get("Id", "")] = (rel.get("Type", ""), posixpath.normpath(joined))
    return out
