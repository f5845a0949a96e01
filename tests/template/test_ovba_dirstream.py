"""The ``dir`` stream: records in Excel's order with the interoperable values."""

from __future__ import annotations

import struct

import pytest

from kpixl.template.ovba.compression import decompress
from kpixl.template.ovba.dirstream import (
    DirModule,
    DirReference,
    build_dir_stream,
    dir_records,
)
from kpixl.template.ovba.errors import OvbaError

from .ovba_support import decompress_stream
from .ovba_support import dir_records as parse_records

REFERENCES = [
    DirReference("stdole", r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#x#OLE Automation"),
    DirReference("Office", r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.8#0#y#Office"),
]
MODULES = [
    DirModule("ThisWorkbook", procedural=False),
    DirModule("Module1", procedural=True),
]
INFORMATION_IDS = [
    0x01,
    0x02,
    0x14,
    0x03,
    0x04,
    0x05,
    0x40,
    0x06,
    0x3D,
    0x07,
    0x08,
    0x09,
    0x0C,
    0x3C,
]
REFERENCE_IDS = [0x16, 0x3E, 0x0D]
MODULE_IDS = [0x19, 0x47, 0x1A, 0x32, 0x1C, 0x48, 0x31, 0x1E, 0x2C]


def _records(**kwargs: int) -> list[tuple[int, bytes]]:
    stream = build_dir_stream("VBAProject", REFERENCES, MODULES, **kwargs)
    return parse_records(decompress_stream(bytearray(stream)))


def test_record_order() -> None:
    expected = (
        INFORMATION_IDS
        + REFERENCE_IDS * 2
        + [0x0F, 0x13]
        + MODULE_IDS
        + [0x22, 0x2B]
        + MODULE_IDS
        + [0x21, 0x2B]
        + [0x10]
    )
    assert expected == [record_id for record_id, _ in _records()]


def test_compat_version_follows_syskind_when_given() -> None:
    ids = [record_id for record_id, _ in _records(compat_version=0x6A)]
    assert [0x01, 0x4A, 0x02] == ids[:3]


def test_project_information_values() -> None:
    values = dict(_records()[: len(INFORMATION_IDS)])
    assert struct.pack("<I", 3) == values[0x01]  # SYSKIND win64
    assert struct.pack("<I", 0x409) == values[0x02]
    assert struct.pack("<I", 0x409) == values[0x14]
    assert struct.pack("<H", 1252) == values[0x03]
    assert b"VBAProject" == values[0x04]
    assert 6 == len(values[0x09])
    assert all(b"" == values[i] for i in (0x05, 0x40, 0x06, 0x3D, 0x0C, 0x3C))


def test_version_record_says_size_4_and_carries_6_bytes() -> None:
    raw = dir_records("VBAProject", [], [])
    at = raw.index(b"\x09\x00\x04\x00\x00\x00")
    assert raw[at + 12 : at + 14] == b"\x0c\x00"  # next record (CONSTANTS) after 6 bytes


def test_reference_records() -> None:
    records = _records()[len(INFORMATION_IDS) : len(INFORMATION_IDS) + 3]
    libid = REFERENCES[0].libid.encode("cp1252")
    assert [
        (0x16, b"stdole"),
        (0x3E, "stdole".encode("utf-16-le")),
        (0x0D, struct.pack("<I", len(libid)) + libid + bytes(6)),
    ] == records


def test_module_records() -> None:
    records = _records()
    count_at = len(INFORMATION_IDS) + 6
    assert (0x0F, struct.pack("<H", 2)) == records[count_at]
    assert (0x13, b"\xff\xff") == records[count_at + 1]
    module1 = dict(records[count_at + 2 + 11 : count_at + 2 + 22])
    assert b"Module1" == module1[0x19]
    assert "Module1".encode("utf-16-le") == module1[0x47]
    assert b"Module1" == module1[0x1A]
    assert "Module1".encode("utf-16-le") == module1[0x32]
    assert bytes(4) == module1[0x31]  # MODULEOFFSET 0: source only
    assert b"\xff\xff" == module1[0x2C]
    assert b"" == module1[0x21]
    assert (0x2B, b"") == records[count_at + 2 + 21]  # module terminator, Reserved 0
    assert (0x10, b"") == records[-1]  # end of stream, Reserved 0


def test_dir_stream_uses_compressed_chunks_only() -> None:
    stream = build_dir_stream("VBAProject", REFERENCES, MODULES)
    header = int.from_bytes(stream[1:3], "little")
    assert header & 0x8000
    assert dir_records("VBAProject", REFERENCES, MODULES) == decompress(stream)


@pytest.mark.parametrize("name", ["", "x" * 129])
def test_project_name_length_is_checked(name: str) -> None:
    with pytest.raises(OvbaError, match="1 to 128"):
        dir_records(name, [], [])


def test_text_outside_code_page_1252_is_refused() -> None:
    with pytest.raises(OvbaError, match="outside code page 1252"):
        dir_records("VBAProject", [DirReference("Ω", "x")], [])
