"""A :class:`Report` laid out as workbook grids in the contract layout (SPEC section 3).

The demo workbook and the tests start from here: a Settings sheet, then one indicator sheet per
service area with its header block, the header row and a row per indicator. Reading these
grids back gives the same report.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from enum import Enum

from kpixl.core.columns import AFTER_PERIODS, BEFORE_PERIODS, Column
from kpixl.core.models import Indicator, Report, ServiceArea, SpcSettings, TrendSettings
from kpixl.core.periods import months
from kpixl.workbook import analysis_settings as analysis
from kpixl.workbook import contract
from kpixl.workbook.grid import CellValue, SheetGrid

NOT_AVAILABLE_MARK = "*"
SHEET_NAME_LIMIT = 31
_FORBIDDEN = str.maketrans({ch: " " for ch in "[]:*?/\\"})
_DANGLING = {"and", "&", "of", "the", "for", "-"}


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
        *_analysis_rows(report),
    ]
    return SheetGrid(contract.SETTINGS_SHEET, rows)


def _analysis_rows(report: Report) -> list[list[CellValue]]:
    """The analysis settings (SPEC 8.1-8.2) that differ from their defaults: none for a
    default report, so its Settings sheet is the seed's."""
    rows: list[list[CellValue]] = []
    trend, default_trend = report.trend, TrendSettings()
    if trend.method is not default_trend.method:
        rows.append([analysis.DIRECTION_METHOD, trend.method.value])
    if trend.periods is not None:
        rows.append([analysis.TREND_PERIODS, trend.periods])
    if trend.confidence != default_trend.confidence:
        rows.append([analysis.TREND_CONFIDENCE, trend.confidence])
    if report.spc is not None:
        rows.append([analysis.SPC, "On"])
        default_spc = SpcSettings()
        for name, value, default in (
            (analysis.SPC_MINIMUM_POINTS, report.spc.minimum_points, default_spc.minimum_points),
            (analysis.SPC_TREND_LENGTH, report.spc.trend_length, default_spc.trend_length),
            (analysis.SPC_SHIFT_LENGTH, report.spc.shift_length, default_spc.shift_length),
            (analysis.SPC_BASELINE_POINTS, report.spc.baseline_points, None),
        ):
            if value != default:
                rows.append([name, value])
    return rows


def area_grid(sheet: str, area: ServiceArea, indicators: Iterable[Indicator]) -> SheetGrid:
    """The header block (Service Area, Department, people), a blank row, the table."""
    indicators = list(indicators)
    rows: list[list[CellValue]] = [["Service Area", area.name]]
    if area.department:
        rows.append(["Department", area.department])
    rows += [[person.role, person.name] for person in area.people]
    rows.append([])
    periods = _periods(indicators)
    before, after = (_laid_out(columns, indicators) for columns in (BEFORE_PERIODS, AFTER_PERIODS))
    headers: list[CellValue] = [column.value for column in before]
    headers += [datetime(p.year, p.month, 1) for p in periods]
    headers += [column.value for column in after]
    rows.append(headers)
    rows += [_row(indicator, before, periods, after) for indicator in indicators]
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


def _laid_out(columns: Sequence[Column], indicators: Sequence[Indicator]) -> list[Column]:
    """The columns a sheet has: every one always laid out, the others when a row uses them."""
    return [
        column
        for column in columns
        if column.spec.always_laid_out
        or any(_cell(indicator, column) is not None for indicator in indicators)
    ]


def _cell(indicator: Indicator, column: Column) -> CellValue:
    value = getattr(indicator, column.spec.attribute)
    return value.value if isinstance(value, Enum) else value  # type: ignore[no-any-return]


def _row(
    indicator: Indicator, before: Sequence[Column], periods: list[date], after: Sequence[Column]
) -> list[CellValue]:
    row: list[CellValue] = [_cell(indicator, column) for column in before]
    for period in periods:
        if period not in indicator.values:
            row.append(None)
        else:
            value = indicator.values[period]
            row.append(NOT_AVAILABLE_MARK if value is None else value)
    row += [_cell(indicator, column) for column in after]
    return row
