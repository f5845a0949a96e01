"""What a cell's value means: numbers, not-available marks, Excel error values, text, choices,
months, and what one input cell gives an indicator. The one meaning of a cell for the sheet
reader and every worksheet function (``kpixl.udfs``).

Number cells: a number, ``*``/``n/a``/``na``/``-`` (not available), blank, or text that reads as
a number (``"65"``, ``"1,234"``, ``" 12 "``, ``"£5"``), accepted silently as Excel would when it
is typed. Text ending in ``%`` is a percentage whatever the Unit (``"65%"`` is 0.65); a bare
``"65"`` on a % indicator is left to the core's percent check. Any other text is not a number.

An Excel error value (``#N/A``, ``#DIV/0!``…, or a failed ``#KPI:`` function) in any input is
a problem at its cell, never "not available": it means a broken formula, and hiding it as N/A
would rate a row on data nobody meant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from typing import get_args

from kpixl.core.checks import (
    decimals_problem,
    error_value_problem,
    text_in_number_problem,
    unknown_choice_problem,
)
from kpixl.core.columns import DECIMALS_RANGE, Column, Kind, column_by_key
from kpixl.core.models import Frequency, Indicator, IndicatorType, Problem, YtdMethod
from kpixl.core.periods import is_sensible, month_of, parse_period
from kpixl.core.rules import parse_polarity
from kpixl.workbook.grid import CellValue

NOT_AVAILABLE_MARKS = frozenset({"*", "n/a", "na", "-"})
EXCEL_ERRORS = frozenset(
    "#DIV/0! #N/A #NAME? #NULL! #NUM! #REF! #VALUE! #SPILL! #CALC! #GETTING_DATA #FIELD! "
    "#BLOCKED! #CONNECT! #BUSY! #UNKNOWN!".split()
)
"""Excel's error values, as openpyxl and xlwings (``err_to_str``) hand them over."""
FAILED_FUNCTION = "#KPI:"
"""How a kpixl worksheet function's failure starts; used as an input it is an error value."""
_NUMBER_TEXT = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d*)(?:\.\d*)?(?:[eE][+-]?\d+)?")
_EXCEL_EPOCH = date(1899, 12, 30)
_LAST_EXCEL_SERIAL = 2958465  # 31/12/9999


def choice_options(column: Column) -> tuple[str, ...]:
    """What a choice column offers: the values of the enum its Indicator field is declared with
    (``Polarity | None`` offers ``Higher``, ``Lower``)."""
    annotation = Indicator.model_fields[column.spec.attribute].annotation
    for kind in (annotation, *get_args(annotation)):
        if isinstance(kind, type) and issubclass(kind, Enum):
            return tuple(str(member.value) for member in kind)
    raise TypeError(f"{column.value} is not a choice column")


CHOICES: dict[str, tuple[str, ...]] = {
    column.value: choice_options(column) for column in Column if column.spec.kind is Kind.CHOICE
}
"""The choice columns and what may be typed in them (case-insensitive)."""

_ALIASES: dict[str, dict[str, Enum]] = {
    "Type": {"kpi": IndicatorType.KPI, "activity": IndicatorType.ACTIVITY},
    "Frequency": {
        "monthly": Frequency.MONTHLY,
        "month": Frequency.MONTHLY,
        "quarterly": Frequency.QUARTERLY,
        "quarter": Frequency.QUARTERLY,
        "qtr": Frequency.QUARTERLY,
        "six-monthly": Frequency.SIX_MONTHLY,
        "six monthly": Frequency.SIX_MONTHLY,
        "6-monthly": Frequency.SIX_MONTHLY,
        "6 monthly": Frequency.SIX_MONTHLY,
        "half-yearly": Frequency.SIX_MONTHLY,
        "half yearly": Frequency.SIX_MONTHLY,
        "annual": Frequency.ANNUAL,
        "annually": Frequency.ANNUAL,
        "yearly": Frequency.ANNUAL,
        "year": Frequency.ANNUAL,
    },
    "YTD method": {
        **{m.value.lower(): m for m in YtdMethod},
        "average": YtdMethod.MEAN,
        "total": YtdMethod.SUM,
        "cumulative": YtdMethod.LATEST,
    },
}


class Mark(Enum):
    """What a number cell holds when it holds no number."""

    BLANK = "blank"
    NOT_AVAILABLE = "not available"


@dataclass(frozen=True)
class ErrorValue:
    """An Excel error value in a cell (``#N/A``, ``#DIV/0!``, ``#KPI: …``)."""

    code: str


def error_value(value: object) -> ErrorValue | None:
    """The error value a cell holds, or None."""
    if not isinstance(value, str) or "#" not in value[:4]:
        return None
    code = value.strip()
    if code in EXCEL_ERRORS or code.startswith(FAILED_FUNCTION):
        return ErrorValue(code)
    return None


def read_number(value: CellValue) -> float | Mark | ErrorValue | str:
    """A number cell as a float, ``Mark.BLANK``, ``Mark.NOT_AVAILABLE``, an error value, or the
    offending text."""
    kind = type(value)
    if kind is float or kind is int:
        return float(value)  # type: ignore[arg-type]
    if value is None:
        return Mark.BLANK
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return Mark.BLANK
        if text.lower() in NOT_AVAILABLE_MARKS:
            return Mark.NOT_AVAILABLE
        error = error_value(text)
        if error is not None:
            return error
        number = number_from_text(text)
        return text if number is None else number
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return float(value)  # an int or float subclass


def number_from_text(text: str) -> float | None:
    """``"1,234"`` -> 1234.0, ``"65%"`` -> 0.65, ``"-£5"`` -> -5.0; None when not a number."""
    text = text.strip()
    percent = text.endswith("%")
    body = text[:-1].rstrip() if percent else text
    sign = ""
    if body[:1] in ("+", "-"):
        sign, body = body[0], body[1:].lstrip()
    body = body.removeprefix("£")
    if not any(ch.isdigit() for ch in body) or not _NUMBER_TEXT.fullmatch(body):
        return None
    number = float(sign + body.replace(",", ""))
    return number / 100 if percent else number


def text(value: CellValue) -> str | None:
    """A cell as trimmed text (whole floats without ``.0``, dates as dd/mm/yyyy); None if blank."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip() or None


def choice(column: str, typed: str) -> Enum | None:
    """The option of a choice column (see ``CHOICES``) that ``typed`` names; None if none."""
    if column == "Polarity":
        return parse_polarity(typed)
    return _ALIASES[column].get(" ".join(typed.lower().split()))


def month(value: CellValue) -> date | None:
    """A date, an Excel date serial, or text such as ``Oct 2023``, ``Oct-23``, ``2023-10-31``."""
    if isinstance(value, date):
        return month_of(value) if is_sensible(value) else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value <= _LAST_EXCEL_SERIAL:
            serial = month_of(_EXCEL_EPOCH + timedelta(days=int(value)))
            return serial if is_sensible(serial) else None
        return None
    typed = text(value)
    if typed is None:
        return None
    found = parse_period(typed)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m"):
        if found is None:
            try:
                found = month_of(datetime.strptime(typed.split(" ")[0], pattern))
            except ValueError:
                pass
    return found if found is not None and is_sensible(found) else None


def month_number(value: CellValue) -> int | None:
    """1-12 from a number or a month name (``April``, ``Apr``); None otherwise."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() and 1 <= value <= 12 else None
    typed = text(value)
    if typed is None:
        return None
    if typed.isdigit():
        return month_number(int(typed))
    named = parse_period(f"{typed} 2000")  # a month name alone, read as a period
    return named.month if named else None


# --- what one input cell gives an indicator ---------------------------------------------


@dataclass(frozen=True)
class Read:
    """One cell read for an indicator: the field's value (None: leave the field unset), the
    problem it shows, and whether anything was typed (not blank, not "not available")."""

    value: object = None
    problem: Problem | None = None
    typed: bool = False


def read_input(ref: str | None, column: Column | str, value: CellValue) -> Read:
    """An input cell of ``column`` (not Ref) for ``ref``, read by the column table's kind."""
    column = column if isinstance(column, Column) else _column(column)
    kind = column.spec.kind
    if (error := error_value(value)) is not None:
        return Read(problem=error_value_problem(ref, column, error.code), typed=True)
    if kind is Kind.NUMBER:
        number = read_number(value)
        if column is Column.FLOOR and _no_floor(value, number):
            return Read(NO_FLOOR, typed=True)
        if isinstance(number, str):
            return Read(problem=text_in_number_problem(ref, column, number), typed=True)
        return Read(number, typed=True) if isinstance(number, float) else Read()
    typed = text(value)
    if kind is Kind.DESCRIPTION:
        return Read(typed or "", typed=typed is not None)
    if typed is None:
        return Read()
    if kind is Kind.TEXT:
        return Read(typed, typed=True)
    if kind is Kind.PREVIOUS_YEAR:
        number = read_number(value)
        return Read(number if isinstance(number, float) else typed, typed=True)
    if kind is Kind.DECIMALS:
        number = read_number(value)
        low, high = DECIMALS_RANGE
        if isinstance(number, float) and number.is_integer() and low <= number <= high:
            return Read(int(number), typed=True)
        return Read(problem=decimals_problem(ref, typed), typed=True)
    chosen = choice(column, typed)
    if chosen is None:
        options = CHOICES[column.value]
        return Read(problem=unknown_choice_problem(ref, column, typed, options), typed=True)
    return Read(chosen, typed=True)


NO_FLOOR = "no floor"
"""What a Floor cell typed ``None`` (or ``n/a``, ``No floor``) gives: a KPI rated against its
Target alone on purpose (SPEC 4: no "no Floor Standard" warning)."""
_NO_FLOOR_WORDS = frozenset({"none", "no floor", "target only", "not applicable"})


def _no_floor(value: CellValue, number: float | Mark | ErrorValue | str) -> bool:
    if number is Mark.NOT_AVAILABLE:
        return True
    return isinstance(number, str) and " ".join(number.lower().split()) in _NO_FLOOR_WORDS


def _column(header: str) -> Column:
    found = column_by_key(header)
    if found is None:
        raise ValueError(f"{header!r} is not an input column")  # a kpixl bug, not the user's
    return found


def default_type(target_typed: bool) -> IndicatorType:
    """The Type of a row whose Type is blank: a KPI when anything is typed in its Target."""
    return IndicatorType.KPI if target_typed else IndicatorType.ACTIVITY


def read_period(ref: str | None, value: CellValue, period: date) -> Read:
    """A period cell: ``typed`` when it enters the values (a number, or None: not available)."""
    number = read_number(value)
    if isinstance(number, float):
        return Read(number, typed=True)
    if number is Mark.NOT_AVAILABLE:
        return Read(None, typed=True)
    if isinstance(number, ErrorValue):
        return Read(problem=error_value_problem(ref, Column.VALUE, number.code, period))
    if isinstance(number, str):
        return Read(problem=text_in_number_problem(ref, Column.VALUE, number, period))
    return Read()
