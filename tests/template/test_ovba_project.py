"""``PROJECT``, ``PROJECTwm`` and ``_VBA_PROJECT`` streams, and 2.4.3 data encryption."""

from __future__ import annotations

import re

import pytest

from kpixl.template.ovba.errors import OvbaError
from kpixl.template.ovba.project import (
    VBA_PROJECT_STREAM,
    ModuleKind,
    decrypt_data,
    encrypt_data,
    project_key,
    project_stream,
    projectwm_stream,
)

from .ovba_support import open_ole, xlwings_vba_project

PROJECT_ID = "{5CF9CDAB-B77B-4FE4-BD7E-D29900070E1B}"
MODULES: list[tuple[str, ModuleKind]] = [
    ("ThisWorkbook", "document"),
    ("Sheet1", "document"),
    ("KpiMacros", "standard"),
    ("Dictionary", "class"),
]


def _text() -> str:
    return project_stream(PROJECT_ID, MODULES).decode("cp1252")


def test_project_stream_lines() -> None:
    lines = _text().split("\r\n")
    assert [
        f'ID="{PROJECT_ID}"',
        "Document=ThisWorkbook/&H00000000",
        "Document=Sheet1/&H00000000",
        "Module=KpiMacros",
        "Class=Dictionary",
        'Name="VBAProject"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
    ] == lines[:8]
    assert [line.split("=")[0] for line in lines[8:11]] == ["CMG", "DPB", "GC"]
    assert [
        "",
        "[Host Extender Info]",
        "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
        "",
        "[Workspace]",
        "ThisWorkbook=0, 0, 0, 0, C",
        "Sheet1=0, 0, 0, 0, C",
        "KpiMacros=0, 0, 0, 0, C",
        "Dictionary=0, 0, 0, 0, C",
        "",
    ] == lines[11:]


def test_project_stream_has_crlf_line_ends_only() -> None:
    raw = project_stream(PROJECT_ID, MODULES)
    assert raw.count(b"\n") == raw.count(b"\r\n") == raw.count(b"\r")
    assert raw.endswith(b"C\r\n")


@pytest.mark.parametrize(("key", "expected"), [("CMG", "00000000"), ("DPB", "00"), ("GC", "ff")])
def test_protection_values_decrypt_to_unprotected_visible(key: str, expected: str) -> None:
    match = re.search(rf'^{key}="([0-9A-F]+)"\r$', _text(), re.MULTILINE)
    assert match is not None
    assert expected == decrypt_data(bytes.fromhex(match.group(1)), PROJECT_ID).hex()


def test_project_stream_is_reproducible() -> None:
    assert project_stream(PROJECT_ID, MODULES) == project_stream(PROJECT_ID, MODULES)


def test_project_id_must_be_an_upper_case_braced_guid() -> None:
    with pytest.raises(OvbaError, match="GUID"):
        project_stream(PROJECT_ID.lower(), MODULES)


@pytest.mark.parametrize("seed", [0x00, 0x02, 0x04, 0x06, 0x07, 0x8D, 0xFF])  # 0-3 ignored bytes
def test_encryption_round_trips_for_every_seed(seed: int) -> None:
    data = bytes(range(7))
    encrypted = encrypt_data(data, PROJECT_ID, seed)
    assert 3 + (seed & 6) // 2 + 4 + len(data) == len(encrypted)
    assert data == decrypt_data(encrypted, PROJECT_ID)


def test_encryption_header_by_hand() -> None:
    # 2.4.3.2: Seed, Seed^Version(2), Seed^ProjKey; seed 0x00 has no ignored bytes.
    key = project_key(PROJECT_ID)
    assert sum(PROJECT_ID.encode()) % 256 == key
    encrypted = encrypt_data(b"\xff", PROJECT_ID, 0x00)
    assert bytes([0x00, 0x02, key]) == encrypted[:3]
    # First byte of the length: 1 ^ (EncryptedByte2 + UnencryptedByte1) = 1 ^ (2 + key).
    assert 1 ^ ((2 + key) & 0xFF) == encrypted[3]


def test_decrypt_checks_the_project_key() -> None:
    encrypted = encrypt_data(b"\x00", PROJECT_ID, 0x8D)
    with pytest.raises(OvbaError, match="another project"):
        decrypt_data(encrypted, "{00000000-0000-0000-0000-000000000000}")


def test_decrypts_what_excel_wrote_in_xlwings_quickstart() -> None:
    ole = open_ole(xlwings_vba_project())
    text = ole.openstream("PROJECT").read().decode("cp1252")
    project_id = re.search(r'^ID="(\{[^}]+\})"', text, re.MULTILINE)
    assert project_id is not None
    values = dict(re.findall(r'^(CMG|DPB|GC)="([0-9A-F]+)"', text, re.MULTILINE))
    decrypted = {k: decrypt_data(bytes.fromhex(v), project_id.group(1)) for k, v in values.items()}
    assert {"CMG": bytes(4), "DPB": b"\x00", "GC": b"\xff"} == decrypted


def test_projectwm_stream() -> None:
    expected = (
        b"ThisWorkbook\x00" + "ThisWorkbook".encode("utf-16-le") + b"\x00\x00"
        b"Module1\x00" + "Module1".encode("utf-16-le") + b"\x00\x00"
        b"\x00\x00"
    )
    assert expected == projectwm_stream(["ThisWorkbook", "Module1"])


def test_vba_project_stream_is_the_interoperable_seven_bytes() -> None:
    assert bytes([0xCC, 0x61, 0xFF, 0xFF, 0x00, 0x01, 0x00]) == VBA_PROJECT_STREAM
