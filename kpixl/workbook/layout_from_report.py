"""A :class:`Report` laid out as workbook grids in the contract layout (SPEC section 3).

The demo workbook and the tests start from here: a Settings sheet, then one indicator sheet per
service area with its header block, the header row and a row per indicator. Reading these
grids back gives the same report.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from kpixl.core.models import Indicator, Report, ServiceArea
from kpixl.core.periods import months
from kpixl.workbook import contract
from kpixl.workbook.grid import CellValue, SheetGrid

NOT_AVAILABLE_MARK = "*"
SHEET_NAME_LIMIT = 31
_FORBIDDEN = str.maketrans({ch: " " for ch in "[]:*?/\\"})
_DANGLING = {"and", "&", "of", "the", "for", "-"}
_BEFORE = ("Ref", "Indicator description", "Type", "Frequency", "Polarity", "Unit", "Decimals")
_THRESHOLDS = ("Target", "Floor", "Upper", "Lower", "YTD method", "YTD")
_RATIO = ("Numerator", "Denominator")


def report_to_grids(report: Report) -> list[SheetGrid]:
    """Settings, then one sheet per service area in report order."""
    grids = [settings_grid(report)]
    used = {contract.SETTINGS_SHEET.lower()}
    for name in report.area_names():
        sheet = sheet_name(name, used)
        used.add(sheet.lower())
        indicators = [i for i in report.indicators if i.service_area == name]
        grids.append(area_grid(sheet, report.area(name), indicators))
    return grids


def settings_grid(report: Report) -> SheetGrid:
    month = report.reporting_month
    rows: list[list[CellValue]] = [
        ["Setting", "Value"],
        [contract.REPORT_TITLE, report.title],
        [contract.PRODUCED_BY, report.produced_by],
        [contract.REPORTING_MONTH, datetime(month.year, month.month, month.day)],
        [contract.FY_START_MONTH, report.fy_start_month],
    ]
    return SheetGrid(contract.SETTINGS_SHEET, rows)


def area_grid(sheet: str, area: ServiceArea, indicators: Iterable[Indicator]) -> SheetGrid:
    """The header block (Service Area, Department, people), a blank row, the table."""
    indicators = list(indicators)
    rows: list[list[CellValue]] = [["Service Area", area.name]]
    if area.department:
        rows.append(["Department", area.department])
    rows += [[person.role, person.name] for person in area.people]
    rows.append([])
    periods = _periods(indicators)
    ratio = _RATIO if any(i.numerator or i.denominator for i in indicators) else ()
    headers: list[CellValue] = [*_BEFORE, *_THRESHOLDS, *ratio, "Previous year"]
    headers += [datetime(p.year, p.month, 1) for p in periods]
    headers.append("Commentary")
    rows.append(headers)
    rows += [_row(indicator, periods, bool(ratio)) for indicator in indicators]
    return SheetGrid(sheet, rows)


def sheet_name(name: str, used: set[str]) -> str:
    """A valid, unused Excel sheet name: no ``[]:*?/\\``, at most 31 characters, cut at a word."""
    words = " ".join(name.translate(_FORBIDDEN).split()).split(" ")
    while len(" ".join(words)) > SHEET_NAME_LIMIT and len(words) > 1:
        words.pop()
        while len(words) > 1 and words[-1].lower().strip(",") in _DANGLING:
            words.pop()
    base = " ".join(words).rstrip(",")[:SHEET_NAME_LIMIT] or "Sheet"
    candidate, number = base, 1
    while candidate.lower() in used:
        number += 1
        suffix = f" ({number})"
        candidate = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix
    return candidate


def _periods(indicators: Iterable[Indicator]) -> list[date]:
    found = [period for indicator in indicators for period in indicator.values]
    return list(months(min(found), max(found))) if found else []


def _row(indicator: Indicator, periods: list[date], ratio: bool) -> list[CellValue]:
    row: list[CellValue] = [
        indicator.ref,
        indicator.description,
        indicator.type.value,
        indicator.frequency.value,
        indicator.polarity.value if indicator.polarity else None,
        indicator.unit,
        indicator.decimals,
        indicator.target,
        indicator.floor,
        indicator.upper,
        indicator.lower,
        indicator.ytd_method.value if indicator.ytd_method else None,
        indicator.ytd_entered,
    ]
    if ratio:
        row += [indicator.numerator, indicator.denominator]
    row.append(indicator.previous_year)
    for period in periods:
        if period not in indicator.values:
            row.append(None)
        else:
            value = indicator.values[period]
            row.append(NOT_AVAILABLE_MARK if value is None else value)
    row.append(indicator.commentary)
    return row
