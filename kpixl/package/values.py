"""A cell's text in the sheet XML to the value a grid holds, by openpyxl's own rules.

kpixl's grids came from openpyxl first, so the fast reader types values exactly as
``openpyxl.load_workbook(rich_text=True)`` + ``kpixl.workbook.xlsx_io`` do: whole numbers
(no ``.``, ``e`` or ``E``) as ``int``, others as ``float``; a number whose cell format is a
date format (built-in ids 14-22 and 45-47, or a custom code ``is_date_format`` accepts, as
openpyxl's stylesheet reader decides) as a ``datetime``, a time of day or a duration as
Excel's day fraction; booleans, ISO dates (``t="d"``) and error codes as openpyxl gives them.
Formula results follow ``xlsx_io``'s reading of cached values (no durations there). Only the
small pure helpers of openpyxl are used, never its workbook model.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from xml.etree.ElementTree import Element

from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel, from_ISO8601

from kpixl.workbook.grid import CellValue
from kpixl.workbook.parts import MAIN_NS

__all__ = ["NumberKinds", "cached_value", "cell_value", "epoch", "plain"]

NUMBER, DATE, DURATION = 0, 1, 2
"""How a cell format shows a number: as a number, a date or time, or a duration ([h]:mm)."""
OUT_OF_RANGE = "#VALUE!"
"""What openpyxl reads a date-formatted number outside Excel's dates as."""


class NumberKinds:
    """Per cell format (the ``s`` index into ``cellXfs``): NUMBER, DATE or DURATION."""

    def __init__(self, kinds: Sequence[int] = ()) -> None:
        self.kinds = tuple(kinds)

    @classmethod
    def from_styles(cls, root: Element | None) -> NumberKinds:
        """Read ``styles.xml`` as openpyxl's ``Stylesheet._normalise_numbers`` does: a custom
        code given for an id wins over the built-in one; unknown ids are not dates."""
        if root is None:
            return cls()
        custom = {
            _int(node.get("numFmtId")): node.get("formatCode", "")
            for node in root.iter(f"{{{MAIN_NS}}}numFmt")
        }
        kinds = []
        for section in root.iter(f"{{{MAIN_NS}}}cellXfs"):
            for xf in section.iter(f"{{{MAIN_NS}}}xf"):
                number_format = _int(xf.get("numFmtId"))
                if number_format in custom:
                    code: str | None = custom[number_format]
                else:
                    code = builtin_format_code(number_format)
                if not is_date_format(code):
                    kinds.append(NUMBER)
                else:
                    kinds.append(DURATION if is_timedelta_format(code) else DATE)
        return cls(kinds)

    def kind(self, style: int) -> int:
        return self.kinds[style] if 0 <= style < len(self.kinds) else NUMBER


def _int(text: str | None) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return 0


def epoch(date1904: bool) -> datetime:
    start: datetime = CALENDAR_MAC_1904 if date1904 else WINDOWS_EPOCH
    return start


def number(text: str) -> int | float:
    """openpyxl's ``_cast_number``."""
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def plain(value: object) -> CellValue:
    """A value as a grid holds it: times and durations as Excel's day fractions."""
    if isinstance(value, timedelta):
        return value.total_seconds() / 86400
    if isinstance(value, time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    return value  # type: ignore[return-value]


def cell_value(
    kind: str, text: str, style_kind: int, start: datetime, shared: Sequence[str]
) -> CellValue:
    """The value of a cell without a formula whose ``<v>`` holds ``text`` (not empty)."""
    if kind == "n":
        value = number(text)
        if style_kind == NUMBER:
            return value
        try:
            return plain(from_excel(value, start, timedelta=style_kind == DURATION))
        except (OverflowError, ValueError):
            return OUT_OF_RANGE
    if kind == "s":
        return shared[int(text)]
    if kind == "b":
        return bool(int(text))
    if kind == "d":
        return plain(from_ISO8601(text))
    return text  # "str", "e" and unknown types keep their text, as openpyxl does


def cached_value(kind: str, text: str, style_kind: int, start: datetime) -> CellValue:
    """The saved result of a formula cell, as ``xlsx_io`` reads it (durations not applied)."""
    if kind in ("str", "e", "inlineStr"):
        return text
    if kind == "b":
        return text.strip() in ("1", "true")
    if kind == "d":
        return datetime.fromisoformat(text)
    value = number(text)
    if style_kind == NUMBER:
        return value
    try:
        return plain(from_excel(value, start))
    except (OverflowError, ValueError):
        return OUT_OF_RANGE  # xlsx_io fails on these; openpyxl reads a plain cell so
