"""Column widths set in a worksheet's XML, splitting ``<cols>`` ranges where needed.

A ``<col min max>`` covers a range of columns; giving one column of it a width splits the
range into the part before, the column itself (its other attributes kept, the width set,
``customWidth="1"``) and the part after. A column no range covers gets its own ``<col>``,
in order. A sheet without ``<cols>`` gets one right before ``<sheetData>``, its place in
CT_Worksheet (ECMA-376 Part 1, 18.3.1.99). Widths are written as openpyxl writes them
(``"%.16g"``); everything else in the part is kept byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["set_widths"]

_ATTRIBUTE = re.compile(rb"""([\w:.-]+)\s*=\s*(["'])(.*?)\2""", re.S)


def set_widths(xml: bytes, widths: Mapping[int, float]) -> bytes:
    """``xml`` with each 0-based column in ``widths`` given that width."""
    if not widths:
        return xml
    root = re.search(rb"<([\w.-]+:)?worksheet\b", xml)
    prefix = (root.group(1) or b"") if root else b""
    p = re.escape(prefix)
    found = re.search(rb"<" + p + rb"cols\b[^>]*?(?:/>|>(.*?)</" + p + rb"cols>)", xml, re.S)
    ranges: list[list[tuple[bytes, bytes]]] = []
    if found is not None:
        for tag in re.finditer(rb"<" + p + rb"col\b([^>]*?)/?>", found.group(1) or b""):
            ranges.append([(m.group(1), m.group(3)) for m in _ATTRIBUTE.finditer(tag.group(1))])
    for col, width in widths.items():
        ranges = _set(ranges, col + 1, f"{float(width):.16g}".encode())
    ranges.sort(key=lambda attrs: int(_get(attrs, b"min")))
    body = b"".join(
        b"<" + prefix + b"col" + b"".join(b" " + k + b'="' + v + b'"' for k, v in attrs) + b"/>"
        for attrs in ranges
    )
    element = b"<" + prefix + b"cols>" + body + b"</" + prefix + b"cols>"
    if found is not None:
        return xml[: found.start()] + element + xml[found.end() :]
    data = re.search(rb"<" + p + rb"sheetData\b", xml)
    if data is None:
        raise ValueError("not a worksheet: no <sheetData>")
    return xml[: data.start()] + element + xml[data.start() :]


def _set(
    ranges: list[list[tuple[bytes, bytes]]], number: int, width: bytes
) -> list[list[tuple[bytes, bytes]]]:
    out = []
    placed = False
    for attrs in ranges:
        low, high = int(_get(attrs, b"min")), int(_get(attrs, b"max"))
        if not low <= number <= high:
            out.append(attrs)
            continue
        if low < number:
            out.append(_with(attrs, min=low, max=number - 1))
        out.append(_with(attrs, min=number, max=number, width=width, customWidth=b"1"))
        if number < high:
            out.append(_with(attrs, min=number + 1, max=high))
        placed = True
    if not placed:
        out.append([(b"min", b"%d" % number), (b"max", b"%d" % number), (b"width", width),
                    (b"customWidth", b"1")])  # fmt: skip
    return out


def _get(attrs: list[tuple[bytes, bytes]], name: bytes) -> bytes:
    return next((v for k, v in attrs if k == name), b"0")


def _with(attrs: list[tuple[bytes, bytes]], **changes: int | bytes) -> list[tuple[bytes, bytes]]:
    values = {k.encode(): v if isinstance(v, bytes) else b"%d" % v for k, v in changes.items()}
    out = [(k, values.pop(k, v)) for k, v in attrs]
    return out + list(values.items())
