"""The saved results of formula cells, read straight from a sheet's XML.

openpyxl keeps a formula's text but not its saved result; reading the workbook a second time
with ``data_only=True`` would double the load. These functions scan the sheet XML for the few
formula cells instead. :class:`MalformedPart` says a part is not in the form Excel writes:
the file's fault, which ``xlsx_io.load`` reports as an unreadable workbook.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from typing import Any

from openpyxl.cell.rich_text import CellRichText
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.exceptions import CellCoordinatesException

from kpixl.package import values
from kpixl.workbook.grid import CellValue

__all__ = ["MalformedPart", "cached_values", "formula_cells", "plain"]


class MalformedPart(Exception):
    """A part of the file is not in the form Excel writes (raised by kpixl's own parsing)."""


def plain(value: Any) -> CellValue:
    """A cell value as a grid holds it: rich text as its text, times as Excel's day fractions."""
    if isinstance(value, CellRichText):
        return str(value)
    if isinstance(value, timedelta):
        return value.total_seconds() / 86400
    if isinstance(value, time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    return value  # type: ignore[no-any-return]


def cached_values(
    xml: bytes, formulas: dict[tuple[int, int], bool], epoch: datetime, title: str
) -> dict[tuple[int, int], CellValue] | None:
    """Saved results of the formula cells in one sheet's XML (cells without one are left out).

    None when the XML is not in the form Excel writes (UTF-8, every cell with its reference).
    """
    if not xml.lstrip().startswith(b"<"):
        return None
    found: dict[tuple[int, int], CellValue] = {}
    for reference, kind, text in formula_cells(xml):
        if reference is None:
            return None
        try:
            row, col = coordinate_to_tuple(reference)
            position = (row - 1, col - 1)
            if text is None or position not in formulas:
                continue
            if not text and kind not in ("str", "inlineStr"):
                continue  # <v></v>: no saved result (openpyxl with lxml writes it so)
            found[position] = _cached(kind, text, formulas[position], epoch)
        except (ValueError, CellCoordinatesException) as exc:  # the file's text: int(), a date
            raise MalformedPart(
                f"cell {title}!{reference} holds a saved result Excel would not write ({exc})"
            ) from exc
    return found


def _cached(kind: str | None, text: str, is_date: bool, epoch: datetime) -> CellValue:
    """One rule for typing a saved result, the fast reader's (``kpixl.package.values``)."""
    shown = values.DATE if is_date else values.NUMBER
    return values.cached_value(kind or "n", text, shown, epoch)


_FORMULA_CELL = re.compile(
    rb"<(?:[\w.-]+:)?c\b([^>]*)(?<!/)>\s*<(?:[\w.-]+:)?f\b(.*?)</(?:[\w.-]+:)?c>", re.S
)
_CACHED = re.compile(rb"<(?:[\w.-]+:)?v(?:\s[^>]*)?(?<!/)>(.*?)</(?:[\w.-]+:)?v>", re.S)
_ATTRIBUTE = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def formula_cells(xml: bytes) -> Iterator[tuple[str | None, str | None, str | None]]:
    """(reference, cached type, cached text or None) of each formula cell in a sheet's XML.

    A scan in C over the bytes: an element tree costs 3-4x more for the few cells wanted.
    Nothing is expanded, so entities in the XML cannot do harm here.
    """
    for match in _FORMULA_CELL.finditer(xml):
        attributes = {
            name.rpartition(b":")[2]: double if double or not single else single
            for name, double, single in _ATTRIBUTE.findall(match.group(1))
        }
        cached = _CACHED.search(match.group(2))
        reference, kind = attributes.get(b"r"), attributes.get(b"t")
        yield (
            reference.decode("ascii") if reference else None,
            kind.decode("ascii") if kind else None,
            html.unescape(cached.group(1).decode("utf-8")) if cached else None,
        )
