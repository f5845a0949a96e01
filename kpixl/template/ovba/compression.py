"""MS-OVBA 2.4.1 compression and decompression of a CompressedContainer.

The compressor follows the algorithm of MS-OVBA 2.4.1.3.6 - 2.4.1.3.19 exactly: greedy
longest-match search over the current chunk, ties resolved in favour of the nearest
candidate, so the spec's worked examples (3.2) come out byte for byte. A hash chain over
three-byte prefixes only speeds the search up; it finds the same match the spec's
exhaustive scan finds.

A chunk whose tokens do not fit in 4096 bytes becomes a raw chunk (2.4.1.3.10: 4096 bytes,
zero padded). VBA source code must never need one: pass ``allow_raw=False`` to get an
:class:`OvbaError` instead.
"""

from __future__ import annotations

from collections import defaultdict

from .errors import OvbaError

__all__ = ["CHUNK_SIZE", "compress", "decompress"]

#: Decompressed bytes per chunk (2.4.1.1.3).
CHUNK_SIZE = 4096
_SIGNATURE = 0x01  # 2.4.1.1.1 CompressedContainer.SignatureByte
_CHUNK_SIGNATURE = 0b011  # 2.4.1.1.5 CompressedChunkSignature
_MAX_CHUNK_DATA = 4096  # CompressedChunkData of a compressed chunk: at most 4098 - 2 bytes
_MIN_MATCH = 3


def _bit_count(difference: int) -> int:
    """CopyToken Help (2.4.1.3.19.1): offset bits for ``current - chunk_start``."""
    return max((difference - 1).bit_length(), 4)


def _pack_token(offset: int, length: int, difference: int) -> int:
    """CopyToken Pack (2.4.1.3.19.3)."""
    bit_count = _bit_count(difference)
    return ((offset - 1) << (16 - bit_count)) | (length - _MIN_MATCH)


def _unpack_token(token: int, difference: int) -> tuple[int, int]:
    """CopyToken Unpack (2.4.1.3.19.2): returns ``(offset, length)``."""
    bit_count = _bit_count(difference)
    length_mask = 0xFFFF >> bit_count
    return (token >> (16 - bit_count)) + 1, (token & length_mask) + _MIN_MATCH


def _common_length(data: bytes, candidate: int, current: int, end: int) -> int:
    """Length of the match of ``data[candidate:]`` against ``data[current:end]``.

    Overlapping matches (candidate + length > current) are allowed, as in 2.4.1.3.19.4:
    comparing the original buffer is equivalent to the decoder's byte-by-byte copy.
    """
    length = 0
    limit = end - current
    step = 64
    while length < limit:
        size = min(step, limit - length)
        if (
            data[candidate + length : candidate + length + size]
            == data[current + length : current + length + size]
        ):
            length += size
            continue
        while data[candidate + length] == data[current + length]:
            length += 1
        return length
    return length


def _compress_chunk(data: bytes, start: int, end: int, allow_raw: bool) -> bytes:
    """Compressing a DecompressedChunk (2.4.1.3.7) with its header (2.4.1.3.9)."""
    out = bytearray()
    chains: defaultdict[bytes, list[int]] = defaultdict(list)
    indexed = start  # positions below this are in ``chains``
    current = start
    while current < end:
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if current >= end:
                break
            while indexed < current:
                chains[data[indexed : indexed + _MIN_MATCH]].append(indexed)
                indexed += 1
            best_length = 0
            best_candidate = 0
            if current + _MIN_MATCH <= end:
                limit = end - current
                for candidate in reversed(chains.get(data[current : current + _MIN_MATCH], ())):
                    length = _common_length(data, candidate, current, end)
                    if length > best_length:
                        best_length, best_candidate = length, candidate
                        if length == limit:
                            break
            if best_length >= _MIN_MATCH:
                difference = current - start
                length = min(best_length, (0xFFFF >> _bit_count(difference)) + _MIN_MATCH)
                token = _pack_token(current - best_candidate, length, difference)
                out += token.to_bytes(2, "little")
                flags |= 1 << bit
                current += length
            else:
                out.append(data[current])
                current += 1
        out[flag_at] = flags
    if len(out) <= _MAX_CHUNK_DATA:
        header = (len(out) - 1) | (_CHUNK_SIGNATURE << 12) | 0x8000
        return header.to_bytes(2, "little") + bytes(out)
    if not allow_raw:
        raise OvbaError(
            f"bytes {start}..{end} do not compress into 4096 bytes; "
            "a raw chunk would be needed (2.4.1.3.10)"
        )
    raw = data[start:end].ljust(CHUNK_SIZE, b"\x00")
    header = 0x0FFF | (_CHUNK_SIGNATURE << 12)
    return header.to_bytes(2, "little") + raw


def compress(data: bytes, *, allow_raw: bool = True) -> bytes:
    """Compress ``data`` into a CompressedContainer (MS-OVBA 2.4.1.3.6).

    Empty input gives the bare signature byte. With ``allow_raw=False`` an incompressible
    chunk raises :class:`OvbaError` rather than producing a raw chunk.
    """
    data = bytes(data)
    out = bytearray([_SIGNATURE])
    for start in range(0, len(data), CHUNK_SIZE):
        out += _compress_chunk(data, start, min(start + CHUNK_SIZE, len(data)), allow_raw)
    return bytes(out)


def decompress(data: bytes) -> bytes:
    """Decompress a CompressedContainer (MS-OVBA 2.4.1.3.1).

    Raises :class:`OvbaError` on a bad signature, a bad chunk header or a copy token that
    points before the start of its chunk.
    """
    if not data or data[0] != _SIGNATURE:
        raise OvbaError("compressed container does not start with signature byte 0x01")
    out = bytearray()
    pos = 1
    while pos < len(data):
        if pos + 2 > len(data):
            raise OvbaError(f"truncated chunk header at byte {pos}")
        header = int.from_bytes(data[pos : pos + 2], "little")
        if (header >> 12) & 0b111 != _CHUNK_SIGNATURE:
            raise OvbaError(f"bad CompressedChunkSignature at byte {pos}")
        chunk_end = min(pos + (header & 0x0FFF) + 3, len(data))
        pos += 2
        chunk_start = len(out)
        if not header & 0x8000:  # 2.4.1.3.3 raw chunk: 4096 bytes copied as they are
            out += data[pos : pos + CHUNK_SIZE]
            pos += CHUNK_SIZE
            continue
        while pos < chunk_end:  # 2.4.1.3.4 TokenSequence
            flags = data[pos]
            pos += 1
            for bit in range(8):
                if pos >= chunk_end:
                    break
                if not flags >> bit & 1:
                    out.append(data[pos])
                    pos += 1
                    continue
                if pos + 2 > chunk_end:
                    raise OvbaError(f"truncated copy token at byte {pos}")
                difference = len(out) - chunk_start
                offset, length = _unpack_token(
                    int.from_bytes(data[pos : pos + 2], "little"), difference
                )
                if difference == 0 or offset > difference:
                    raise OvbaError(f"copy token at byte {pos} points before its chunk")
                source = len(out) - offset
                for i in range(length):  # byte by byte: source and target may overlap
                    out.append(out[source + i])
                pos += 2
    return bytes(out)
