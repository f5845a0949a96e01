"""MS-OVBA 2.4.1 compression: the spec's worked examples and round trips."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpixl.template.ovba.compression import compress, decompress
from kpixl.template.ovba.errors import OvbaError

from .ovba_support import decompress_stream, xlwings_dir

# MS-OVBA 3.2.1 and 3.2.2 give input and compressed bytes. The 3.2.3 ("maximum
# compression") bytes are as quoted by third-party test suites; 73 'a's is what they
# decode to by the algorithm of 2.4.1.3.1 (one literal plus a 72-byte copy token).
SPEC_EXAMPLES = [
    pytest.param(
        b"abcdefghijklmnopqrstuv.",
        "01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E",
        id="3.2.1-no-compression",
    ),
    pytest.param(
        b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa",
        "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 20"
        " 6D 6E 6F 70 06 71 02 70 04 00 72 73 74 75 76 10 77 78 79 7A 00 2C",
        id="3.2.2-normal-compression",
    ),
    pytest.param(b"a" * 73, "01 03 B0 02 61 45 00", id="3.2.3-maximum-compression"),
]


def chunks(container: bytes) -> list[tuple[int, bool]]:
    """``(chunk size including header, compressed flag)`` for each chunk of a container."""
    found = []
    pos = 1
    while pos < len(container):
        header = int.from_bytes(container[pos : pos + 2], "little")
        size = (header & 0x0FFF) + 3
        found.append((size, bool(header & 0x8000)))
        pos += size
    assert pos == len(container)
    return found


@pytest.mark.parametrize(("plain", "expected_hex"), SPEC_EXAMPLES)
def test_compress_matches_spec_example(plain: bytes, expected_hex: str) -> None:
    assert bytes.fromhex(expected_hex) == compress(plain)


@pytest.mark.parametrize(("plain", "expected_hex"), SPEC_EXAMPLES)
def test_decompress_spec_example(plain: bytes, expected_hex: str) -> None:
    assert plain == decompress(bytes.fromhex(expected_hex))


@pytest.mark.parametrize(("plain", "expected_hex"), SPEC_EXAMPLES)
def test_olevba_agrees_on_spec_example(plain: bytes, expected_hex: str) -> None:
    assert plain == decompress_stream(bytearray(bytes.fromhex(expected_hex)))


def _text(size: int) -> bytes:
    line = b'    Debug.Print "KPI " & CStr(i) & " rated " & rating(i)\r\n'
    rng = random.Random(size)
    out = bytearray()
    while len(out) < size:
        out += line.replace(b"i)", f"{rng.randrange(1000)})".encode())
    return bytes(out[:size])


ROUND_TRIPS = [
    pytest.param(b"", id="empty"),
    pytest.param(b"x", id="one-byte"),
    pytest.param(b"a" * 10_000, id="one-byte-run"),
    pytest.param(b"ab" * 20_000, id="two-byte-run"),
    pytest.param(bytes(range(256)) * 64, id="all-bytes-repeated"),
    *(pytest.param(_text(n), id=f"text-{n}") for n in (4095, 4096, 4097, 8192, 50_000)),
    *(
        pytest.param(random.Random(n).randbytes(n), id=f"random-{n}")
        for n in (4096, 4097, 8192, 12_289)
    ),
]


@pytest.mark.parametrize("plain", ROUND_TRIPS)
def test_round_trip_through_olevba(plain: bytes) -> None:
    assert plain == decompress_stream(bytearray(compress(plain)))


@pytest.mark.parametrize("plain", ROUND_TRIPS)
def test_round_trip_through_own_decompressor(plain: bytes) -> None:
    assert plain == decompress(compress(plain))


def test_empty_input_is_the_signature_byte_alone() -> None:
    assert b"\x01" == compress(b"")


@pytest.mark.parametrize(("size", "expected_chunks"), [(1, 1), (4096, 1), (4097, 2), (8193, 3)])
def test_one_chunk_per_4096_bytes(size: int, expected_chunks: int) -> None:
    assert expected_chunks == len(chunks(compress(_text(size))))


def test_incompressible_chunk_becomes_a_raw_chunk() -> None:
    plain = random.Random(7).randbytes(4096)
    container = compress(plain)
    assert [(4098, False)] == chunks(container)
    assert b"\x01\xff\x3f" + plain == container


def test_incompressible_short_final_chunk_is_zero_padded_as_the_spec_says() -> None:
    plain = random.Random(8).randbytes(4095)
    padded = plain + b"\x00"
    assert padded == decompress(compress(plain))
    assert padded == decompress_stream(bytearray(compress(plain)))


def test_allow_raw_false_refuses_an_incompressible_chunk() -> None:
    with pytest.raises(OvbaError, match="raw chunk"):
        compress(random.Random(9).randbytes(5000), allow_raw=False)


def test_xlwings_module_round_trips_with_compressed_chunks_only() -> None:
    source = (xlwings_dir() / "xlwings.bas").read_bytes()
    container = compress(source, allow_raw=False)
    assert source == decompress_stream(bytearray(container))
    assert source == decompress(container)
    assert all(flag for _, flag in chunks(container))
    assert len(container) < len(source) // 2


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=3000))
def test_any_short_input_round_trips(plain: bytes) -> None:
    # Up to 3000 bytes even all literals fit a compressed chunk: no padding can occur.
    container = compress(plain)
    assert plain == decompress(container)
    assert plain == decompress_stream(bytearray(container))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from([b"If ", b"Then", b"\r\n", b"x", b"  ", b"End"]), max_size=3000))
def test_any_long_token_text_round_trips(parts: list[bytes]) -> None:
    plain = b"".join(parts)
    assert plain == decompress_stream(bytearray(compress(plain, allow_raw=False)))


@pytest.mark.parametrize(
    ("container", "message"),
    [
        (b"", "signature"),
        (b"\x02\x00\xb0\x00", "signature"),
        (b"\x01\x19\xa0\x00", "CompressedChunkSignature"),
        (b"\x01\x02\xb0\x01\x00\x00", "before its chunk"),
        (b"\x01\x02\xb0\x02\x61\x00", "truncated copy token"),
    ],
)
def test_decompress_rejects_malformed_containers(container: bytes, message: str) -> None:
    with pytest.raises(OvbaError, match=message):
        decompress(container)
