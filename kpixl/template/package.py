"""Turn openpyxl's ``.xlsx`` parts into a macro-enabled package, and zip it reproducibly.

Wiring (EXCEL_FACTS: VBA project, Ribbon): the macro-enabled main content type, a ``bin``
default typed as a VBA project, the workbook's ``vbaProject`` relationship and the package's
2006 ``ui/extensibility`` relationship to ``customUI/customUI.xml`` (the form openpyxl keeps
on later saves). XML parts are canonical (C14N 2.0), whichever serialiser openpyxl uses;
the zip has fixed member order, timestamps, attributes and compression.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from typing import Any
from xml.etree.ElementTree import canonicalize

from openpyxl.writer.excel import ExcelWriter

from kpixl.template.errors import TemplateError

__all__ = [
    "CONTENT_TYPES",
    "RIBBON_PART",
    "RIBBON_REL",
    "ROOT_RELS",
    "VBA_PART",
    "VBA_REL",
    "VBA_TYPE",
    "WORKBOOK_RELS",
    "XLSM_MAIN",
    "XLSX_MAIN",
    "XML_SUFFIXES",
    "ZIP_TIME",
    "canonical_xml",
    "macro_package",
    "workbook_parts",
    "zip_parts",
]

CONTENT_TYPES = "[Content_Types].xml"
ROOT_RELS = "_rels/.rels"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
VBA_PART = "xl/vbaProject.bin"
RIBBON_PART = "customUI/customUI.xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
VBA_TYPE = "application/vnd.ms-office.vbaProject"
VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
RIBBON_REL = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
XML_SUFFIXES = (".xml", ".rels", ".vml")
"""Members that are XML text."""
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""Every member's timestamp: the earliest a zip can hold."""
_FIRST = (CONTENT_TYPES, ROOT_RELS)
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_TYPES_START = re.compile(rb"<Types\b[^>]*>")


def workbook_parts(workbook: Any) -> dict[str, bytes]:
    """The parts openpyxl writes for ``workbook`` (no VBA), by name, in its order, each XML
    part in :func:`canonical_xml` form.

    Uses ``ExcelWriter`` directly: unlike ``Workbook.save`` it leaves the document's
    modified time as set, so the output does not depend on the clock.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        ExcelWriter(workbook, archive).save()
    with zipfile.ZipFile(buffer) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    return {
        name: canonical_xml(data) if name.endswith(XML_SUFFIXES) else data
        for name, data in parts.items()
    }


def canonical_xml(data: bytes) -> bytes:
    """``data`` in Canonical XML 2.0 form under the usual OOXML declaration.

    openpyxl serialises with lxml when it is installed (``<c r="A1"/>``, namespaces declared
    where used) and with its own writer otherwise (``<c r="A1" />``, all on the root): the
    canonical form is the same for both, so the template's bytes do not depend on lxml.
    """
    text = canonicalize(from_file=io.BytesIO(data))
    return _DECLARATION + text.encode("utf-8")


def _replace_once(data: bytes, old: bytes, new: bytes, part: str) -> bytes:
    if data.count(old) != 1:
        raise TemplateError(f"{part}: expected {old!r} exactly once")
    return data.replace(old, new)


def _relationship(rid: str, kind: str, target: str) -> bytes:
    return f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>'.encode()


def macro_package(
    parts: Mapping[str, bytes], vba_project: bytes, ribbon: bytes
) -> dict[str, bytes]:
    """``parts`` of a plain workbook made macro-enabled, with ``vba_project`` and ``ribbon``."""
    out = dict(parts)
    types = _replace_once(
        out[CONTENT_TYPES], f'"{XLSX_MAIN}"'.encode(), f'"{XLSM_MAIN}"'.encode(), CONTENT_TYPES
    )
    start = _TYPES_START.search(types)
    if start is None or b'Extension="bin"' in types or b'Extension="xml"' not in types:
        raise TemplateError(f"{CONTENT_TYPES}: unexpected Types element or defaults")
    default = f'<Default Extension="bin" ContentType="{VBA_TYPE}"/>'.encode()
    out[CONTENT_TYPES] = types[: start.end()] + default + types[start.end() :]
    end = b"</Relationships>"
    out[WORKBOOK_RELS] = _replace_once(
        out[WORKBOOK_RELS],
        end,
        _relationship("rIdVbaProject", VBA_REL, "vbaProject.bin") + end,
        WORKBOOK_RELS,
    )
    out[ROOT_RELS] = _replace_once(
        out[ROOT_RELS], end, _relationship("rIdCustomUI", RIBBON_REL, RIBBON_PART) + end, ROOT_RELS
    )
    out[VBA_PART] = vba_project
    out[RIBBON_PART] = ribbon
    return out


def zip_parts(parts: Mapping[str, bytes]) -> bytes:
    """The package bytes: content types and package relationships first, then by name."""
    names = [name for name in _FIRST if name in parts]
    names += sorted(name for name in parts if name not in _FIRST)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.create_system = 0  # MS-DOS: the same bytes whichever system builds it
            info.external_attr = 0o600 << 16  # what zipfile writes for 0 anyway
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, parts[name], compresslevel=6)
    return buffer.getvalue()
