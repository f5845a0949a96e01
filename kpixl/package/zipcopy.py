"""A zip writer that copies unchanged members raw and deflates only what changed.

Python's ``zipfile`` has no public raw-copy API (``open`` inflates, ``writestr`` deflates),
so this follows the ZIP application note (PKWARE APPNOTE 6.3, 4.3) for the few records an
.xlsx needs: a raw copy reads a member's local header (30 bytes + name + extra) and then
exactly ``compress_size`` bytes, and writes them behind a fresh local header that carries
the CRC and sizes (flag bit 3, the data descriptor, cleared; bit 11, UTF-8 names, kept).
A central directory and the end record follow. Extra fields and comments are not carried
(they hold timestamps and zip64 sizes, which would be stale). Encrypted members are refused;
zip64 is not written (a workbook kpixl accepts is far below 4 GiB and 65,535 members).

The output goes to a path or to a binary file object given by the caller (kpixl's atomic
writer in ``kpixl.workbook.files`` owns temporary names and replacing the target); nothing
here seeks, so any writable stream works.
"""

from __future__ import annotations

import struct
import time
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO

from kpixl.errors import WorkbookError

__all__ = ["PackageWriter", "rewrite"]

_LOCAL = struct.Struct("<4sHHHHHIIIHH")
_CENTRAL = struct.Struct("<4sBBHHHHHIIIHHHHHII")
_END = struct.Struct("<4sHHHHIIH")
_LOCAL_SIG, _CENTRAL_SIG, _END_SIG = b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"
_ENCRYPTED = 0x1 | 0x40  # traditional and strong encryption (APPNOTE 4.4.4 bits 0 and 6)
_DATA_DESCRIPTOR = 0x8
_UTF8 = 0x800
_LIMIT = 0xFFFFFFFF
_MAX_MEMBERS = 0xFFFF
_CHUNK = 1 << 20
_UNIX = 3


@dataclass(frozen=True)
class _Entry:
    """What the central directory needs about one member already written."""

    name: bytes
    flags: int
    method: int
    dos_time: int
    dos_date: int
    crc: int
    compressed: int
    size: int
    offset: int
    version: int
    external_attr: int
    made_by: tuple[int, int]
    """(version, system) that made the member: says how to read ``external_attr``."""


class PackageWriter:
    """Writes members one after another, then the central directory on ``close``."""

    def __init__(self, out: Path | BinaryIO) -> None:
        if isinstance(out, Path):
            self._stream: IO[bytes] = out.open("wb")
            self._owned = True
        else:
            self._stream = out
            self._owned = False
        self._offset = 0
        self._entries: list[_Entry] = []
        self._names: set[bytes] = set()

    def __enter__(self) -> PackageWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.close()
        elif self._owned:
            self._stream.close()

    def copy(self, source: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        """Copy ``info``'s compressed bytes from ``source`` unchanged (no inflate, no deflate)."""
        if info.flag_bits & _ENCRYPTED:
            raise WorkbookError(
                f"part {info.filename} of the workbook is encrypted: remove the password in "
                "Excel and try again."
            )
        if max(info.compress_size, info.file_size, info.header_offset) >= _LIMIT:
            raise WorkbookError(f"part {info.filename} of the workbook is too large (zip64).")
        stream = source.fp
        if stream is None:
            raise ValueError("the source zip is closed")
        stream.seek(info.header_offset)
        header = stream.read(_LOCAL.size)
        if len(header) != _LOCAL.size or header[:4] != _LOCAL_SIG:
            raise WorkbookError(f"part {info.filename} of the workbook is damaged.")
        name_length, extra_length = struct.unpack_from("<HH", header, 26)
        stream.seek(info.header_offset + _LOCAL.size + name_length + extra_length)
        flags = info.flag_bits & ~_DATA_DESCRIPTOR
        entry = self._entry(
            _encoded_name(info), flags, info.compress_type, info.date_time, info.CRC,
            info.compress_size, info.file_size, max(info.extract_version, 20),
            info.external_attr, (info.create_version, info.create_system),
        )  # fmt: skip
        self._header(entry)
        left = info.compress_size
        while left:
            chunk = stream.read(min(_CHUNK, left))
            if not chunk:
                raise WorkbookError(f"part {info.filename} of the workbook is cut short.")
            self._put(chunk)
            left -= len(chunk)

    def write(
        self,
        name: str,
        data: bytes,
        *,
        level: int = 1,
        date_time: tuple[int, int, int, int, int, int] | None = None,
    ) -> None:
        """Add ``name`` holding ``data``, raw-deflated at ``level`` (1: fast, small enough)."""
        compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
        packed = compressor.compress(data) + compressor.flush()
        raw = name.encode("utf-8")
        flags = 0 if raw.isascii() else _UTF8
        stamp = date_time or time.localtime()[:6]
        entry = self._entry(
            raw, flags, zipfile.ZIP_DEFLATED, stamp, zlib.crc32(data), len(packed), len(data),
            20, 0o600 << 16, (20, _UNIX),
        )  # fmt: skip
        self._header(entry)
        self._put(packed)

    def close(self) -> None:
        """Write the central directory and the end record; close a file opened here."""
        start = self._offset
        for e in self._entries:
            self._put(
                _CENTRAL.pack(
                    _CENTRAL_SIG,
                    *e.made_by,
                    e.version,
                    e.flags,
                    e.method,
                    e.dos_time,
                    e.dos_date,
                    e.crc,
                    e.compressed,
                    e.size,
                    len(e.name),
                    0,
                    0,
                    0,
                    0,
                    e.external_attr,
                    e.offset,
                )  # fmt: skip
                + e.name
            )
        size = self._offset - start
        count = len(self._entries)
        self._put(_END.pack(_END_SIG, 0, 0, count, count, size, start, 0))
        self._stream.flush()
        if self._owned:
            self._stream.close()

    def _entry(
        self,
        name: bytes,
        flags: int,
        method: int,
        date_time: tuple[int, int, int, int, int, int],
        crc: int,
        compressed: int,
        size: int,
        version: int,
        external_attr: int,
        made_by: tuple[int, int],
    ) -> _Entry:
        if name in self._names:
            raise ValueError(f"duplicate zip member {name.decode('utf-8', 'replace')}")
        if len(self._entries) >= _MAX_MEMBERS or max(compressed, size, self._offset) >= _LIMIT:
            raise WorkbookError("the workbook would be too large to write (zip64).")
        self._names.add(name)
        year, month, day, hour, minute, second = date_time
        dos_date = (max(year, 1980) - 1980) << 9 | month << 5 | day
        dos_time = hour << 11 | minute << 5 | second // 2
        entry = _Entry(
            name, flags, method, dos_time, dos_date, crc, compressed, size, self._offset,
            version, external_attr, made_by,
        )  # fmt: skip
        self._entries.append(entry)
        return entry

    def _header(self, e: _Entry) -> None:
        self._put(
            _LOCAL.pack(
                _LOCAL_SIG,
                e.version,
                e.flags,
                e.method,
                e.dos_time,
                e.dos_date,
                e.crc,
                e.compressed,
                e.size,
                len(e.name),
                0,
            )  # fmt: skip
            + e.name
        )

    def _put(self, data: bytes) -> None:
        self._stream.write(data)
        self._offset += len(data)


def _encoded_name(info: zipfile.ZipInfo) -> bytes:
    """The member's name as its central directory spelled it (UTF-8 with bit 11, else cp437)."""
    original = info.orig_filename
    return original.encode("utf-8" if info.flag_bits & _UTF8 else "cp437")


def rewrite(
    source: Path | BinaryIO,
    out: Path | BinaryIO,
    changed: Mapping[str, bytes | None],
    added: Iterable[tuple[str, bytes]] = (),
    *,
    level: int = 1,
) -> None:
    """Copy ``source`` to ``out``: members in ``changed`` get new bytes (None: dropped), every
    other member is copied raw, in the source's order; ``added`` members come last."""
    with zipfile.ZipFile(source) as package, PackageWriter(out) as writer:
        for info in package.infolist():
            if info.filename not in changed:
                writer.copy(package, info)
                continue
            data = changed[info.filename]
            if data is not None:
                writer.write(info.filename, data, level=level, date_time=info.date_time)
        for name, data in added:
            writer.write(name, data, level=level)
