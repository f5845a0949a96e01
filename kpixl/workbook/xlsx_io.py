"""Load a workbook file into grids and save it back with openpyxl, losing nothing it keeps.

``load`` reads each worksheet's values once (formula cells take their cached results from the
sheet XML, read only for sheets that hold formulas); ``save`` writes with openpyxl and puts
back the ribbon relationships openpyxl drops from ``_rels/.rels`` (EXCEL_FACTS: Ribbon).
"""

from __future__ import annotations

import html
import os
import posixpath
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import quoteattr

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeTree
from openpyxl import load_workbook
from openpyxl.cell.rich_text import CellRichText
from openpyxl.styles.numbers import is_date_format
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.writer.excel import ExcelWriter

from kpixl.errors import WorkbookError
from kpixl.package import values
from kpixl.workbook.contract import GENERATED_MARK
from kpixl.workbook.grid import CellValue, SheetGrid

MACRO_SUFFIXES = (".xlsm", ".xltm")
PLAIN_SUFFIXES = (".xlsx", ".xltx")
TEMPLATE_SUFFIXES = (".xltx", ".xltm")

RIBBON_TYPES = (
    "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility",
    "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility",
)
"""Package relationship types of customUI/customUI.xml and customUI/customUI14.xml."""
ROOT_RELS = "_rels/.rels"

_READ_ERRORS = (
    OSError,
    zipfile.BadZipFile,
    InvalidFileException,
    KeyError,
    ValueError,
    TypeError,
    AttributeError,
    IndexError,
    ElementTree.ParseError,
    DefusedXmlException,
)


@dataclass
class Loaded:
    """An open workbook file: the openpyxl Workbook and every worksheet's values."""

    path: Path
    workbook: Any  # openpyxl.Workbook (untyped)
    grids: list[SheetGrid]
    generated: frozenset[str]
    """Sheets carrying kpixl's GENERATED_MARK: kpixl made them and may replace them."""
    ribbon: tuple[tuple[str, str], ...] = ()
    """(relationship type, target) of each customUI part wired in the source package."""
    warnings: tuple[str, ...] = ()
    """What openpyxl said while reading (features it does not keep, for example)."""

    def grid(self, name: str) -> SheetGrid:
        for grid in self.grids:
            if grid.name == name:
                return grid
        raise KeyError(name)


def load(path: Path) -> Loaded:
    """Open ``path`` (.xlsx/.xlsm/.xltx/.xltm); raise WorkbookError when it cannot be read."""
    path = Path(path)
    if not path.is_file():
        raise WorkbookError(f"{path} does not exist: check the file name and folder.")
    macro = path.suffix.lower() in MACRO_SUFFIXES
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            workbook = load_workbook(
                path, keep_vba=macro, rich_text=True, keep_links=True, data_only=False
            )
        settle_vba_archive(workbook)
        with zipfile.ZipFile(path) as archive:
            ribbon = _ribbon_relationships(archive)
            grids = _grids(workbook, archive, path)
    except _READ_ERRORS as exc:
        raise WorkbookError(
            f"{path.name} cannot be read as an Excel workbook ({_reason(exc)}): open it in "
            "Excel, save it as .xlsx or .xlsm and try again."
        ) from exc
    generated = frozenset(
        ws.title for ws in workbook.worksheets if GENERATED_MARK in ws.defined_names
    )
    return Loaded(
        path=path,
        workbook=workbook,
        grids=grids,
        generated=generated,
        ribbon=ribbon,
        warnings=tuple(str(w.message) for w in caught),
    )


def settle_vba_archive(workbook: Any) -> None:
    """Turn openpyxl's copy of the source parts (kept for ``keep_vba``) into a read-only zip.

    openpyxl leaves it open for appending over a BytesIO; when garbage collection frees the
    buffer first, its finaliser writes to a closed file and Python reports an error.
    """
    archive = workbook.vba_archive
    if archive is None or archive.mode == "r":
        return
    buffer = archive.fp
    archive.close()
    workbook.vba_archive = zipfile.ZipFile(buffer)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, InvalidFileException):
        return "kpixl reads only .xlsx, .xlsm, .xltx and .xltm files"
    if isinstance(exc, zipfile.BadZipFile):
        return "it is not the zip package an .xlsx or .xlsm file is"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc).strip().rstrip(".") or type(exc).__name__


def _grids(workbook: Any, archive: zipfile.ZipFile, path: Path) -> list[SheetGrid]:
    parts: dict[str, str] | None = None
    grids = []
    for ws in workbook.worksheets:
        rows, formulas = _values(ws)
        missing: frozenset[tuple[int, int]] = frozenset()
        if formulas:
            if parts is None:
                parts = _sheet_parts(archive)
            xml = archive.read(parts[ws.title])
            cached = _cached_values(xml, formulas, workbook.epoch)
            if cached is None:
                cached = _cached_by_openpyxl(path, ws.title, formulas)
            for (row, col), value in cached.items():
                rows[row][col] = value
            missing = frozenset(formulas.keys() - cached.keys())
        grids.append(SheetGrid(ws.title, rows, missing, ws.sheet_state != "visible"))
    return grids


def _values(ws: Any) -> tuple[list[list[CellValue]], dict[tuple[int, int], bool]]:
    """The sheet's values as rows, and its formula cells (0-based) -> whether date-formatted.

    Walks the cells openpyxl holds, once: ``iter_rows`` would create a Cell for every empty
    position of the used range, slowing the read and adding empty cells to the workbook.
    """
    cells = ws._cells
    if not cells:
        return [], {}
    width = ws.max_column
    rows: list[list[CellValue]] = [[None] * width for _ in range(ws.max_row)]
    formulas: dict[tuple[int, int], bool] = {}
    for (row, col), cell in cells.items():
        value = cell._value
        if value is None:
            continue
        if cell.data_type == "f":
            formulas[row - 1, col - 1] = is_date_format(cell.number_format)
        else:
            rows[row - 1][col - 1] = _plain(value)
    return rows, formulas


def _plain(value: Any) -> CellValue:
    """A cell value as a grid holds it: rich text as its text, times as Excel's day fractions."""
    if isinstance(value, CellRichText):
        return str(value)
    if isinstance(value, timedelta):
        return value.total_seconds() / 86400
    if isinstance(value, time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    return value  # type: ignore[no-any-return]


def _cached_values(
    xml: bytes, formulas: dict[tuple[int, int], bool], epoch: datetime
) -> dict[tuple[int, int], CellValue] | None:
    """Saved results of the formula cells in one sheet's XML (cells without one are left out).

    None when the XML is not in the form Excel writes (UTF-8, every cell with its reference).
    """
    if not xml.lstrip().startswith(b"<"):
        return None
    found: dict[tuple[int, int], CellValue] = {}
    for reference, kind, text in _formula_cells(xml):
        if reference is None:
            return None
        row, col = coordinate_to_tuple(reference)
        position = (row - 1, col - 1)
        if text is None or position not in formulas:
            continue
        shown = values.DATE if formulas[position] else values.NUMBER
        try:
            found[position] = values.cached_value(kind or "n", text, shown, epoch)
        except ValueError:
            continue  # an empty saved result (<v></v>, as openpyxl with lxml writes): none
    return found


def _cached_by_openpyxl(
    path: Path, title: str, formulas: dict[tuple[int, int], bool]
) -> dict[tuple[int, int], CellValue]:
    """The slow, general way: openpyxl's read-only reader of saved values."""
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        found: dict[tuple[int, int], CellValue] = {}
        for row, values in enumerate(book[title].iter_rows(values_only=True)):
            for col, value in enumerate(values):
                if value is not None and (row, col) in formulas:
                    found[row, col] = _plain(value)
        return found
    finally:
        book.close()


def save(loaded: Loaded, out: Path) -> Path:
    """Write the workbook to ``out`` (through a temporary file beside it) and return ``out``.

    The file type follows ``out``'s suffix when it is an Excel one (a macro-enabled workbook
    must keep a macro-enabled suffix), else the source's (for temporary names such as
    ``.~kpixl-x.xlsm.tmp``).
    """
    out = Path(out)
    workbook = loaded.workbook
    suffix = out.suffix.lower()
    if suffix in MACRO_SUFFIXES + PLAIN_SUFFIXES:
        macro = workbook.vba_archive is not None
        allowed = MACRO_SUFFIXES if macro else PLAIN_SUFFIXES
        if suffix not in allowed:
            kind = "a macro-enabled workbook" if macro else "a workbook without macros"
            raise WorkbookError(
                f"{loaded.path.name} is {kind}, so it must be saved with a name ending "
                f"{' or '.join(allowed)}, not {out.name}."
            )
        workbook.template = suffix in TEMPLATE_SUFFIXES
    extra = _ribbon_to_rewire(loaded)
    temporary = out.with_name(f".{out.name}.kpixl-tmp")
    try:
        archive = _RootRelsPatchingZip(temporary, extra)
        try:
            ExcelWriter(workbook, archive).save()
        finally:
            archive.close()
        os.replace(temporary, out)
    except (OSError, ValueError, TypeError, KeyError) as exc:
        temporary.unlink(missing_ok=True)
        raise WorkbookError(
            f"{out} could not be written ({_reason(exc)}): close it if it is open in Excel, "
            "check the folder can be written to, or choose another name."
        ) from exc
    return out


def _ribbon_to_rewire(loaded: Loaded) -> tuple[tuple[str, str], ...]:
    """Ribbon relationships of the source whose customUI part openpyxl carries through."""
    archive = loaded.workbook.vba_archive
    if archive is None:
        return ()
    names = set(archive.namelist())
    return tuple((kind, target) for kind, target in loaded.ribbon if target.lstrip("/") in names)


# --- package parts -----------------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _relationships(archive: zipfile.ZipFile, part: str) -> list[tuple[str, str, str]]:
    """(Id, Type, Target) of each relationship in a ``.rels`` part."""
    root = SafeTree.fromstring(archive.read(part))
    return [
        (rel.get("Id", ""), rel.get("Type", ""), rel.get("Target", ""))
        for rel in root
        if _local(rel.tag) == "Relationship"
    ]


def _ribbon_relationships(archive: zipfile.ZipFile) -> tuple[tuple[str, str], ...]:
    if ROOT_RELS not in archive.namelist():
        return ()
    rels = _relationships(archive, ROOT_RELS)
    return tuple((kind, target) for _, kind, target in rels if kind in RIBBON_TYPES)


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member holding its XML."""
    book = next(
        target.lstrip("/")
        for _, kind, target in _relationships(archive, ROOT_RELS)
        if kind.endswith("/officeDocument")
    )
    folder, name = posixpath.split(book)
    targets = {
        rid: target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        for rid, _, target in _relationships(archive, f"{folder}/_rels/{name}.rels")
    }
    parts = {}
    for element in SafeTree.fromstring(archive.read(book)).iter():
        if _local(element.tag) == "sheet":
            rid = next(v for k, v in element.attrib.items() if _local(k) == "id")
            parts[element.get("name", "")] = posixpath.normpath(targets[rid])
    return parts


_FORMULA_CELL = re.compile(
    rb"<(?:[\w.-]+:)?c\b([^>]*)(?<!/)>\s*<(?:[\w.-]+:)?f\b(.*?)</(?:[\w.-]+:)?c>", re.S
)
_CACHED = re.compile(rb"<(?:[\w.-]+:)?v(?:\s[^>]*)?(?<!/)>(.*?)</(?:[\w.-]+:)?v>", re.S)
_ATTRIBUTE = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _formula_cells(xml: bytes) -> Iterator[tuple[str | None, str | None, str | None]]:
    """(reference, cached type, cached text or None) of each formula cell in a sheet's XML.

    A scan in C over the bytes: an element tree costs 3-4x more for the few cells wanted.
    Nothing is expanded, so entities in the XML cannot do harm here.
    """
    for match in _FORMULA_CELL.finditer(xml):
        attributes = {
            name.rpartition(b":")[2]: double if double or not single else single
            for name, double, single in _ATTRIBUTE.findall(match.group(1))
        }
        cached = _CACHED.search(match.group(2))
        reference, kind = attributes.get(b"r"), attributes.get(b"t")
        yield (
            reference.decode("ascii") if reference else None,
            kind.decode("ascii") if kind else None,
            html.unescape(cached.group(1).decode("utf-8")) if cached else None,
        )


class _RootRelsPatchingZip(zipfile.ZipFile):
    """A zip being written whose ``_rels/.rels`` gets the given relationships when missing."""

    def __init__(self, file: Path, extra: tuple[tuple[str, str], ...]) -> None:
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self._extra = extra

    def writestr(
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: Any,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        name = getattr(zinfo_or_arcname, "filename", zinfo_or_arcname)
        if name == ROOT_RELS and self._extra:
            data = _add_relationships(data, self._extra)
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)


def _add_relationships(data: bytes | str, extra: tuple[tuple[str, str], ...]) -> bytes:
    xml = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    present = {kind for _, kind, _ in _parse_rels(xml)}
    added = "".join(
        f"<Relationship Id={quoteattr(f'kpixlRibbon{n}')} Type={quoteattr(kind)} "
        f"Target={quoteattr(target)}/>"
        for n, (kind, target) in enumerate(extra, start=1)
        if kind not in present
    )
    return xml.replace(b"</Relationships>", added.encode("utf-8") + b"</Relationships>")


def _parse_rels(xml: bytes) -> list[tuple[str, str, str]]:
    root = SafeTree.fromstring(xml)
    return [(r.get("Id", ""), r.get("Type", ""), r.get("Target", "")) for r in root]
