"""Analysis settings given to a worksheet function as arguments (``=KPI_DOT(..., method)``,
``=KPI_SPC(...)``), read exactly as the Settings sheet reads them
(:func:`kpixl.workbook.analysis_settings.read_analysis`): the same words, the same defaults,
and what the sheet would report as a Settings problem is the function's ``#KPI:`` answer.
"""

from __future__ import annotations

from collections.abc import Mapping

from kpixl.udf_cells import CellError, excel_cell, omitted, single_cell
from kpixl.workbook import analysis_settings as setting
from kpixl.workbook.analysis_settings import Analysis, read_analysis

__all__ = ["SPC_ARGUMENTS", "TREND_ARGUMENTS", "analysis"]

TREND_ARGUMENTS = {
    "method": setting.DIRECTION_METHOD,
    "trend_periods": setting.TREND_PERIODS,
    "trend_confidence": setting.TREND_CONFIDENCE,
}
"""KPI_DOT's (and KPI_SPC's) argument -> the Settings sheet's setting it stands for."""
SPC_ARGUMENTS = {
    "minimum_points": setting.SPC_MINIMUM_POINTS,
    "trend_length": setting.SPC_TREND_LENGTH,
    "shift_length": setting.SPC_SHIFT_LENGTH,
    "baseline_points": setting.SPC_BASELINE_POINTS,
}
"""KPI_SPC's argument -> its setting (SPC itself is On for the function)."""


def analysis(arguments: Mapping[str, object], spc: bool = False) -> Analysis:
    """The settings the ``arguments`` (by argument name) give, with ``SPC`` On when ``spc``;
    an unusable one raises the Settings sheet's problem as a :class:`CellError`."""
    names = {**TREND_ARGUMENTS, **SPC_ARGUMENTS}
    found = {
        names[name]: (name, excel_cell(single_cell(raw, name)))
        for name, raw in arguments.items()
        if not omitted(raw)
    }
    if spc:
        found[setting.SPC] = ("SPC", "On")
    read = read_analysis(None, found)
    for problem in read.problems:
        for name, (argument, _) in found.items():
            said = f"The {name} setting "
            if problem.message.startswith(said):
                # "method 'Bogus' cannot be used: type Previous period or Regression"
                advice = problem.message.replace(said, f"{argument} ", 1)
                raise CellError(advice.split("; until then")[0].split(", or leave it")[0])
    return read
