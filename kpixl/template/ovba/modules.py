"""VBA modules and references as plain data, and the text conventions of stored modules.

A module's source is kept as VBA stores it (MS-OVBA 2.3.4.3): lines ending CRLF, starting
with its ``Attribute`` header. An exported ``.bas`` is already in that form; an exported
``.cls`` carries a ``VERSION 1.0 CLASS`` / ``BEGIN`` ... ``END`` preamble that is not stored
and a shorter attribute header than the stored one. Document modules (the workbook and its
sheets) are generated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .errors import OvbaError
from .project import ModuleKind

__all__ = [
    "CLASS_BASE",
    "DEFAULT_REFERENCES",
    "OFFICE",
    "STDOLE",
    "SHEET_BASE",
    "WORKBOOK_BASE",
    "Module",
    "Reference",
    "document_module",
    "module_from_bas",
    "module_from_cls",
    "normalize_newlines",
]

CLASS_BASE = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"
WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
SHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"
_KINDS = ("standard", "class", "document")
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,30}")
_RESERVED_NAMES = {"DIR"}  # would collide with the VBA/dir stream
_ATTRIBUTE = re.compile(r"Attribute\s+(VB_\w+)\s*=\s*(.*)")
_NAME_LINE = re.compile(r'Attribute VB_Name = "([^"]*)"')
# Stored class header: attribute name and the value used when the export does not give one.
_CLASS_HEADER = (
    ("VB_Base", f'"{CLASS_BASE}"'),
    ("VB_GlobalNameSpace", "False"),
    ("VB_Creatable", "False"),
    ("VB_PredeclaredId", "False"),
    ("VB_Exposed", "False"),
    ("VB_TemplateDerived", "False"),
    ("VB_Customizable", "False"),
)


def check_identifier(name: str, what: str) -> None:
    """VBA module and project names: an ASCII letter, then letters, digits, ``_``; <= 31."""
    if not _IDENTIFIER.fullmatch(name):
        raise OvbaError(f"{what} {name!r} is not a VBA identifier of at most 31 characters")


def normalize_newlines(text: str) -> str:
    """Make every line end CRLF, the last one included (empty text stays empty)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[-1] == "":
        lines.pop()
    return "".join(line + "\r\n" for line in lines)


@dataclass(frozen=True)
class Module:
    """One module: its name, kind and source text as stored (header included).

    ``kind`` is ``"standard"`` (a ``.bas``), ``"class"`` (a ``.cls``) or ``"document"``
    (ThisWorkbook or a sheet). The source is stored with CRLF line ends whatever it holds
    here; its first line must be ``Attribute VB_Name = "<name>"``.
    """

    name: str
    kind: ModuleKind
    source: str

    def __post_init__(self) -> None:
        check_identifier(self.name, "module name")
        if self.name.upper() in _RESERVED_NAMES:
            raise OvbaError(f"module name {self.name!r} is reserved")
        if self.kind not in _KINDS:
            raise OvbaError(f"module kind {self.kind!r} is not one of {', '.join(_KINDS)}")
        first = self.source.lstrip("\ufeff").splitlines()[:1]
        match = _NAME_LINE.fullmatch(first[0]) if first else None
        if match is None or match.group(1) != self.name:
            raise OvbaError(
                f'module {self.name!r} must start with Attribute VB_Name = "{self.name}"'
            )

    def stored_text(self) -> str:
        """The source with CRLF line ends, as it goes (compressed) into the module stream."""
        return normalize_newlines(self.source.lstrip("\ufeff"))


@dataclass(frozen=True)
class Reference:
    """A registered type library reference: its name and its libid (MS-OVBA 2.1.1.8)."""

    name: str
    libid: str


STDOLE = Reference(
    "stdole",
    r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\Windows\System32\stdole2.tlb"
    "#OLE Automation",
)
OFFICE = Reference(
    "Office",
    r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.8#0#C:\Program Files\Common Files"
    r"\Microsoft Shared\OFFICE16\MSO.DLL#Microsoft Office 16.0 Object Library",
)
#: stdole is customary; Office is needed by any ``control As IRibbonControl`` callback.
DEFAULT_REFERENCES: tuple[Reference, ...] = (STDOLE, OFFICE)


def _name_of(lines: list[str], what: str) -> str:
    match = _NAME_LINE.fullmatch(lines[0]) if lines else None
    if match is None:
        raise OvbaError(f'{what} must start with Attribute VB_Name = "..."')
    return match.group(1)


def module_from_bas(text: str) -> Module:
    """A standard module from an exported ``.bas`` (stored as it is, CRLF line ends)."""
    stored = normalize_newlines(text.lstrip("\ufeff"))
    return Module(_name_of(stored.split("\r\n"), "a .bas export"), "standard", stored)


def module_from_cls(text: str) -> Module:
    """A class module from an exported ``.cls``.

    Drops the ``VERSION 1.0 CLASS`` / ``BEGIN`` ... ``END`` preamble and rewrites the leading
    attributes into the stored header: VB_Name, VB_Base, VB_GlobalNameSpace, VB_Creatable,
    VB_PredeclaredId, VB_Exposed, VB_TemplateDerived, VB_Customizable (values from the
    export where it has them, else False), then any other leading attributes in order.
    """
    lines = normalize_newlines(text.lstrip("\ufeff")).split("\r\n")[:-1]
    if lines and lines[0].startswith("VERSION "):
        try:
            end = next(i for i, line in enumerate(lines) if line.strip().upper() == "END")
        except StopIteration:
            raise OvbaError("a .cls export has a VERSION preamble without END") from None
        lines = lines[end + 1 :]
    name = _name_of(lines, "a .cls export (after its preamble)")
    given: dict[str, str] = {}
    count = 1
    for line in lines[1:]:
        match = _ATTRIBUTE.fullmatch(line)
        if match is None:
            break
        given[match.group(1)] = match.group(2)
        count += 1
    header = [f'Attribute VB_Name = "{name}"']
    header += [f"Attribute {key} = {given.pop(key, default)}" for key, default in _CLASS_HEADER]
    header += [f"Attribute {key} = {value}" for key, value in given.items()]
    body = lines[count:]
    return Module(name, "class", "".join(line + "\r\n" for line in header + body))


def document_module(
    name: str, document: Literal["workbook", "sheet"] = "sheet", code: str = ""
) -> Module:
    """A document module for the workbook (``ThisWorkbook``) or a sheet, with ``code``."""
    base = WORKBOOK_BASE if document == "workbook" else SHEET_BASE
    header = [
        f'Attribute VB_Name = "{name}"',
        f'Attribute VB_Base = "{base}"',
        "Attribute VB_GlobalNameSpace = False",
        "Attribute VB_Creatable = False",
        "Attribute VB_PredeclaredId = True",
        "Attribute VB_Exposed = True",
        "Attribute VB_TemplateDerived = False",
        "Attribute VB_Customizable = True",
    ]
    return Module(name, "document", "".join(line + "\r\n" for line in header) + code)
