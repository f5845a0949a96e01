"""MS-CFB version 3 writer: olefile reads back what was written, byte for byte."""

from __future__ import annotations

import random
import struct

import olefile
import pytest

from kpixl.template.ovba.cfb import sort_key, write_compound_file
from kpixl.template.ovba.errors import OvbaError

from .ovba_support import open_ole, read_streams

_NOSTREAM = 0xFFFFFFFF


def _sized_streams() -> dict[str, bytes]:
    rng = random.Random(42)
    sizes = (0, 1, 63, 64, 65, 4095, 4096, 4097, 100_000)
    return {f"VBA/s{size}": rng.randbytes(size) for size in sizes} | {"PROJECT": b"ID=x\r\n"}


def _many_streams() -> dict[str, bytes]:
    rng = random.Random(43)
    return {f"Store/m{i:02d}": rng.randbytes(rng.randrange(0, 700)) for i in range(50)}


@pytest.mark.parametrize(
    "streams",
    [
        pytest.param({}, id="empty"),
        pytest.param({"only": b""}, id="one-empty-stream"),
        pytest.param(_sized_streams(), id="boundary-sizes"),
        pytest.param(_many_streams(), id="fifty-streams"),
        pytest.param({"a/b/c/deep": b"deep", "a/top": b"t" * 5000}, id="nested-storages"),
    ],
)
def test_olefile_reads_back_every_stream(streams: dict[str, bytes]) -> None:
    assert streams == read_streams(write_compound_file(streams))


def test_storages_are_listed_as_storages() -> None:
    ole = open_ole(write_compound_file({"VBA/dir": b"x", "PROJECT": b"y"}))
    assert [["PROJECT"], ["VBA"], ["VBA", "dir"]] == sorted(
        ole.listdir(streams=True, storages=True)
    )
    assert olefile.STGTY_STORAGE == ole.get_type("VBA")
    assert olefile.STGTY_STREAM == ole.get_type("VBA/dir")


def test_same_input_gives_identical_bytes() -> None:
    assert write_compound_file(_sized_streams()) == write_compound_file(_sized_streams())


def test_header_is_version_3_with_512_byte_sectors() -> None:
    data = write_compound_file(_sized_streams())
    signature, minor, major, order, shift, mini_shift = struct.unpack_from("<8s16xHHHHH", data)
    dir_sectors, cutoff = (
        struct.unpack_from("<I", data, 40)[0],
        struct.unpack_from("<I", data, 56)[0],
    )
    assert (bytes.fromhex("D0CF11E0A1B11AE1"), 0x3E, 3, 0xFFFE, 9, 6) == (
        signature,
        minor,
        major,
        order,
        shift,
        mini_shift,
    )
    assert (0, 4096) == (dir_sectors, cutoff)
    assert 0 == len(data) % 512


def test_small_streams_live_in_the_mini_stream() -> None:
    data = write_compound_file({"small": b"s" * 4095, "large": b"l" * 4096})
    ole = open_ole(data)
    entries = {e.name: e for e in ole.direntries if e is not None}
    assert 4095 == entries["small"].size
    assert entries["small"].isectStart < 64  # mini sector index: the 64 mini sectors used
    assert 64 * 64 == entries["Root Entry"].size
    assert 4096 == entries["large"].size


def test_directory_trees_are_all_black_and_in_spec_order() -> None:
    streams = _many_streams() | _sized_streams() | {"VBA/dir": b"d", "VBA/_VBA_PROJECT": b"p"}
    ole = open_ole(write_compound_file(streams))
    entries = ole.direntries

    def in_order(sid: int) -> list[str]:
        if sid == _NOSTREAM:
            return []
        entry = entries[sid]
        return [*in_order(entry.sid_left), entry.name, *in_order(entry.sid_right)]

    for entry in entries:
        if entry is None:
            continue
        assert 1 == entry.color  # black
        if entry.entry_type in (olefile.STGTY_STORAGE, olefile.STGTY_ROOT):
            names = in_order(entry.sid_child)
            assert sorted(names, key=sort_key) == names
            assert len(set(names)) == len(names)


@pytest.mark.parametrize(
    ("smaller", "larger"),
    [
        ("b", "AA"),  # shorter first, whatever the letters
        ("abc", "ABD"),  # then upper-cased code units
        ("AAB", "a_b"),  # '_' (0x5F) sorts after 'A' (0x41)
        ("ThisWorkbook", "_VBA_PROJECT"),
        ("dir", "Sheet1"),
    ],
)
def test_sort_key_follows_ms_cfb_2_6_4(smaller: str, larger: str) -> None:
    assert sort_key(smaller) < sort_key(larger)


def test_names_compare_case_insensitively() -> None:
    assert sort_key("module1") == sort_key("MODULE1")


def test_stream_past_109_fat_sectors_uses_a_difat_sector() -> None:
    big = random.Random(5).randbytes(8_000_000)
    data = write_compound_file({"big": big, "small": b"abc"})
    ole = open_ole(data)
    assert 1 == ole.num_difat_sectors
    assert big == ole.openstream("big").read()
    assert b"abc" == ole.openstream("small").read()


@pytest.mark.parametrize(
    ("streams", "message"),
    [
        ({"VBA/dir": b"", "vba/DIR": b""}, "twice"),
        ({"x" * 32: b""}, "1 to 31"),
        ({"a:b": b""}, "forbidden"),
        ({"": b""}, "1 to 31"),
        ({"VBA": b"", "VBA/dir": b""}, "is a stream"),
    ],
)
def test_bad_names_are_refused(streams: dict[str, bytes], message: str) -> None:
    with pytest.raises(OvbaError, match=message):
        write_compound_file(streams)
