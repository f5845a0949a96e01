"""The workbook contract (SPEC section 3): sheet and header names, matched loosely.

Names are matched case- and space-insensitively (``Indicator Description``,
``indicator  description`` and ``INDICATORDESCRIPTION`` are the same header).
"""

from __future__ import annotations

import re

from kpixl.workbook.analysis_settings import ANALYSIS_SETTINGS

SETTINGS_SHEET = "Settings"
SUMMARY_SHEET = "Summary"
DASHBOARD_SHEET = "Dashboard"
GENERATED_SHEETS = (SUMMARY_SHEET, DASHBOARD_SHEET)
GUIDANCE_SHEET = "Guidance"
XLWINGS_CONF_SHEET = "xlwings.conf"
TARGETS_SHEET = "Targets"
"""The optional sheet of period-specific thresholds (SPEC 8.4)."""
NOT_INDICATOR_SHEETS = (
    *GENERATED_SHEETS,
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

# Input columns: header as written in the template -> Indicator field.
INPUT_COLUMNS = {
    "Ref": "ref",
    "Indicator description": "description",
    "Type": "type",
    "Frequency": "frequency",
    "Polarity": "polarity",
    "Unit": "unit",
    "Decimals": "decimals",
    "Target": "target",
    "Floor": "floor",
    "Upper": "upper",
    "Lower": "lower",
    "YTD method": "ytd_method",
    "YTD": "ytd_entered",
    "Numerator": "numerator",
    "Denominator": "denominator",
    "Previous year": "previous_year",
    "Commentary": "commentary",
}

# Computed columns, written by kpixl in this order, right of the table when absent.
LATEST_PERIOD = "Latest period"
LATEST_VALUE = "Latest value"
LATEST_RAG = "Latest RAG"
YTD_VALUE = "YTD value"
YTD_RAG = "YTD RAG"
IN_EXPECTED_RANGE = "In expected range?"
DIRECTION = "Direction of travel"
CHECKS = "Checks"
COMPUTED_COLUMNS = (
    LATEST_PERIOD,
    LATEST_VALUE,
    LATEST_RAG,
    YTD_VALUE,
    YTD_RAG,
    IN_EXPECTED_RANGE,
    DIRECTION,
    CHECKS,
)

_SPACES = re.compile(r"\s+")


def normalise(name: object) -> str:
    """The form headers are compared in: lower case, no whitespace at all."""
    return _SPACES.sub("", str(name)).lower() if name is not None else ""


INPUT_BY_KEY = {normalise(header): header for header in INPUT_COLUMNS}
COMPUTED_BY_KEY = {normalise(header): header for header in COMPUTED_COLUMNS}
AREA_BY_KEY = {normalise(label): label for label in AREA_LABELS}
SETTINGS_BY_KEY = {normalise(setting): setting for setting in SETTINGS}
