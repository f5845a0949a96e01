"""Months, financial years, and the quarter, half-year and year ends of a financial year.

A period is the first day of its month (``datetime.date``); the day never matters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from kpixl.core.models import Frequency

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NUMBER = {name.lower(): number for number, name in enumerate(_MONTHS, start=1)}
_FULL_NAMES = (
    "january february march april may june july august september october november december"
).split()
_MONTH_NUMBER.update({name: number for number, name in enumerate(_FULL_NAMES, start=1)})
_MONTH_NUMBER["sept"] = 9

# "Apr-23", "Apr 2023", "April 2023", "Dec-22 (Q3)", "apr/23"
_PERIOD_TEXT = re.compile(r"^\s*([A-Za-z]{3,9})[\s\-/']*(\d{2}|\d{4})\b(?:\s*\(Q[1-4]\))?\s*$")


SENSIBLE_YEARS = range(1900, 2201)
"""Years a reporting period can fall in; anything else is a typing slip (and would overflow
date arithmetic near year 9999)."""


def is_sensible(period: date) -> bool:
    return period.year in SENSIBLE_YEARS


def month_of(value: date | datetime) -> date:
    """The period (first of the month) that ``value`` falls in."""
    return date(value.year, value.month, 1)


def parse_period(text: str) -> date | None:
    """Read a period header such as ``Apr-23`` or ``Apr 2023``; None when it is not one."""
    match = _PERIOD_TEXT.match(text)
    if match is None:
        return None
    month = _MONTH_NUMBER.get(match.group(1).lower())
    if month is None:
        return None
    year = int(match.group(2))
    if year < 100:
        year += 2000
    return date(year, month, 1)


def period_label(period: date) -> str:
    """``Oct-23``: how periods are written in the computed columns and the dashboard."""
    return f"{_MONTHS[period.month - 1]}-{period.year % 100:02d}"


def month_year_label(period: date) -> str:
    """``Oct 2023``: how the reporting month is written in titles."""
    return f"{_MONTHS[period.month - 1]} {period.year}"


def add_months(period: date, months: int) -> date:
    index = period.year * 12 + period.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    return (end.year - start.year) * 12 + end.month - start.month


def financial_year_start(period: date, start_month: int = 4) -> date:
    """First month of the financial year that contains ``period``."""
    year = period.year if period.month >= start_month else period.year - 1
    return date(year, start_month, 1)


def financial_year_label(period: date, start_month: int = 4) -> str:
    """``2023/24`` for a year starting in April 2023; ``2023`` for calendar years."""
    start = financial_year_start(period, start_month)
    if start_month == 1:
        return str(start.year)
    return f"{start.year}/{(start.year + 1) % 100:02d}"


def is_quarter_end(period: date, start_month: int = 4) -> bool:
    """True for the third, sixth, ninth and twelfth month of the financial year."""
    return is_period_end(period, Frequency.QUARTERLY, start_month)


def quarter_label(period: date, start_month: int = 4) -> str:
    """``Q2`` for a quarter-end month of the financial year."""
    return f"Q{(period.month - start_month) % 12 // 3 + 1}"


def is_period_end(period: date, frequency: Frequency, start_month: int = 4) -> bool:
    """Whether ``period`` ends one of the frequency's periods of the financial year: any month
    (monthly), the 3rd/6th/9th/12th month (quarterly), the 6th and 12th (six-monthly), the 12th
    (annual). With an April start: Sep and Mar are half-year ends, Mar the year end."""
    return (period.month - start_month) % frequency.months == frequency.months - 1


def half_year_label(period: date, start_month: int = 4) -> str:
    """``H1`` for a month in the first half of the financial year, ``H2`` for the second."""
    return f"H{(period.month - start_month) % 12 // 6 + 1}"


def period_end_label(period: date, frequency: Frequency, start_month: int = 4) -> str:
    """How the Dashboard heads a period column: ``Oct-23``, ``Dec-23 (Q3)``, ``H1 2023/24``,
    ``2023/24``."""
    if frequency is Frequency.QUARTERLY:
        return f"{period_label(period)} ({quarter_label(period, start_month)})"
    if frequency is Frequency.SIX_MONTHLY:
        year = financial_year_label(period, start_month)
        return f"{half_year_label(period, start_month)} {year}"
    if frequency is Frequency.ANNUAL:
        return financial_year_label(period, start_month)
    return period_label(period)


def months(start: date, end: date) -> Iterator[date]:
    """Every period from ``start`` to ``end`` inclusive."""
    current = start
    while current <= end:
        yield current
        current = add_months(current, 1)


def latest_at_or_before(periods: Iterable[date], limit: date) -> date | None:
    eligible = [period for period in periods if period <= limit]
    return max(eligible) if eligible else None
