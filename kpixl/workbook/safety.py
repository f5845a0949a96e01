"""Checks on an untrusted file before openpyxl opens it, and what a save would lose.

``preflight`` refuses anything that is not a readable Excel package (missing, empty, too
large, legacy ``.xls``, password-protected, CSV/HTML/PDF renamed, ``.xlsb``, ``.xlam``,
damaged zip), zip bombs (declared sizes, compression ratio, member count; reads are capped)
and XML parts that declare a DOCTYPE or entities. It returns a ``PackageInfo`` that lists
the parts openpyxl cannot carry through a save; ``check_no_loss`` turns those into one
sentence. Losses found by round-tripping hand-made packages through openpyxl 3.1.5
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
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException, ElementTree

from kpixl.errors import WorkbookError, WouldLoseDataError

__all__ = ["Limits", "LossyPart", "PackageInfo", "check_no_loss", "preflight"]

MB = 1024 * 1024
_CHUNK = 64 * 1024
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_MACRO_TYPES = ("application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                "application/vnd.ms-excel.template.macroEnabled.main+xml")  # fmt: skip
_XLAM = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
_XLSB = "application/vnd.ms-excel.sheet.binary.macroEnabled.main"
_CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


@dataclass(frozen=True)
class Limits:
    """Refusal thresholds; lowered in tests."""

    max_file_bytes: int = 200 * MB
    max_total_uncompressed: int = 1024 * MB
    max_ratio: int = 200
    ratio_min_bytes: int = 10 * MB
    max_members: int = 10_000
    max_prolog_bytes: int = 64 * 1024


@dataclass(frozen=True)
class LossyPart:
    """A part an openpyxl save would lose or rewrite: ``what`` is singular ("a chart")."""

    part: str
    what: str
    plural: str
    sheet: str | None = None


@dataclass(frozen=True)
class PackageInfo:
    """What preflight learnt about a package, without openpyxl."""

    path: Path
    main_part: str
    content_type: str
    macro_enabled: bool
    has_vba: bool
    parts: tuple[str, ...]
    ribbon_parts: tuple[str, ...]
    lossy: tuple[LossyPart, ...]

    @property
    def lossy_parts(self) -> tuple[str, ...]:
        """Names of the parts an openpyxl save would lose, in package order."""
        return tuple(dict.fromkeys(item.part for item in self.lossy))

    @property
    def losses(self) -> tuple[str, ...]:
        """Plain descriptions, grouped: "2 charts on sheet 'Finance'", "a picture"."""
        counts = Counter((item.what, item.plural, item.sheet) for item in self.lossy)
        out = []
        for (what, plural, sheet), n in counts.items():
            text = what if n == 1 else f"{n} {plural}"
            out.append(text if sheet is None else f"{text} on sheet '{sheet}'")
        return tuple(out)


def preflight(path: Path, limits: Limits = Limits()) -> PackageInfo:  # noqa: B008
    """Check ``path`` is a safe, readable Excel package; raise WorkbookError if not."""
    name = path.name
    if not path.exists():
        raise WorkbookError(f"There is no file at {path}: check the name and folder.")
    if path.is_dir():
        raise WorkbookError(f"{name} is a folder, not an Excel workbook.")
    size = path.stat().st_size
    if size == 0:
        raise WorkbookError(f"{name} is empty (0 bytes): it is not an Excel workbook.")
    if size > limits.max_file_bytes:
        raise WorkbookError(
            f"{name} is {size // MB} MB, larger than kpixl's limit of "
            f"{limits.max_file_bytes // MB} MB for a workbook."
        )
    with path.open("rb") as stream:
        head = stream.read(8192)
        if head.startswith(_CFB_MAGIC):
            raise WorkbookError(_compound_file_message(name, stream))
    if not head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        raise WorkbookError(_not_zip_message(name, head))
    try:
        with zipfile.ZipFile(path) as package:
            return _inspect(path, package, limits)
    except (zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError) as exc:
        raise WorkbookError(
            f"{name} is damaged and cannot be opened as a workbook (it may be incomplete): "
            "copy it again or re-save it in Excel."
        ) from exc


def check_no_loss(info: PackageInfo, path: Path | None = None) -> None:
    """Raise WouldLoseDataError naming every part an openpyxl save would lose."""
    losses = info.losses
    if not losses:
        return
    shown = list(losses[:5])
    if len(losses) > 5:
        shown.append(f"{len(losses) - 5} more things")
    listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    raise WouldLoseDataError(
        f"{(path or info.path).name}: kpixl would lose {listed} if it saved this workbook; "
        f"move {'it' if len(info.lossy) == 1 else 'them'} to another workbook or use the "
        "Calculate RAG button inside Excel."
    )


# --- not a zip --------------------------------------------------------------------------


def _not_zip_message(name: str, head: bytes) -> str:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%PDF"):
        return f"{name} is a PDF document, not an Excel workbook."
    if start.startswith((b"<!doctype html", b"<html")) or b"<html" in start[:1024]:
        return (
            f"{name} is a web page (HTML), not an Excel workbook: open it in Excel and "
            "save it as .xlsx or .xlsm."
        )
    if b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        return (
            f"{name} is an Excel 2003 XML spreadsheet: open it in Excel and save it as "
            ".xlsx or .xlsm."
        )
    if _is_text(head):
        return (
            f"{name} is a text (CSV) file, not an Excel workbook: open it in Excel and "
            "save it as .xlsx or .xlsm."
        )
    return f"{name} is not an Excel workbook."


def _is_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not just a character cut at the end of the sample
            return False
        text = head[: exc.start].decode("utf-8")
    return all(c.isprintable() or c in "\t\r\n" for c in text)


def _compound_file_message(name: str, stream: IO[bytes]) -> str:
    names = _cfb_names(stream)
    if "encryptioninfo" in names or "encryptedpackage" in names:
        return (
            f"{name} is password-protected: remove the password in Excel "
            "(File > Info > Protect Workbook) and try again."
        )
    if "workbook" in names or "book" in names:
        return (
            f"{name} is an old Excel 97-2003 workbook (.xls): save it as .xlsx or .xlsm in "
            "Excel (File > Save As) and try again."
        )
    return f"{name} is not an Excel workbook."


def _cfb_names(stream: IO[bytes], max_sectors: int = 4096) -> set[str]:
    """Lower-cased names in an MS-CFB directory (MS-CFB 2.2, 2.6), or what could be read."""
    stream.seek(0)
    header = stream.read(512)
    if len(header) < 512:
        return set()
    sector_size = 1 << struct.unpack_from("<H", header, 0x1E)[0]
    if sector_size not in (512, 4096):
        return set()
    first_dir = struct.unpack_from("<I", header, 0x30)[0]
    fat_sectors = [s for s in struct.unpack_from("<109I", header, 0x4C) if s < 0xFFFFFFFA]
    per_sector = sector_size // 4

    def read_sector(sid: int) -> bytes:
        stream.seek((sid + 1) * sector_size)
        return stream.read(sector_size)

    names: set[str] = set()
    sid, seen = first_dir, set[int]()
    while sid < 0xFFFFFFFA and sid not in seen and len(seen) < max_sectors:
        seen.add(sid)
        sector = read_sector(sid)
        for offset in range(0, len(sector) - 127, 128):
            length = struct.unpack_from("<H", sector, offset + 0x40)[0]
            if 2 <= length <= 64:
                raw = sector[offset : offset + length - 2]
                names.add(raw.decode("utf-16-le", "replace").lower())
        if sid // per_sector >= len(fat_sectors):
            break
        fat = read_sector(fat_sectors[sid // per_sector])
        if len(fat) < sector_size:
            break
        sid = struct.unpack_from("<I", fat, (sid % per_sector) * 4)[0]
    return names


# --- the zip package --------------------------------------------------------------------


def _inspect(path: Path, package: zipfile.ZipFile, limits: Limits) -> PackageInfo:
    name = path.name
    infos = package.infolist()
    _check_sizes(name, infos, limits)
    members = {info.filename: info for info in infos}
    reader = _Reader(name, package, limits)
    if "mimetype" in members and b"opendocument" in reader.read(members["mimetype"], 200):
        raise WorkbookError(
            f"{name} is an OpenDocument spreadsheet (.ods): save it as .xlsx or .xlsm and "
            "try again."
        )
    if "[Content_Types].xml" not in members:
        raise WorkbookError(f"{name} is a zip file, not an Excel workbook.")
    xml_parts = [m for m in members if m.endswith((".xml", ".rels", ".vml"))]
    for part in xml_parts:
        reader.check_prolog(members[part])
    types = _content_types(reader.parse(members["[Content_Types].xml"]))
    main = _main_part(reader, members)
    content_type = types.get(main, "")
    if content_type.startswith(_XLSB) or main.endswith(".bin"):
        raise WorkbookError(
            f"{name} is an Excel binary workbook (.xlsb), which kpixl cannot read: save it as "
            ".xlsm or .xlsx in Excel (File > Save As) and try again."
        )
    if content_type == _XLAM:
        raise WorkbookError(f"{name} is an Excel add-in (.xlam), not a workbook.")
    if main not in members or (
        "spreadsheetml" not in content_type and "ms-excel" not in content_type
    ):
        kind = "a Word document" if "word/document.xml" in members else "not an Excel workbook"
        raise WorkbookError(f"{name} is {kind}.")
    return PackageInfo(
        path=path,
        main_part=main,
        content_type=content_type,
        macro_enabled=content_type in _MACRO_TYPES,
        has_vba=any(m.endswith("vbaProject.bin") for m in members),
        parts=tuple(members),
        ribbon_parts=tuple(m for m in members if m.startswith("customUI/") and m.endswith(".xml")),
        lossy=tuple(_find_lossy(reader, members, main)),
    )


def _check_sizes(name: str, infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.max_members:
        raise WorkbookError(
            f"{name} has {len(infos)} parts, more than a workbook ever has "
            f"({limits.max_members}); kpixl refuses it for safety."
        )
    total = sum(info.file_size for info in infos)
    if total > limits.max_total_uncompressed:
        raise WorkbookError(
            f"{name} would expand to {total // MB} MB when opened, above kpixl's limit of "
            f"{limits.max_total_uncompressed // MB} MB; kpixl refuses it for safety "
            "(a 'zip bomb' looks like this)."
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_min_bytes and ratio > limits.max_ratio:
            raise WorkbookError(
                f"{name}: part {info.filename} is compressed {ratio:.0f} to 1, far more than "
                "real workbook data; kpixl refuses it for safety (a 'zip bomb' looks like this)."
            )


class _Reader:
    """Capped, streamed reads of package members."""

    def __init__(self, name: str, package: zipfile.ZipFile, limits: Limits) -> None:
        self.name, self.package, self.limits = name, package, limits
        self.budget = limits.max_total_uncompressed

    def chunks(self, info: zipfile.ZipInfo, cap: int | None = None) -> Iterator[bytes]:
        left = info.file_size if cap is None else min(cap, info.file_size)
        with self.package.open(info) as member:
            while left > 0:
                chunk = member.read(min(_CHUNK, left))
                if not chunk:
                    return
                left -= len(chunk)
                self.budget -= len(chunk)
                if self.budget < 0:
                    raise WorkbookError(
                        f"{self.name} expands to more than kpixl's limit when read; kpixl "
                        "refuses it for safety (a 'zip bomb' looks like this)."
                    )
                yield chunk

    def read(self, info: zipfile.ZipInfo, cap: int | None = None) -> bytes:
        return b"".join(self.chunks(info, cap))

    def parse(self, info: zipfile.ZipInfo) -> Element:
        try:
            root: Element = ElementTree.fromstring(self.read(info, 16 * MB))
            return root
        except (ParseError, DefusedXmlException) as exc:
            raise WorkbookError(
                f"{self.name} is damaged: part {info.filename} is not readable XML ({exc})."
            ) from exc

    def check_prolog(self, info: zipfile.ZipInfo) -> None:
        """Refuse a DOCTYPE (the only place entities can be declared) before the root."""
        head = b""
        for chunk in self.chunks(info, self.limits.max_prolog_bytes):
            head += chunk
            verdict = _prolog_verdict(head)
            if verdict is not None:
                break
        else:
            verdict = _prolog_verdict(head, final=True)
        if verdict:
            raise WorkbookError(
                f"{self.name}: part {info.filename} contains XML entity declarations, which "
                "kpixl refuses for safety (a 'billion laughs' attack looks like this)."
            )


def _prolog_verdict(head: bytes, final: bool = False) -> bool | None:
    """True: DOCTYPE found; False: root element reached; None: need more bytes."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", "ignore")
    else:
        text = head.decode("latin-1")
    text, i = text.lstrip("\ufeff\xef\xbb\xbf"), 0
    while True:
        while i < len(text) and text[i] in " \t\r\n":
            i += 1
        if text.startswith(("<?", "<!--"), i):
            close = "?>" if text[i + 1] == "?" else "-->"
            end = text.find(close, i + 2)
            if end < 0:
                return True if final else None
            i = end + len(close)
            continue
        if len(text) - i < 9 and not final:  # too short to tell "<!--" from "<!DOCTYPE"
            return None
        return text.startswith("<!", i)


def _content_types(root: Element) -> dict[str, str]:
    types = {}
    for node in root.iter(f"{{{_CT}}}Override"):
        types[node.get("PartName", "").lstrip("/")] = node.get("ContentType", "")
    return types


def _rels(reader: _Reader, members: dict[str, zipfile.ZipInfo], part: str) -> dict[str, str]:
    """Relationship id -> target part name for ``part`` (internal targets only)."""
    folder, base = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    if rels_name not in members:
        return {}
    out = {}
    for rel in reader.parse(members[rels_name]).iter(f"{{{_RELS}}}Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External" or not target:
            continue
        joined = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        out[rel.get("Id", "")] = posixpath.normpath(joined)
        if rel.get("Type") == _OFFICE_DOC:
            out[_OFFICE_DOC] = out[rel.get("Id", "")]
    return out


def _main_part(reader: _Reader, members: dict[str, zipfile.ZipInfo]) -> str:
    return _rels(reader, members, "").get(_OFFICE_DOC, "xl/workbook.xml")


# --- what an openpyxl save would lose ----------------------------------------------------

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
    reader: _Reader, members: dict[str, zipfile.ZipInfo], main: str
) -> tuple[dict[str, str], dict[str, str]]:
    """Sheet part -> sheet name, and dependent part -> sheet name (two levels of rels)."""
    if main not in members:
        return {}, {}
    rels = _rels(reader, members, main)
    sheets: dict[str, str] = {}
    for node in reader.parse(members[main]).iter(f"{{{_MAIN}}}sheet"):
        target = rels.get(node.get(f"{{{_R}}}id", ""))
        if target:
            sheets[target] = node.get("name", "")
    owner: dict[str, str] = {}
    for sheet_part, sheet in sheets.items():
        for child in _rels(reader, members, sheet_part).values():
            owner.setdefault(child, sheet)
            for grandchild in _rels(reader, members, child).values():
                owner.setdefault(grandchild, sheet)
    return sheets, owner


def _find_lossy(
    reader: _Reader, members: dict[str, zipfile.ZipInfo], main: str
) -> Iterator[LossyPart]:
    sheets, owner = _sheet_of_parts(reader, members, main)
    for part, info in members.items():
        sheet = owner.get(part)
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


def _contains(reader: _Reader, info: zipfile.ZipInfo, pattern: re.Pattern[bytes]) -> bool:
    tail = b""
    for chunk in reader.chunks(info):
        if pattern.search(tail + chunk):
            return True
        tail = chunk[-256:]
    return False


def _sheet_extensions(reader: _Reader, info: zipfile.ZipInfo) -> list[str]:
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
