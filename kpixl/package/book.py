"""The port (``kpixl.workbook.port.Book``) over a workbook package, without openpyxl's model.

Grids come from the fast reader; ``write_computed`` splices the plan's cells into the
indicator sheets' XML; ``draw`` writes a generated sheet as new XML (a replaced one keeps its
part, relationship, ``sheetId`` and position, so every ``localSheetId`` stays valid);
``save`` copies every member kpixl did not change raw and writes the result through kpixl's
one atomic writer. ``styles.xml``, ``workbook.xml``, its relationships,
``[Content_Types].xml`` and ``docProps/app.xml`` are edited as text, only where needed.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import quoteattr

from defusedxml import ElementTree

from kpixl.errors import WorkbookError
from kpixl.package import read as package_read
from kpixl.package import values
from kpixl.package import workbookxml as wbxml
from kpixl.package.computed import CellFormats, SheetWork, write_sheet
from kpixl.package.drawn import draw_sheet
from kpixl.package.looks import Styles
from kpixl.package.stylesheet import Stylesheet
from kpixl.package.zipcopy import rewrite
from kpixl.report.look import SheetLook
from kpixl.workbook import files, ownership
from kpixl.workbook.grid import SheetGrid
from kpixl.workbook.parts import MAIN_NS, R_NS, RELS_NS
from kpixl.workbook.plan import WritePlan

__all__ = ["PackageBook"]

_WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
_WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_TABLE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/table"
_STYLES = "xl/styles.xml"
_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f\b")


class _Sheet:
    """One ``<sheet>`` of workbook.xml: its name, id, relationship and part."""

    def __init__(self, name: str, sheet_id: int, rid: str, kind: str, part: str) -> None:
        self.name, self.sheet_id, self.rid, self.kind, self.part = name, sheet_id, rid, kind, part


class PackageBook:
    """A workbook file read and written as a package; ``save`` writes the result."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._read = package_read.read_book(self.path)
        with zipfile.ZipFile(self.path) as package:
            self._members = {info.filename for info in package.infolist()}
            self._parts: dict[str, bytes] = {}
            self._package = package
            rels = self._part(posixpath.join("_rels", ".rels"))
            main = _office_document(rels) or "xl/workbook.xml"
            self._main = main
            self._main_rels = _rels_name(main)
            self._load(main)
            for name in (self._main_rels, "[Content_Types].xml", "docProps/app.xml", _STYLES):
                if name in self._members:
                    self._load(name)
            self._sheets = self._sheet_list()
            self._tables = {s.name: self._table_refs(s.part) for s in self._sheets}
        self._changed: dict[str, bytes | None] = {}
        self._added: list[tuple[str, bytes]] = []
        self._stylesheet: Stylesheet | None = None
        self._formats: CellFormats | None = None

    # --- the port -------------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self.path.name

    def sheet_names(self) -> list[str]:
        return [sheet.name for sheet in self._sheets]

    def generated(self) -> frozenset[str]:
        return self._read.generated

    def read_grids(self) -> list[SheetGrid]:
        return list(self._read.grids)

    def write_computed(self, plan: WritePlan) -> None:
        work: dict[str, SheetWork] = {}
        for block in plan.blocks:
            work.setdefault(block.sheet, SheetWork()).blocks.append(block)
        for fmt in plan.formats:
            work.setdefault(fmt.sheet, SheetWork()).formats.append(fmt)
        for coloured in plan.coloured:
            work.setdefault(coloured.sheet, SheetWork()).coloured.append(coloured)
        by_name = {sheet.name: sheet for sheet in self._sheets if "chartsheet" not in sheet.kind}
        for name in sorted(work):
            if name not in by_name:
                raise WorkbookError(
                    f"The workbook has no sheet named {name!r} to write results to."
                )
        _, formats = self._styles()
        for name, todo in work.items():
            part = by_name[name].part
            where = f"{self.name}: sheet {name!r}"
            xml = write_sheet(self._current(part), todo, formats, where, self._tables[name])
            self._changed[part] = xml

    def draw(self, look: SheetLook) -> None:
        stylesheet, _ = self._styles()
        found = ownership.existing_sheet(self.sheet_names(), look.name)
        book = self._current(self._main)
        if found is not None:
            position = self.sheet_names().index(found)
            sheet = self._sheets[position]
            old = self._current(sheet.part)
            code = re.search(rb"<(?:[\w.-]+:)?sheetPr\b[^>]*?codeName\s*=\s*\"([^\"]*)\"", old)
            code_name = code.group(1).decode("utf-8") if code else None
            if _FORMULA.search(old):
                self._drop_calc_chain()
            if _rels_name(sheet.part) in self._members:
                self._changed[_rels_name(sheet.part)] = None  # kpixl's sheet links nothing
            if found != look.name:
                book = _rename(book, sheet.sheet_id, look.name)
                sheet.name = look.name
        else:
            position, code_name = len(self._sheets), None
            part = self._new_part_name()
            rels = self._current(self._main_rels)
            target = posixpath.relpath(part, posixpath.dirname(self._main) or ".")
            rels, rid = wbxml.add_relationship(rels, _WORKSHEET, target)
            self._changed[self._main_rels] = rels
            sheet_id = max((s.sheet_id for s in self._sheets), default=0) + 1
            book = wbxml.add_sheet(book, look.name, sheet_id, rid)
            types = wbxml.add_content_type(
                self._current("[Content_Types].xml"), part, _WORKSHEET_TYPE
            )
            self._changed["[Content_Types].xml"] = types
            if "docProps/app.xml" in self._members:
                self._changed["docProps/app.xml"] = wbxml.add_to_app(
                    self._current("docProps/app.xml"), look.name
                )
            sheet = _Sheet(look.name, sheet_id, rid, _WORKSHEET, part)
            self._sheets.append(sheet)
            self._tables[look.name] = []
        drawn = draw_sheet(look, Styles(stylesheet, self._epoch()), code_name)
        self._put(sheet.part, drawn.xml)
        self._changed[self._main] = wbxml.replace_names(book, position, drawn.names)

    def save(self, target: Path, *, backup: bool = False) -> Path | None:
        """Write the book to ``target`` atomically; return the backup kept, if any."""
        if self._stylesheet is not None:
            self._changed[_STYLES] = self._stylesheet.to_bytes()
        changed = {k: v for k, v in self._changed.items() if k in self._members}
        added = [(k, v) for k, v in self._changed.items() if k not in self._members and v]

        def write(tmp: Path) -> None:
            rewrite(self.path, tmp, changed, added)

        return files.write_atomically(target, write, backup)

    # --- parts ----------------------------------------------------------------------------

    def _load(self, name: str) -> None:
        """Read a part (while ``__init__`` has the package open, or opening it again)."""
        if self._package.fp is not None:
            self._parts[name] = self._package.read(name)
        else:
            with zipfile.ZipFile(self.path) as package:
                self._parts[name] = package.read(name)

    def _part(self, name: str) -> bytes:
        if name not in self._members:
            return b""
        if name not in self._parts:
            self._load(name)
        return self._parts[name]

    def _current(self, name: str) -> bytes:
        changed = self._changed.get(name)
        return changed if changed is not None else self._part(name)

    def _put(self, name: str, data: bytes) -> None:
        self._changed[name] = data

    def _styles(self) -> tuple[Stylesheet, CellFormats]:
        if self._stylesheet is None or self._formats is None:
            xml = self._parts.get(_STYLES) or _EMPTY_STYLES
            if _STYLES not in self._members:
                raise WorkbookError(f"{self.name} has no {_STYLES}: save it in Excel first.")
            self._stylesheet = Stylesheet(xml)
            self._formats = CellFormats(
                self._stylesheet, ElementTree.fromstring(xml), self._epoch()
            )
        return self._stylesheet, self._formats

    def _epoch(self) -> datetime:
        """Day 0 of the book's dates, by ``workbookPr date1904`` (as the reader takes it)."""
        root = ElementTree.fromstring(self._parts[self._main])
        properties = root.find(f"{{{MAIN_NS}}}workbookPr")
        date1904 = properties is not None and properties.get("date1904", "") in ("1", "true")
        return values.epoch(date1904)

    def _sheet_list(self) -> list[_Sheet]:
        root = ElementTree.fromstring(self._parts[self._main])
        targets = _targets(self._parts.get(self._main_rels, b""), self._main)
        out = []
        for node in root.iter(f"{{{MAIN_NS}}}sheet"):
            rid = node.get(f"{{{R_NS}}}id", "")
            kind, part = targets.get(rid, ("", ""))
            sheet_id = int(node.get("sheetId", "0") or 0)
            out.append(_Sheet(node.get("name", ""), sheet_id, rid, kind, part))
        return out

    def _table_refs(self, part: str) -> list[tuple[str, str]]:
        rels = _rels_name(part)
        if rels not in self._members:
            return []
        out = []
        for kind, table in _targets(self._part(rels), part).values():
            if kind == _TABLE and table in self._members:
                root = ElementTree.fromstring(self._part(table))
                out.append((root.get("displayName") or root.get("name", ""), root.get("ref", "")))
        return out

    def _new_part_name(self) -> str:
        taken = {name.casefold() for name in self._members} | {
            name.casefold() for name in self._changed
        }
        number = len(self._sheets) + 1
        while f"xl/worksheets/sheet{number}.xml".casefold() in taken:
            number += 1
        return f"xl/worksheets/sheet{number}.xml"

    def _drop_calc_chain(self) -> None:
        """Excel rebuilds the calculation chain; a stale one that lists cells now gone is
        "unreadable content"."""
        for name in self._members:
            if name.rsplit("/", 1)[-1].casefold() == "calcchain.xml":
                self._changed[name] = None
                self._changed["[Content_Types].xml"] = wbxml.drop_content_type(
                    self._current("[Content_Types].xml"), name
                )
        self._changed[self._main_rels] = wbxml.drop_relationship(
            self._current(self._main_rels), "/calcChain"
        )


_EMPTY_STYLES = f'<styleSheet xmlns="{MAIN_NS}"/>'.encode()


def _rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def _targets(xml: bytes, part: str) -> dict[str, tuple[str, str]]:
    if not xml:
        return {}
    folder = posixpath.dirname(part)
    out = {}
    for rel in ElementTree.fromstring(xml).iter(f"{{{RELS_NS}}}Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External" or not target:
            continue
        joined = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        out[rel.get("Id", "")] = (rel.get("Type", ""), posixpath.normpath(joined))
    return out


def _office_document(xml: bytes) -> str | None:
    for kind, part in _targets(xml, "").values():
        if kind.endswith("/officeDocument"):
            return part
    return None


def _rename(book: bytes, sheet_id: int, name: str) -> bytes:
    """The ``<sheet>`` of ``sheet_id`` given Excel's spelling of kpixl's name."""
    pattern = re.compile(
        rb"<(?:[\w.-]+:)?sheet\b[^>]*?sheetId\s*=\s*\"" + str(sheet_id).encode() + rb"\"[^>]*>"
    )
    found = pattern.search(book)
    if found is None:
        return book
    tag = re.sub(
        rb"""(?<![\w:.-])name\s*=\s*(["']).*?\1""",
        lambda _: b"name=" + quoteattr(name).encode("utf-8"),
        found.group(0),
        count=1,
    )
    return book[: found.start()] + tag + book[found.end() :]
