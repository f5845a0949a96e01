"""The ``PROJECT``, ``PROJECTwm`` and ``VBA/_VBA_PROJECT`` streams.

``PROJECT`` (MS-OVBA 2.3.1) is code page 1252 text with CRLF line ends. Its CMG, DPB and GC
values are encrypted with the data encryption of 2.4.3.2; the seed is a parameter with a
fixed default and the ignored bytes are zero, so the output is reproducible.
``PROJECTwm`` (2.3.3) maps module names to their Unicode spellings. ``_VBA_PROJECT``
(2.3.4.1) is the seven-byte interoperable form with no performance cache, so the host
compiles the project from source when it opens it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from .dirstream import encode_mbcs
from .errors import OvbaError

__all__ = [
    "CMG_SEED",
    "DPB_SEED",
    "GC_SEED",
    "HOST_EXTENDER_VBE",
    "VBA_PROJECT_STREAM",
    "ModuleKind",
    "decrypt_data",
    "encrypt_data",
    "project_key",
    "project_stream",
    "projectwm_stream",
]

ModuleKind = Literal["standard", "class", "document"]

#: ``VBA/_VBA_PROJECT``: Reserved1 0x61CC, Version 0xFFFF, Reserved2 0x00, Reserved3 0x0001.
VBA_PROJECT_STREAM = bytes.fromhex("CC61FFFF000100")
HOST_EXTENDER_VBE = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"
CMG_SEED = 0x8D
DPB_SEED = 0x8E
GC_SEED = 0x8F
_VERSION = 2
_GUID = re.compile(r"\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}")
_NOT_PROTECTED = bytes(4)  # ProjectProtectionState (2.3.1.15): no protection bits
_NO_PASSWORD = b"\x00"  # ProjectPassword (2.3.1.16): no password
_VISIBLE = b"\xff"  # ProjectVisibilityState (2.3.1.17): project visible


def project_key(project_id: str) -> int:
    """ProjKey of 2.4.3.2: the sum of the ProjectID's bytes, modulo 256."""
    return sum(encode_mbcs(project_id, "project id")) & 0xFF


def encrypt_data(data: bytes, project_id: str, seed: int) -> bytes:
    """Data encryption, MS-OVBA 2.4.3.2, with zero ignored bytes."""
    if not 0 <= seed <= 0xFF:
        raise OvbaError(f"encryption seed {seed} is not a byte")
    key = project_key(project_id)
    version_enc = seed ^ _VERSION
    key_enc = seed ^ key
    out = bytearray([seed, version_enc, key_enc])
    plain1, enc1, enc2 = key, key_enc, version_enc
    ignored = bytes((seed & 6) // 2)
    for byte in ignored + len(data).to_bytes(4, "little") + bytes(data):
        byte_enc = byte ^ ((enc2 + plain1) & 0xFF)
        out.append(byte_enc)
        enc2, enc1, plain1 = enc1, byte_enc, byte
    return bytes(out)


def decrypt_data(encrypted: bytes, project_id: str | None = None) -> bytes:
    """Data decryption, MS-OVBA 2.4.3.3; checks the version, length and, if given, ProjKey."""
    if len(encrypted) < 3:
        raise OvbaError("encrypted data is shorter than its 3-byte header")
    seed, version_enc, key_enc = encrypted[0], encrypted[1], encrypted[2]
    if seed ^ version_enc != _VERSION:
        raise OvbaError("encrypted data has a version other than 2")
    key = seed ^ key_enc
    if project_id is not None and key != project_key(project_id):
        raise OvbaError("encrypted data was made for another project id")
    plain1, enc1, enc2 = key, key_enc, version_enc
    plain = bytearray()
    for byte_enc in encrypted[3:]:
        byte = byte_enc ^ ((enc2 + plain1) & 0xFF)
        plain.append(byte)
        enc2, enc1, plain1 = enc1, byte_enc, byte
    ignored = (seed & 6) // 2
    length = int.from_bytes(plain[ignored : ignored + 4], "little")
    data = bytes(plain[ignored + 4 :])
    if len(plain) < ignored + 4 or len(data) != length:
        raise OvbaError("encrypted data length does not match its length field")
    return data


def _module_line(name: str, kind: ModuleKind) -> str:
    if kind == "document":
        return f"Document={name}/&H00000000"
    return f"{'Module' if kind == 'standard' else 'Class'}={name}"


def project_stream(
    project_id: str,
    modules: Sequence[tuple[str, ModuleKind]],
    project_name: str = "VBAProject",
    *,
    seeds: tuple[int, int, int] = (CMG_SEED, DPB_SEED, GC_SEED),
) -> bytes:
    """The ``PROJECT`` stream (2.3.1) for ``(module name, kind)`` pairs in project order.

    ``project_id`` is the ProjectCLSID in braces, upper case, e.g. ``{00000000-...}``.
    """
    if not _GUID.fullmatch(project_id):
        raise OvbaError(f"project id {project_id!r} is not an upper-case GUID in braces")
    cmg, dpb, gc = (
        encrypt_data(data, project_id, seed).hex().upper()
        for data, seed in zip((_NOT_PROTECTED, _NO_PASSWORD, _VISIBLE), seeds, strict=True)
    )
    lines = [f'ID="{project_id}"']
    lines += [_module_line(name, kind) for name, kind in modules]
    lines += [
        f'Name="{project_name}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        f'CMG="{cmg}"',
        f'DPB="{dpb}"',
        f'GC="{gc}"',
        "",
        "[Host Extender Info]",
        HOST_EXTENDER_VBE,
        "",
        "[Workspace]",
    ]
    lines += [f"{name}=0, 0, 0, 0, C" for name, _ in modules]
    return encode_mbcs("".join(line + "\r\n" for line in lines), "PROJECT stream text")


def projectwm_stream(names: Sequence[str]) -> bytes:
    """``PROJECTwm`` (2.3.3): each name in MBCS and UTF-16LE, null-terminated; then 0x0000."""
    out = bytearray()
    for name in names:
        out += encode_mbcs(name, "module name") + b"\x00"
        out += name.encode("utf-16-le") + b"\x00\x00"
    return bytes(out + b"\x00\x00")
