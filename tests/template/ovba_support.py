"""Test-side readers for the VBA project writer: independent of the code under test."""

from __future__ import annotations

import importlib.util
import struct
import warnings
import zipfile
from functools import cache
from pathlib import Path

import olefile
from pyparsing import PyparsingDeprecationWarning

# oletools 0.60.2 calls pyparsing's deprecated ``enablePackrat`` when imported; under
# ``filterwarnings = error`` that import would fail. Silence exactly that warning, once.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", PyparsingDeprecationWarning)
    from oletools.olevba import VBA_Parser, decompress_stream

__all__ = [
    "VBA_Parser",
    "decompress_stream",
    "dir_records",
    "open_ole",
    "read_streams",
    "xlwings_dir",
    "xlwings_vba_project",
]


def xlwings_dir() -> Path:
    """The installed xlwings package folder, found without importing xlwings."""
    spec = importlib.util.find_spec("xlwings")
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent


@cache
def xlwings_vba_project() -> bytes:
    """``xl/vbaProject.bin`` of xlwings' shipped ``quickstart_standalone.xlsm``."""
    with zipfile.ZipFile(xlwings_dir() / "quickstart_standalone.xlsm") as package:
        return package.read("xl/vbaProject.bin")


def dir_records(data: bytes) -> list[tuple[int, bytes]]:
    """Split a decompressed ``dir`` stream into ``(id, data)`` records (MS-OVBA 2.3.4.2)."""
    records = []
    pos = 0
    while pos < len(data):
        record_id, size = struct.unpack_from("<HI", data, pos)
        if record_id == 0x0009:  # PROJECTVERSION: Size says 4, 6 bytes follow
            assert size == 4
            size = 6
        records.append((record_id, data[pos + 6 : pos + 6 + size]))
        pos += 6 + size
    assert pos == len(data)
    return records


def open_ole(data: bytes) -> olefile.OleFileIO:
    """Open a compound file, failing on any defect olefile rates "unsure" or worse."""
    return olefile.OleFileIO(data, raise_defects=olefile.DEFECT_UNSURE)


def read_streams(data: bytes) -> dict[str, bytes]:
    ole = open_ole(data)
    try:
        return {"/".join(p): ole.openstream("/".join(p)).read() for p in ole.listdir()}
    finally:
        ole.close()
