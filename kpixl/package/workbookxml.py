"""The package-level parts a new or replaced sheet touches, edited as text.

``workbook.xml`` (its ``<sheets>`` and its one ``<definedNames>``: ECMA-376 Part 1 18.2.6
and 18.2.27), the workbook's relationships, ``[Content_Types].xml`` and ``docProps/app.xml``.
Every edit inserts or removes whole elements and keeps the rest of the part byte for byte
(prefixes, ``mc:Ignorable``, extensions and all).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

__all__ = [
    "add_content_type",
    "add_relationship",
    "add_sheet",
    "add_to_app",
    "drop_content_type",
    "drop_relationship",
    "replace_names",
]

R_NS = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_AFTER_NAMES = ("calcPr", "oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr",
                "smartTagTypes", "webPublishing", "fileRecoveryPr", "webPublishObjects",
                "extLst")  # fmt: skip
"""CT_Workbook's children after ``definedNames``."""


def _prefix(xml: bytes, root: bytes) -> bytes:
    found = re.search(rb"<([\w.-]+:)?" + root + rb"\b", xml)
    return (found.group(1) or b"") if found else b""


def add_sheet(xml: bytes, name: str, sheet_id: int, rid: str) -> bytes:
    """``workbook.xml`` with a ``<sheet>`` appended to ``<sheets>``."""
    p = _prefix(xml, b"workbook")
    root = re.search(rb"<([\w.-]+:)?workbook\b[^>]*>", xml)
    head = root.group(0) if root else b""
    bound = re.search(rb'xmlns:([\w.-]+)\s*=\s*"' + re.escape(R_NS) + rb'"', head)
    if bound is not None:
        rid_attr = bound.group(1) + b':id="' + rid.encode() + b'"'
    else:
        rid_attr = b'xmlns:r="' + R_NS + b'" r:id="' + rid.encode() + b'"'
    element = (
        b"<" + p + b"sheet name=" + quoteattr(name).encode("utf-8")
        + b' sheetId="' + str(sheet_id).encode() + b'" ' + rid_attr + b"/>"
    )  # fmt: skip
    closing = xml.find(b"</" + p + b"sheets>")
    if closing < 0:
        raise ValueError("workbook.xml has no <sheets>")
    return xml[:closing] + element + xml[closing:]


def replace_names(xml: bytes, position: int, names: Iterable[tuple[str, str]]) -> bytes:
    """``workbook.xml`` with every name scoped to sheet ``position`` replaced by ``names``
    (name, reference), kept in the one ``<definedNames>`` there is (made if there is none)."""
    p = _prefix(xml, b"workbook")
    q = re.escape(p)
    scoped = re.compile(
        rb"<" + q + rb"definedName\b[^>]*?localSheetId\s*=\s*\"" + str(position).encode()
        + rb"\"[^>]*?(?:/>|>.*?</" + q + rb"definedName>)",
        re.S,
    )  # fmt: skip
    xml = scoped.sub(b"", xml)
    added = b"".join(
        b"<" + p + b"definedName name=" + quoteattr(name).encode("utf-8")
        + b' localSheetId="' + str(position).encode() + b'">'
        + escape(reference).encode("utf-8") + b"</" + p + b"definedName>"
        for name, reference in names
    )  # fmt: skip
    if not added:
        return xml
    found = re.search(rb"<" + q + rb"definedNames\b[^>]*?(/?)>", xml)
    if found is not None:
        if found.group(1):  # <definedNames/>
            opened = found.group(0)[:-2].rstrip() + b">"
            whole = opened + added + b"</" + p + b"definedNames>"
            return xml[: found.start()] + whole + xml[found.end() :]
        end = xml.index(b"</" + p + b"definedNames>", found.end())
        return xml[:end] + added + xml[end:]
    element = b"<" + p + b"definedNames>" + added + b"</" + p + b"definedNames>"
    names_after = b"|".join(n.encode() for n in _AFTER_NAMES)
    later = re.search(rb"<" + q + rb"(?:" + names_after + rb")\b", xml)
    at = later.start() if later is not None else xml.rindex(b"</" + p + b"workbook>")
    return xml[:at] + element + xml[at:]


def add_relationship(xml: bytes, kind: str, target: str) -> tuple[bytes, str]:
    """A ``.rels`` part with a new relationship, and its fresh id."""
    used = set(re.findall(rb'Id\s*=\s*"([^"]*)"', xml))
    number = len(used) + 1
    while b"rId%d" % number in used:
        number += 1
    rid = f"rId{number}"
    p = _prefix(xml, b"Relationships")
    element = (
        b"<" + p + b'Relationship Id="' + rid.encode() + b'" Type=' + quoteattr(kind).encode()
        + b" Target=" + quoteattr(target).encode("utf-8") + b"/>"
    )  # fmt: skip
    found = re.search(rb"</" + re.escape(p) + rb"Relationships>", xml)
    if found is None:  # <Relationships .../>
        empty = re.search(rb"<" + re.escape(p) + rb"Relationships\b[^>]*?/>", xml)
        assert empty is not None
        opened = empty.group(0)[:-2].rstrip() + b">"
        closed = opened + element + b"</" + p + b"Relationships>"
        return xml[: empty.start()] + closed + xml[empty.end() :], rid
    return xml[: found.start()] + element + xml[found.start() :], rid


def drop_relationship(xml: bytes, kind_suffix: str) -> bytes:
    """A ``.rels`` part without its relationships whose type ends with ``kind_suffix``."""
    pattern = (
        rb"<(?:[\w.-]+:)?Relationship\b[^>]*?Type\s*=\s*\"[^\"]*"
        + re.escape(kind_suffix.encode())
        + rb"\"[^>]*?(?:/>|>\s*</(?:[\w.-]+:)?Relationship>)"
    )
    return re.sub(pattern, b"", xml)


def add_content_type(xml: bytes, part: str, content_type: str) -> bytes:
    p = _prefix(xml, b"Types")
    element = (
        b"<" + p + b"Override PartName=" + quoteattr("/" + part).encode("utf-8")
        + b" ContentType=" + quoteattr(content_type).encode() + b"/>"
    )  # fmt: skip
    end = xml.rindex(b"</" + p + b"Types>")
    return xml[:end] + element + xml[end:]


def drop_content_type(xml: bytes, part: str) -> bytes:
    pattern = (
        rb"<(?:[\w.-]+:)?Override\b[^>]*?PartName\s*=\s*\"/?" + re.escape(part.encode())
        + rb"\"[^>]*?(?:/>|>\s*</(?:[\w.-]+:)?Override>)"
    )  # fmt: skip
    return re.sub(pattern, b"", xml, flags=re.I)


def add_to_app(xml: bytes, name: str) -> bytes:
    """``docProps/app.xml`` listing one more worksheet: its title added after the others in
    ``TitlesOfParts`` and the first heading's count (the worksheets) raised. A part of
    another shape is returned unchanged (it is only a summary; Excel rewrites it)."""
    pairs = re.search(rb"<([\w.-]+:)?HeadingPairs>(.*?)</\1?HeadingPairs>", xml, re.S)
    titles = re.search(rb"<([\w.-]+:)?TitlesOfParts>(.*?)</\1?TitlesOfParts>", xml, re.S)
    if pairs is None or titles is None or pairs.start() > titles.start():
        return xml
    count = re.search(rb"<([\w.-]+:)i4>(\d+)</\1i4>", pairs.group(2))
    vector = re.search(rb'<([\w.-]+:)vector\b([^>]*?)size="(\d+)"([^>]*)>', titles.group(2))
    if count is None or vector is None:
        return xml
    sheets = int(count.group(2))
    vt = vector.group(1)
    inner_start = titles.start(2) + vector.end()
    items = list(
        re.finditer(
            rb"<"
            + re.escape(vt)
            + rb"lpstr>.*?</"
            + re.escape(vt)
            + rb"lpstr>|<"
            + re.escape(vt)
            + rb"lpstr/>",
            xml[inner_start : titles.end(2)],
            re.S,
        )
    )  # noqa: E501
    if len(items) < sheets:
        return xml
    at = inner_start + (items[sheets - 1].end() if sheets else 0)
    title = b"<" + vt + b"lpstr>" + escape(name).encode("utf-8") + b"</" + vt + b"lpstr>"
    size = str(int(vector.group(3)) + 1).encode()
    new_vector = (b"<" + vt + b"vector" + vector.group(2) + b'size="' + size + b'"'
                  + vector.group(4) + b">")  # fmt: skip
    out = xml[:at] + title + xml[at:]
    vector_at = titles.start(2) + vector.start()
    out = out[:vector_at] + new_vector + out[vector_at + len(vector.group(0)) :]
    count_at = pairs.start(2) + count.start(2)
    return out[:count_at] + str(sheets + 1).encode() + out[count_at + len(count.group(2)) :]
