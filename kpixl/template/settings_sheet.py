"""The template's Settings sheet: the ``Setting | Value | Notes`` table (SPEC section 3 and 8),
every setting kpixl reads in ``contract.SETTINGS`` order, each with its default (or the
report's value), a note, a number format and data validation.

The choices a validation offers come from the core's enums; the number ranges are the ones the
Settings reader accepts (``kpixl.workbook.analysis_settings``), checked by the template tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openpyxl.styles import Alignment
from openpyxl.worksheet.datavalidation import DataValidation

from kpixl.core.models import CommentaryRule, DirectionMethod, Report, SpcSettings
from kpixl.template.layout import Ws, fit_to_width, style, validation
from kpixl.workbook import analysis_settings as analysis
from kpixl.workbook import contract

__all__ = ["SettingRow", "setting_rows", "write_settings"]


@dataclass(frozen=True)
class SettingRow:
    """One setting: its value, note, number format, and how its Value cell is validated."""

    name: str
    value: Any
    note: str
    number_format: str | None = None
    check: DataValidation | None = None


def _whole(name: str, low: int, high: int, prompt: str) -> DataValidation:
    return validation(
        "whole",
        prompt,
        f"The {name} must be a whole number from {low} to {high}.",
        operator="between",
        formula1=str(low),
        formula2=str(high),
    )


def _choices(name: str, options: list[str], prompt: str) -> DataValidation:
    return validation(
        "list",
        prompt,
        f"The {name} must be one of: {', '.join(options)}.",
        formula1='"' + ",".join(options) + '"',
    )


def _fraction(name: str, low: str, high: str, prompt: str) -> DataValidation:
    return validation(
        "decimal",
        prompt,
        f"The {name} must be a percentage, such as 10%.",
        operator="between",
        formula1=low,
        formula2=high,
    )


def setting_rows(report: Report) -> list[SettingRow]:
    """Every setting of the Settings sheet, in ``contract.SETTINGS`` order, with ``report``'s
    values (the defaults, for the example report)."""
    month = report.reporting_month
    spc = report.spc or SpcSettings()
    trend = report.trend
    known = {
        contract.REPORT_TITLE: SettingRow(
            contract.REPORT_TITLE, report.title, "The title at the top of Summary and Dashboard."
        ),
        contract.PRODUCED_BY: SettingRow(
            contract.PRODUCED_BY, report.produced_by, "Shown under the title and in the footer."
        ),
        contract.REPORTING_MONTH: SettingRow(
            contract.REPORTING_MONTH,
            datetime(month.year, month.month, 1),
            "The month results are reported up to: a date, any day of the month.",
            "mmm yyyy",
            validation(
                "date",
                "Any day of the reporting month, e.g. 1/10/2023.",
                "The Reporting month must be a date, e.g. 1/10/2023.",
                operator="greaterThan",
                formula1="36526",  # 1 January 2000
            ),
        ),
        contract.FY_START_MONTH: SettingRow(
            contract.FY_START_MONTH,
            report.fy_start_month,
            "First month of the financial year as a number: 4 = April.",
            "0",
            _whole(contract.FY_START_MONTH, 1, 12, "4 = April, 1 = January."),
        ),
        contract.AMBER_TOLERANCE: SettingRow(
            contract.AMBER_TOLERANCE,
            report.amber_tolerance,
            "Blank (default): a KPI without a Floor is GREEN or RED. A percentage such as 10%: "
            "such a KPI is AMBER within 10% of its Target (its own Tolerance column wins; a "
            "Floor always wins).",
            "0%",
            _fraction(
                contract.AMBER_TOLERANCE, "0", "1", "A percentage such as 10%, or leave blank."
            ),
        ),
        analysis.DIRECTION_METHOD: SettingRow(
            analysis.DIRECTION_METHOD,
            trend.method.value,
            "Previous period (default): the latest value against the one before. Regression: "
            "the slope over the Trend periods, if it is significant at the Trend confidence.",
            None,
            _choices(
                analysis.DIRECTION_METHOD,
                [m.value for m in DirectionMethod],
                "Previous period or Regression.",
            ),
        ),
        analysis.TREND_PERIODS: SettingRow(
            analysis.TREND_PERIODS,
            trend.periods,
            "For Regression: how many latest values. Blank (default): 12 monthly, 8 "
            "quarterly, 6 six-monthly, 5 annual.",
            "0",
            _whole(analysis.TREND_PERIODS, 4, 120, "A whole number from 4 to 120, or blank."),
        ),
        analysis.TREND_CONFIDENCE: SettingRow(
            analysis.TREND_CONFIDENCE,
            trend.confidence,
            "For Regression: how sure the slope must be to count (default 95%).",
            "0%",
            _fraction(analysis.TREND_CONFIDENCE, "0.0001", "0.9999", "A percentage, e.g. 95%."),
        ),
        analysis.SPC: SettingRow(
            analysis.SPC,
            "On" if report.spc is not None else "Off",
            "Off (default) or On: statistical process control, Variation and Assurance on "
            "the Dashboard.",
            None,
            _choices(analysis.SPC, ["Off", "On"], "Off or On."),
        ),
        analysis.SPC_BASELINE_POINTS: SettingRow(
            analysis.SPC_BASELINE_POINTS,
            spc.baseline_points,
            "How many first values set the mean and limits. Blank (default): every value.",
            "0",
            _whole(analysis.SPC_BASELINE_POINTS, 2, 100_000, "A whole number from 2, or blank."),
        ),
        analysis.SPC_MINIMUM_POINTS: SettingRow(
            analysis.SPC_MINIMUM_POINTS,
            spc.minimum_points,
            "Fewest values for SPC to judge an indicator (default 15).",
            "0",
            _whole(analysis.SPC_MINIMUM_POINTS, 2, 1000, "A whole number from 2."),
        ),
        analysis.SPC_TREND_LENGTH: SettingRow(
            analysis.SPC_TREND_LENGTH,
            spc.trend_length,
            "Values rising or falling in a row that make a trend (default 7).",
            "0",
            _whole(analysis.SPC_TREND_LENGTH, 2, 1000, "A whole number from 2."),
        ),
        analysis.SPC_SHIFT_LENGTH: SettingRow(
            analysis.SPC_SHIFT_LENGTH,
            spc.shift_length,
            "Values on one side of the mean in a row that make a shift (default 7).",
            "0",
            _whole(analysis.SPC_SHIFT_LENGTH, 1, 1000, "A whole number from 1."),
        ),
        analysis.COMMENTARY_REQUIRED_FOR: SettingRow(
            analysis.COMMENTARY_REQUIRED_FOR,
            report.commentary_required_for.value,
            "RED (default), RED and AMBER, or None: a warning for each such KPI with no "
            "Commentary.",
            None,
            _choices(
                analysis.COMMENTARY_REQUIRED_FOR,
                [rule.value for rule in CommentaryRule],
                "RED, RED and AMBER, or None.",
            ),
        ),
    }
    return [known.get(name) or SettingRow(name, None, "See the Guidance sheet.") for name in
            contract.SETTINGS]  # fmt: skip


def write_settings(ws: Ws, report: Report) -> None:
    """The ``Setting | Value | Notes`` table from A1."""
    for col, header in enumerate(("Setting", "Value", "Notes"), start=1):
        style(ws.cell(1, col, header), "header")
    for row, setting in enumerate(setting_rows(report), start=2):
        style(ws.cell(row, 1, setting.name), "label")
        cell = ws.cell(row, 2, setting.value)
        style(cell, "text")
        if setting.number_format:
            cell.number_format = setting.number_format
        cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        note = style(ws.cell(row, 3, setting.note), "note")
        note.alignment = Alignment(vertical="top", wrap_text=True)
        if setting.check is not None:
            setting.check.add(f"B{row}")
            ws.add_data_validation(setting.check)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 60
    ws.freeze_panes = "A2"
    fit_to_width(ws, landscape=True)
