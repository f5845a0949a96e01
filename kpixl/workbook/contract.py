"""The workbook contract (SPEC section 3): sheet and header names, matched loosely.

The indicator table's columns are one typed table, :mod:`kpixl.core.columns`; the names here
are re-exported from it for the workbook layer.

Names are matched case- and space-insensitively (``Indicator Description``,
``indicator  description`` and ``INDICATORDESCRIPTION`` are the same header).
"""

from __future__ import annotations

from kpixl.core.columns import INPUTS, Computed, computed_in_force
from kpixl.core.columns import normalise as normalise  # re-exported: headers compare so
from kpixl.core.history import HISTORY_SHEET as HISTORY_SHEET  # re-exported
from kpixl.workbook.analysis_settings import ANALYSIS_SETTINGS
from kpixl.workbook.cells import choice_options as choice_options  # re-exported

SETTINGS_SHEET = "Settings"
SUMMARY_SHEET = "Summary"
DASHBOARD_SHEET = "Dashboard"
GENERATED_SHEETS = (SUMMARY_SHEET, DASHBOARD_SHEET, HISTORY_SHEET)
"""Sheets kpixl generates on every Calculate (``kpixl history`` hidden, SPEC 8.3)."""
CHARTS_SHEET = "Charts"
"""Generated only when the ``Charts`` setting is Yes (SPEC 8.5)."""
GUIDANCE_SHEET = "Guidance"
XLWINGS_CONF_SHEET = "xlwings.conf"
TARGETS_SHEET = "Targets"
"""The optional sheet of period-specific thresholds (SPEC 8.4)."""
NOT_INDICATOR_SHEETS = (
    *GENERATED_SHEETS,
    CHARTS_SHEET,
    SETTINGS_SHEET,
    GUIDANCE_SHEET,
    XLWINGS_CONF_SHEET,
    TARGETS_SHEET,
)
"""Sheets never read as indicator sheets (names matched case-insensitively)."""
GENERATED_MARK = "KPIXL_GENERATED"
"""Sheet-scoped defined name that marks a sheet kpixl generated (and may replace)."""

HEADER_SEARCH_ROWS = 20
"""The header row (with ``Ref`` and ``Indicator description``) is one of the first 20 rows."""

# Settings (column "Setting" -> "Value")
REPORT_TITLE = "Report title"
PRODUCED_BY = "Produced by"
REPORTING_MONTH = "Reporting month"
FY_START_MONTH = "Financial year start month"
AMBER_TOLERANCE = "Amber tolerance"
SETTINGS = (
    REPORT_TITLE,
    PRODUCED_BY,
    REPORTING_MONTH,
    FY_START_MONTH,
    AMBER_TOLERANCE,
    *ANALYSIS_SETTINGS,
)

# Label/value pairs above the header row of an indicator sheet.
AREA_LABELS = ("Service Area", "Department", "Director", "Head of Service", "Cabinet Member")

# The indicator table's columns: one table, kpixl.core.columns; these are its header texts.
INPUT_COLUMNS = {column.value: column.spec.attribute for column in INPUTS}
"""Input header as written in the template -> the Indicator field it fills, in template order."""

# Computed columns, written by kpixl in this order, right of the table when absent.
LATEST_PERIOD = Computed.LATEST_PERIOD.value
LATEST_VALUE = Computed.LATEST_VALUE.value
LATEST_RAG = Computed.LATEST_RAG.value
YTD_VALUE = Computed.YTD_VALUE.value
YTD_RAG = Computed.YTD_RAG.value
IN_EXPECTED_RANGE = Computed.IN_EXPECTED_RANGE.value
DIRECTION = Computed.DIRECTION.value
VARIATION = Computed.VARIATION.value  # SPC On only (SPEC 8.2)
ASSURANCE = Computed.ASSURANCE.value  # SPC On only
CHECKS = Computed.CHECKS.value
COMPUTED_COLUMNS = tuple(column.value for column in computed_in_force())
"""The computed columns of a default workbook (every setting Off), in order."""

INPUT_BY_KEY = {
    normalise(name): column.value
    for column in INPUTS
    for name in (column.value, *column.spec.aliases)
}
"""Normalised header (or alias) -> the input header it names."""
COMPUTED_BY_KEY = {normalise(column.value): column.value for column in Computed}
AREA_BY_KEY = {normalise(label): label for label in AREA_LABELS}
SETTINGS_BY_KEY = {normalise(setting): setting for setting in SETTINGS}
