"""Checks on an untrusted file before openpyxl opens it, and what a save would lose.

``preflight`` refuses anything that is not a readable Excel package (missing, empty, too
large, legacy ``.xls``, password-protected, CSV/HTML/PDF renamed, ``.xlsb``, ``.xlam``,
damaged zip), zip bombs (declared sizes, compression ratio, member count; reads are capped)
and XML parts that declare a DOCTYPE or entities. It returns a ``PackageInfo`` that lists
the parts openpyxl cannot carry through a save; ``check_no_loss`` turns those into one
sentence.
"""

from __future__ import annotations

import struct
import zipfile
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from kpixl.errors import WorkbookError, WouldLoseDataError
from kpixl.workbook.lossy import LossyPart, find_lossy
from kpixl.workbook.parts import MB, Limits, PartReader, content_types, main_part

__all__ = ["Limits", "LossyPart", "PackageInfo", "check_no_loss", "preflight"]

_MACRO_TYPES = ("application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                "application/vnd.ms-excel.template.macroEnabled.main+xml")  # fmt: skip
_XLAM = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
_XLSB = "application/vnd.ms-excel.sheet.binary.macroEnabled.main"
_CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


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


def check_no_loss(
    info: PackageInfo, path: Path | None = None, sheets: Collection[str] | None = None
) -> None:
    """Raise WouldLoseDataError naming every part an openpyxl save would lose; with
    ``sheets``, only what is on those sheets (the ones a package write replaces: every other
    part is copied unchanged)."""
    if sheets is not None:
        wanted = {name.casefold() for name in sheets}
        kept = tuple(item for item in info.lossy if (item.sheet or "").casefold() in wanted)
        info = replace(info, lossy=kept)
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
    reader = PartReader(name, package, limits)
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
    types = content_types(reader.parse(members["[Content_Types].xml"]))
    main = main_part(reader, members)
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
        lossy=tuple(find_lossy(reader, members, main, content_type in _MACRO_TYPES)),
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
