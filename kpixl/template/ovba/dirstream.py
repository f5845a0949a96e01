"""The ``VBA/dir`` stream: PROJECTINFORMATION, PROJECTREFERENCES, PROJECTMODULES.

Records of MS-OVBA 2.3.4.2, in the order Excel writes them, then compressed (2.4.1). Every
record is ``Id (u16), Size (u32), data``; PROJECTVERSION is the one whose Size field says 4
while 6 bytes follow (2.3.4.2.1.11). Module streams hold only compressed source, so every
MODULEOFFSET is 0, and PROJECTCOOKIE / MODULECOOKIE are 0xFFFF (2.3.4.2.3, 2.3.4.2.3.2.8).
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

from .compression import compress
from .errors import OvbaError

__all__ = [
    "CODE_PAGE",
    "LCID",
    "MODULE_TYPE_DOCUMENT",
    "MODULE_TYPE_PROCEDURAL",
    "SYSKIND_WIN64",
    "DirModule",
    "DirReference",
    "build_dir_stream",
    "dir_records",
    "encode_mbcs",
]

SYSKIND_WIN64 = 0x00000003
LCID = 0x0409
CODE_PAGE = 1252
MODULE_TYPE_PROCEDURAL = 0x0021
MODULE_TYPE_DOCUMENT = 0x0022  # document, class and designer modules (2.3.4.2.3.2.8)
_COOKIE = 0xFFFF


@dataclass(frozen=True)
class DirReference:
    """A REFERENCENAME + REFERENCEREGISTERED pair (2.3.4.2.2.2, 2.3.4.2.2.5)."""

    name: str
    libid: str


@dataclass(frozen=True)
class DirModule:
    """What a MODULE record (2.3.4.2.3.2) says about one module stream."""

    name: str
    procedural: bool
    docstring: str = ""


def encode_mbcs(text: str, what: str) -> bytes:
    """Encode in the project code page (1252), naming ``what`` when that is impossible."""
    try:
        return text.encode("cp1252")
    except UnicodeEncodeError as exc:
        bad = text[exc.start : exc.end]
        line = text.count("\n", 0, exc.start) + 1
        raise OvbaError(
            f"The {what} has {bad!r} on line {line}, a character outside code page 1252, "
            "which a VBA project cannot hold: replace it (with ' or - for example)."
        ) from exc


def _record(record_id: int, data: bytes) -> bytes:
    return struct.pack("<HI", record_id, len(data)) + data


def _u16(value: int) -> bytes:
    return struct.pack("<H", value)


def _u32(value: int) -> bytes:
    return struct.pack("<I", value)


def _text_pair(record_id: int, reserved: int, text: str, what: str) -> bytes:
    """A record whose MBCS text is followed by a Reserved id and the UTF-16LE text."""
    return _record(record_id, encode_mbcs(text, what)) + _record(reserved, text.encode("utf-16-le"))


def _information(project_name: str, compat_version: int | None) -> bytes:
    """PROJECTINFORMATION (2.3.4.2.1)."""
    out = _record(0x0001, _u32(SYSKIND_WIN64))
    if compat_version is not None:
        out += _record(0x004A, _u32(compat_version))
    out += _record(0x0002, _u32(LCID))
    out += _record(0x0014, _u32(LCID))  # PROJECTLCIDINVOKE
    out += _record(0x0003, _u16(CODE_PAGE))
    out += _record(0x0004, encode_mbcs(project_name, "project name"))
    out += _text_pair(0x0005, 0x0040, "", "project docstring")
    help_file = encode_mbcs("", "help file")  # HelpFile2 repeats HelpFile1, both MBCS
    out += _record(0x0006, help_file) + _record(0x003D, help_file)
    out += _record(0x0007, _u32(0))  # PROJECTHELPCONTEXT
    out += _record(0x0008, _u32(0))  # PROJECTLIBFLAGS
    out += struct.pack("<HIIH", 0x0009, 4, 1, 0)  # PROJECTVERSION: major 1, minor 0
    out += _text_pair(0x000C, 0x003C, "", "constants")
    return out


def _references(references: Sequence[DirReference]) -> bytes:
    """PROJECTREFERENCES (2.3.4.2.2): registered type libraries only."""
    out = b""
    for ref in references:
        out += _text_pair(0x0016, 0x003E, ref.name, "reference name")
        libid = encode_mbcs(ref.libid, "reference libid")
        body = _u32(len(libid)) + libid + _u32(0) + _u16(0)
        out += _record(0x000D, body)
    return out


def _module(module: DirModule) -> bytes:
    """One MODULE record (2.3.4.2.3.2), ending with its terminator."""
    name = encode_mbcs(module.name, "module name")
    out = _record(0x0019, name)
    out += _record(0x0047, module.name.encode("utf-16-le"))  # MODULENAMEUNICODE
    out += _text_pair(0x001A, 0x0032, module.name, "module stream name")
    out += _text_pair(0x001C, 0x0048, module.docstring, "module docstring")
    out += _record(0x0031, _u32(0))  # MODULEOFFSET: stream holds only compressed source
    out += _record(0x001E, _u32(0))  # MODULEHELPCONTEXT
    out += _record(0x002C, _u16(_COOKIE))
    out += _record(MODULE_TYPE_PROCEDURAL if module.procedural else MODULE_TYPE_DOCUMENT, b"")
    out += _record(0x002B, b"")  # terminator, Reserved u32 0
    return out


def dir_records(
    project_name: str,
    references: Sequence[DirReference],
    modules: Sequence[DirModule],
    *,
    compat_version: int | None = None,
) -> bytes:
    """The decompressed ``dir`` stream (2.3.4.2)."""
    if not 1 <= len(project_name) <= 128:
        raise OvbaError("project name must have 1 to 128 characters (2.3.4.2.1.6)")
    out = _information(project_name, compat_version)
    out += _references(references)
    out += _record(0x000F, _u16(len(modules)))  # PROJECTMODULES count
    out += _record(0x0013, _u16(_COOKIE))  # PROJECTCOOKIE
    out += b"".join(_module(m) for m in modules)
    out += _record(0x0010, b"")  # end of dir stream, Reserved u32 0
    return out


def build_dir_stream(
    project_name: str,
    references: Sequence[DirReference],
    modules: Sequence[DirModule],
    *,
    compat_version: int | None = None,
) -> bytes:
    """The compressed ``dir`` stream, ready for the ``VBA`` storage."""
    records = dir_records(project_name, references, modules, compat_version=compat_version)
    return compress(records, allow_raw=False)
