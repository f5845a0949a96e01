"""A deterministic MS-CFB version 3 compound file writer.

Layout (MS-CFB 2.2): header sector, FAT sectors, DIFAT sectors (only past 109 FAT sectors),
directory sectors, mini FAT sectors, the mini stream, then the regular streams, each in
one contiguous run of 512-byte sectors. Streams shorter than 4096 bytes live in the mini
stream (2.5) in 64-byte mini sectors. Each storage's children form a binary search tree
ordered as 2.6.4 requires (UTF-16 length first, then simple upper case, code unit by code
unit), built balanced and coloured all black, which 2.6.4 allows. CLSIDs, state bits and
timestamps are zero, so the same input always gives the same bytes.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

from .errors import OvbaError

__all__ = [
    "MINI_SECTOR_SIZE",
    "MINI_STREAM_CUTOFF",
    "SECTOR_SIZE",
    "sort_key",
    "write_compound_file",
]

SECTOR_SIZE = 512
MINI_SECTOR_SIZE = 64
MINI_STREAM_CUTOFF = 4096
_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_DIFSECT = 0xFFFFFFFC
_FATSECT = 0xFFFFFFFD
_ENDOFCHAIN = 0xFFFFFFFE
_FREESECT = 0xFFFFFFFF
_NOSTREAM = 0xFFFFFFFF
_ENTRIES_PER_SECTOR = SECTOR_SIZE // 4  # FAT, mini FAT and DIFAT entries per sector
_HEADER_DIFAT = 109
_DIR_ENTRY_SIZE = 128
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_BLACK = 1
_FORBIDDEN = set("/\\:!")


@dataclass
class _Node:
    name: str
    data: bytes | None = None  # None for a storage
    children: dict[str, _Node] = field(default_factory=dict)
    sid: int = 0
    left: int = _NOSTREAM
    right: int = _NOSTREAM
    child: int = _NOSTREAM
    start: int = _ENDOFCHAIN
    size: int = 0


def _simple_upper(char: str) -> str:
    upper = char.upper()
    return upper if len(upper) == 1 else char


def sort_key(name: str) -> tuple[int, tuple[int, ...]]:
    """Directory order of MS-CFB 2.6.4: UTF-16 length, then upper-cased code units."""
    units = "".join(_simple_upper(c) for c in name).encode("utf-16-le")
    codes = struct.unpack(f"<{len(units) // 2}H", units)
    return len(codes), codes


def _check_name(name: str) -> None:
    if not name or len(name.encode("utf-16-le")) // 2 > 31:
        raise OvbaError(f"compound file entry name {name!r} must have 1 to 31 characters")
    if _FORBIDDEN & set(name) or any(ord(c) < 0x20 for c in name):
        raise OvbaError(f"compound file entry name {name!r} contains a forbidden character")


def _build_tree(streams: Mapping[str, bytes]) -> _Node:
    root = _Node("Root Entry")
    for path, data in streams.items():
        parts = path.split("/")
        node = root
        for part in parts[:-1]:
            _check_name(part)
            node = node.children.setdefault(part.upper(), _Node(part, start=0))
            if node.data is not None:
                raise OvbaError(f"{path!r}: {part!r} is a stream, not a storage")
        _check_name(parts[-1])
        if parts[-1].upper() in node.children:
            raise OvbaError(f"{path!r} is given twice (names compare case-insensitively)")
        node.children[parts[-1].upper()] = _Node(parts[-1], bytes(data))
    return root


def _number(root: _Node) -> list[_Node]:
    """Give every node a directory index (pre-order) and link the sibling trees."""
    order: list[_Node] = []

    def visit(node: _Node) -> None:
        node.sid = len(order)
        order.append(node)
        kids = sorted(node.children.values(), key=lambda n: sort_key(n.name))
        for kid in kids:
            visit(kid)
        node.child = _link(kids)

    def _link(kids: list[_Node]) -> int:
        if not kids:
            return _NOSTREAM
        middle = len(kids) // 2
        kids[middle].left = _link(kids[:middle])
        kids[middle].right = _link(kids[middle + 1 :])
        return kids[middle].sid

    visit(root)
    return order


def _sectors(size: int, unit: int) -> int:
    return -(-size // unit)


def _chain(fat: list[int], start: int, count: int) -> None:
    for i in range(count):
        fat[start + i] = start + i + 1 if i + 1 < count else _ENDOFCHAIN


def _pack_entries(entries: list[int], padding: int) -> bytes:
    count = _sectors(len(entries), _ENTRIES_PER_SECTOR) * _ENTRIES_PER_SECTOR
    values = entries + [padding] * (count - len(entries))
    return struct.pack(f"<{len(values)}I", *values)


def _dir_entry(node: _Node, kind: int) -> bytes:
    name = node.name.encode("utf-16-le") + b"\x00\x00"
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name,
        len(name),
        kind,
        _BLACK,
        node.left,
        node.right,
        node.child,
        bytes(16),  # CLSID
        0,  # state bits
        0,  # creation time
        0,  # modified time
        node.start,
        node.size,
    )


_EMPTY_ENTRY = struct.pack(
    "<64sHBBIII16sIQQIQ", b"", 0, 0, 0, _NOSTREAM, _NOSTREAM, _NOSTREAM, bytes(16), 0, 0, 0, 0, 0
)


def write_compound_file(streams: Mapping[str, bytes]) -> bytes:
    """Write a version 3 compound file holding ``streams``.

    Keys are paths such as ``"VBA/dir"``: the parts before the last are storages, created
    as needed; the last part names a stream. Raises :class:`OvbaError` on a bad or
    duplicate name.
    """
    root = _build_tree(streams)
    nodes = _number(root)
    stream_nodes = [n for n in nodes if n.data is not None]
    mini = [n for n in stream_nodes if 0 < len(n.data or b"") < MINI_STREAM_CUTOFF]
    big = [n for n in stream_nodes if len(n.data or b"") >= MINI_STREAM_CUTOFF]

    # Mini stream and mini FAT (MS-CFB 2.5, 2.3).
    mini_fat: list[int] = []
    mini_stream = bytearray()
    for node in mini:
        data = node.data or b""
        count = _sectors(len(data), MINI_SECTOR_SIZE)
        node.start, node.size = len(mini_fat), len(data)
        mini_fat += [0] * count
        _chain(mini_fat, node.start, count)
        mini_stream += data.ljust(count * MINI_SECTOR_SIZE, b"\x00")
    for node in stream_nodes:
        if not node.data:
            node.start, node.size = _ENDOFCHAIN, 0

    dir_count = _sectors(len(nodes) * _DIR_ENTRY_SIZE, SECTOR_SIZE)
    mini_fat_count = _sectors(len(mini_fat), _ENTRIES_PER_SECTOR)
    mini_stream_count = _sectors(len(mini_stream), SECTOR_SIZE)
    big_counts = [_sectors(len(n.data or b""), SECTOR_SIZE) for n in big]
    payload = dir_count + mini_fat_count + mini_stream_count + sum(big_counts)

    # FAT and DIFAT sectors must cover themselves (2.2, 2.5): grow until stable.
    fat_count = difat_count = 0
    while True:
        total = fat_count + difat_count + payload
        need_fat = _sectors(total, _ENTRIES_PER_SECTOR)
        need_difat = _sectors(max(need_fat - _HEADER_DIFAT, 0), _ENTRIES_PER_SECTOR - 1)
        if (need_fat, need_difat) == (fat_count, difat_count):
            break
        fat_count, difat_count = need_fat, need_difat

    fat = [_FREESECT] * total
    fat[:fat_count] = [_FATSECT] * fat_count
    fat[fat_count : fat_count + difat_count] = [_DIFSECT] * difat_count
    cursor = fat_count + difat_count
    dir_start = cursor
    _chain(fat, cursor, dir_count)
    cursor += dir_count
    mini_fat_start = cursor if mini_fat_count else _ENDOFCHAIN
    _chain(fat, cursor, mini_fat_count)
    cursor += mini_fat_count
    root.start = cursor if mini_stream_count else _ENDOFCHAIN
    root.size = len(mini_stream)
    _chain(fat, cursor, mini_stream_count)
    cursor += mini_stream_count
    for node, count in zip(big, big_counts, strict=True):
        node.start, node.size = cursor, len(node.data or b"")
        _chain(fat, cursor, count)
        cursor += count

    # DIFAT: the first 109 FAT sector numbers sit in the header, the rest in DIFAT sectors.
    fat_sectors = list(range(fat_count))
    header_difat = fat_sectors[:_HEADER_DIFAT] + [_FREESECT] * (_HEADER_DIFAT - fat_count)
    difat = bytearray()
    rest = fat_sectors[_HEADER_DIFAT:]
    per = _ENTRIES_PER_SECTOR - 1
    for i in range(difat_count):
        values = rest[i * per : (i + 1) * per]
        values += [_FREESECT] * (per - len(values))
        values.append(fat_count + i + 1 if i + 1 < difat_count else _ENDOFCHAIN)
        difat += struct.pack(f"<{_ENTRIES_PER_SECTOR}I", *values)

    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        _SIGNATURE,
        bytes(16),  # header CLSID
        0x003E,  # minor version
        0x0003,  # major version 3
        0xFFFE,  # byte order: little-endian
        9,  # sector shift: 512 bytes
        6,  # mini sector shift: 64 bytes
        bytes(6),
        0,  # number of directory sectors: 0 in version 3
        fat_count,
        dir_start,
        0,  # transaction signature
        MINI_STREAM_CUTOFF,
        mini_fat_start,
        mini_fat_count,
        fat_count if difat_count else _ENDOFCHAIN,
        difat_count,
    ) + struct.pack(f"<{_HEADER_DIFAT}I", *header_difat)

    directory = b"".join(
        _dir_entry(n, _ROOT if n is root else _STREAM if n.data is not None else _STORAGE)
        for n in nodes
    )
    directory += _EMPTY_ENTRY * (dir_count * (SECTOR_SIZE // _DIR_ENTRY_SIZE) - len(nodes))

    out = bytearray(header)
    out += _pack_entries(fat, _FREESECT)
    out += difat
    out += directory
    out += _pack_entries(mini_fat, _FREESECT) if mini_fat else b""
    out += bytes(mini_stream).ljust(mini_stream_count * SECTOR_SIZE, b"\x00")
    for node, count in zip(big, big_counts, strict=True):
        out += (node.data or b"").ljust(count * SECTOR_SIZE, b"\x00")
    return bytes(out)
