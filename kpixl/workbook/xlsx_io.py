"""Load a workbook file into grids and save it back with openpyxl, losing nothing it keeps.

``load`` reads each worksheet's values once (formula cells take their cached results from the
sheet XML, read only for sheets that hold formulas); ``save`` writes with openpyxl, through
``files.write_atomically``, and puts back the ribbon relationships openpyxl drops from
``_rels/.rels`` (EXCEL_FACTS: Ribbon).
"""

from __future__ import annotations

import io
import posixpath
import warnings
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from xml.etree import ElementTree
from xml.sax.saxutils import quoteattr

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeTree
from openpyxl import load_workbook
from openpyxl.styles.numbers import is_date_format
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.writer.excel import ExcelWriter

from kpixl.errors import WorkbookError
from kpixl.package import sparklines, zipcopy
from kpixl.report.design import Sparkline
from kpixl.workbook import files
from kpixl.workbook.cached import MalformedPart, cached_values, plain
from kpixl.workbook.grid import CellValue, SheetGrid
from kpixl.workbook.ownership import is_mark

MACRO_SUFFIXES = (".xlsm", ".xltm")
PLAIN_SUFFIXES = (".xlsx", ".xltx")
TEMPLATE_SUFFIXES = (".xltx", ".xltm")

RIBBON_TYPES = (
    "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility",
    "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility",
)
"""Package relationship types of customUI/customUI.xml and customUI/customUI14.xml."""
ROOT_RELS = "_rels/.rels"

_FILE_ERRORS = (
    OSError,
    zipfile.BadZipFile,
    ElementTree.ParseError,
    DefusedXmlException,
)
"""What reading the package itself raises when the file is damaged or not a workbook."""
_OPENPYXL_ERRORS = (
    *_FILE_ERRORS,
    InvalidFileException,
    KeyError,
    ValueError,
    TypeError,
    AttributeError,
    IndexError,
    SyntaxError,  # lxml's XMLSyntaxError, when openpyxl parses with lxml
)
"""What openpyxl's reader raises on a malformed part: whatever the type, the file's fault."""


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
    sparklines: dict[str, tuple[Sparkline, ...]] = field(default_factory=dict)
    """Sheet -> the sparklines drawn on it, written into its part by ``save`` (openpyxl
    cannot write them)."""

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
    except _OPENPYXL_ERRORS as exc:
        raise _unreadable(path, exc) from exc
    settle_vba_archive(workbook)
    try:  # kpixl's own reading: only the file's faults are translated, bugs stay bugs
        with zipfile.ZipFile(path) as archive:
            ribbon = _ribbon_relationships(archive)
            grids = _grids(workbook, archive, path)
    except (*_FILE_ERRORS, MalformedPart) as exc:
        raise _unreadable(path, exc) from exc
    generated = frozenset(
        ws.title for ws in workbook.worksheets if any(map(is_mark, ws.defined_names))
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


def _unreadable(path: Path, exc: BaseException) -> WorkbookError:
    return WorkbookError(
        f"{path.name} cannot be read as an Excel workbook ({_reason(exc)}): open it in "
        "Excel, save it as .xlsx or .xlsm and try again."
    )


def _read(archive: zipfile.ZipFile, member: str) -> bytes:
    try:
        return archive.read(member)
    except KeyError:
        raise MalformedPart(f"its part {member} is missing") from None


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
            if ws.title not in parts:
                raise MalformedPart(f"sheet {ws.title!r} is not in the workbook's part list")
            xml = _read(archive, parts[ws.title])
            cached = cached_values(xml, formulas, workbook.epoch, ws.title)
            if cached is None:
                cached = _cached_by_openpyxl(path, ws.title, formulas)
            for (row, col), value in cached.items():
                rows[row][col] = value
            missing = frozenset(formulas.keys() - cached.keys())
        grids.append(SheetGrid(ws.title, rows, missing, ws.sheet_state != "visible"))
    return grids


def _values(ws: Any) -> tuple[list[list[CellValue]], dict[tuple[int, int], bool]]:
    """The sheet's values as rows, and its formula cells (0-based) -> whether date-formatted.

    Walks the cells openpyxl holds, once (``iter_rows`` would create a Cell for every empty
    position of the used range). Sparse: the rows run to the last row holding a value or a
    formula, each row to its own last one, so a comment or a format at XFD1048576 costs nothing.
    """
    by_row: dict[int, dict[int, CellValue]] = {}
    formulas: dict[tuple[int, int], bool] = {}
    for (row, col), cell in ws._cells.items():
        value = cell._value
        if value is None:
            continue
        if cell.data_type == "f":
            formulas[row - 1, col - 1] = is_date_format(cell.number_format)
            value = None  # its saved result, if any, is filled in later
        else:
            value = plain(value)
        by_row.setdefault(row - 1, {})[col - 1] = value
    rows: list[list[CellValue]] = [[] for _ in range(max(by_row, default=-1) + 1)]
    for index, cells in by_row.items():
        line: list[CellValue] = [None] * (max(cells) + 1)
        for col, value in cells.items():
            line[col] = value
        rows[index] = line
    return rows, formulas


def _cached_by_openpyxl(
    path: Path, title: str, formulas: dict[tuple[int, int], bool]
) -> dict[tuple[int, int], CellValue]:
    """The slow, general way: openpyxl's read-only reader of saved values."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            rows = list(book[title].iter_rows(values_only=True))
        finally:
            book.close()
    except _OPENPYXL_ERRORS as exc:
        raise MalformedPart(f"the saved results of sheet {title!r} cannot be read ({exc})") from exc
    found: dict[tuple[int, int], CellValue] = {}
    for row, values in enumerate(rows):
        for col, value in enumerate(values):
            if value is not None and (row, col) in formulas:
                found[row, col] = plain(value)
    return found


def save(loaded: Loaded, out: Path, *, backup: bool = False) -> Path | None:
    """Write the workbook to ``out`` through :func:`files.write_atomically`; return the
    backup of the file it replaced (kept only when ``backup``).

    The file type follows ``out``'s suffix: a macro-enabled workbook must keep a
    macro-enabled suffix, and ``.xltx``/``.xltm`` make a template.
    """
    out = Path(out)
    workbook = loaded.workbook
    suffix = out.suffix.lower()
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

    def write(tmp: Path) -> None:
        def openpyxl_save(path: Path | BinaryIO) -> None:
            archive = _RootRelsPatchingZip(path, extra)
            try:
                ExcelWriter(workbook, archive).save()
            finally:
                archive.close()

        write_with_sparklines(tmp, openpyxl_save, loaded.sparklines)

    return files.write_atomically(out, write, backup)


def write_with_sparklines(
    tmp: Path,
    write: Callable[[Any], object],
    sparklines: Mapping[str, Sequence[Sparkline]],
) -> None:
    """``write(target)`` (an openpyxl save), then each sheet's sparklines put into its part.

    With sparklines the openpyxl save goes to memory, so the atomic writer's ``tmp`` is the
    only file a run ever leaves behind when it is killed (and the next run removes it)."""
    drawn = {name: tuple(lines) for name, lines in sparklines.items() if lines}
    if not drawn:
        write(tmp)
        return
    plain = io.BytesIO()
    write(plain)
    plain.seek(0)
    _add_sparklines(plain, tmp, drawn)


def _add_sparklines(
    source: Path | BinaryIO, out: Path, drawn: dict[str, tuple[Sparkline, ...]]
) -> None:
    """Copy ``source`` to ``out`` with each sheet's sparkline extension in its part."""
    with zipfile.ZipFile(source) as archive:
        parts = _sheet_parts(archive)
        changed = {
            parts[name]: sparklines.add_to_sheet(
                archive.read(parts[name]), sparklines.extension(name, lines)
            )
            for name, lines in drawn.items()
            if name in parts
        }
    zipcopy.rewrite(source, out, changed)


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
    root = SafeTree.fromstring(_read(archive, part))
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
        (
            target.lstrip("/")
            for _, kind, target in _relationships(archive, ROOT_RELS)
            if kind.endswith("/officeDocument")
        ),
        None,
    )
    if book is None:
        raise MalformedPart(f"{ROOT_RELS} names no workbook part")
    folder, name = posixpath.split(book)
    targets = {
        rid: target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        for rid, _, target in _relationships(archive, f"{folder}/_rels/{name}.rels")
    }
    parts = {}
    for element in SafeTree.fromstring(_read(archive, book)).iter():
        if _local(element.tag) == "sheet":
            rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), "")
            if rid not in targets:
                raise MalformedPart(f"sheet {element.get('name')!r} has no part in {book}")
            parts[element.get("name", "")] = posixpath.normpath(targets[rid])
    return parts


class _RootRelsPatchingZip(zipfile.ZipFile):
    """A zip being written whose ``_rels/.rels`` gets the given relationships when missing."""

    def __init__(self, file: Path | BinaryIO, extra: tuple[tuple[str, str], ...]) -> None:
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
