"""The parts of a package validated against ECMA-376 Transitional and OPC (lxml)."""

from __future__ import annotations

import zipfile
from functools import cache
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT.parent / "shared" / "schemas"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_BY_ROOT = {
    "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}": "ecma-376-transitional/sml.xsd",
    "{http://schemas.openxmlformats.org/package/2006/content-types}": "opc/opc-contentTypes.xsd",
    "{http://schemas.openxmlformats.org/package/2006/relationships}": "opc/opc-relationships.xsd",
    "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}": (
        "ecma-376-transitional/shared-documentPropertiesExtended.xsd"
    ),
}


@cache
def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def problem(xml: bytes) -> str | None:
    """Why ``xml`` is not valid (None: valid, or a kind of part no schema here covers).

    ``xml:space`` is dropped from ``<t>`` first (Excel writes it there and sml.xsd types
    ``<t>`` as a simple type; see ../shared/schemas/README.md)."""
    root = etree.fromstring(xml)
    namespace = root.tag.partition("}")[0] + "}"
    name = _BY_ROOT.get(namespace)
    if name is None:
        return None
    for node in root.iter():
        if isinstance(node.tag, str):
            node.attrib.pop(_XML_SPACE, None)
    checker = schema(name)
    if checker.validate(root):
        return None
    return str(checker.error_log.last_error)


def invalid_parts(rated: Path, source: Path | None = None) -> list[str]:
    """Parts of ``rated`` that kpixl wrote (all, or those differing from ``source``) and
    that are not valid; a changed part whose original was not valid either is skipped."""
    out = []
    with zipfile.ZipFile(rated) as package:
        before = zipfile.ZipFile(source) if source else None
        try:
            names = set(before.namelist()) if before else set()
            for name in package.namelist():
                if not name.endswith((".xml", ".rels")):
                    continue
                data = package.read(name)
                old = before.read(name) if before and name in names else None
                if old == data:
                    continue
                found = problem(data)
                if found and (old is None or problem(old) is None):
                    out.append(f"{name}: {found}")
        finally:
            if before:
                before.close()
    return out
