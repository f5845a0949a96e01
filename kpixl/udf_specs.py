"""The worksheet functions' signatures, as plain data: the one source for ``kpixl.udfs``
(names, defaults, docstrings, ``xw.arg`` docs) and for the VBA wrappers in the template.

Texts are what Excel's function wizard shows (at most 255 characters each).
"""

from __future__ import annotations

from dataclasses import dataclass

MODULE = "kpixl.udfs"
"""The Python module the VBA wrappers name in ``XLPy.CallUDF``."""
CATEGORY = "kpixl"


@dataclass(frozen=True)
class UdfArg:
    """One argument. ``default`` is the repr of the Python default (``None`` when required)."""

    name: str
    description: str
    optional: bool = False
    default: str | None = None


@dataclass(frozen=True)
class UdfSpec:
    """One worksheet function: the Excel name, the Python function, and its texts."""

    name: str
    python_name: str
    description: str
    args: tuple[UdfArg, ...]
    category: str = CATEGORY

    def arg(self, name: str) -> UdfArg:
        for arg in self.args:
            if arg.name == name:
                return arg
        raise KeyError(name)


def _opt(name: str, description: str, default: str = "None") -> UdfArg:
    return UdfArg(name, description, optional=True, default=default)


_VALUES_ROW = "A row of period values (a range of several rows gives one result per row)."
_PERIODS = (
    "Optional: the period header row over the values (dates or text such as Apr-23). "
    "Without it the values are taken in order, the last one being the latest."
)
_REPORTING_MONTH = (
    "Optional: the reporting month (a date or text such as Oct-23). Default: the last period."
)
_FREQUENCY = (
    "Optional: Monthly or Quarterly, as the Frequency column: a quarterly row counts only "
    "quarter ends (of the financial year). Blank: Monthly."
)
_FY_START = "Optional: first month of the financial year, as on Settings: 4 or April (default)."
_UNIT = (
    "Optional: the Unit column; % checks that no value was typed as a whole number (76 for 76%)."
)
_PROBLEM = "A cell the Checks column would report gives #KPI: and the problem."
_REF = _opt("ref", "With targets: the indicator's Ref, as the Ref column of targets has it.")
_PERIOD = _opt(
    "period",
    "With targets: the month of the value (a date or text such as Oct-23), e.g. the period "
    "header over it.",
)

KPI_RAG = UdfSpec(
    name="KPI_RAG",
    python_name="KPI_RAG",
    description=(
        "RAG rating of a value against its Target and Floor, or a tolerance, or its period's "
        "row in a Targets range, as Calculate RAG rates it: GREEN, AMBER, RED, or N/A (no "
        f"value). {_PROBLEM}"
    ),
    args=(
        UdfArg("value", "The value to rate: a cell or a range. Blank, * or n/a give N/A."),
        UdfArg("target", "The Target: a cell, or a range the same size as value."),
        UdfArg("floor", "The Floor Standard. Leave it blank for GREEN-or-RED against the Target."),
        _opt(
            "polarity",
            "Optional: Higher or Lower (is better). Blank: lower is better when the Target is "
            "below the Floor.",
        ),
        _opt(
            "decimals",
            "Optional: round the value to this many decimals, as it is shown, before rating.",
        ),
        _opt(
            "unit",
            "Optional: % when the decimals count in percent (0.845 is 84.5%); % also checks "
            "that no figure was typed as a whole number (76 for 76%).",
        ),
        _opt(
            "tolerance",
            "Optional: the Tolerance column or the Amber tolerance setting, a fraction (10% = "
            "0.1): with no Floor, AMBER is within that fraction of the Target. A Floor wins.",
        ),
        _opt(
            "targets",
            "Optional: a Targets range with its header row (Ref, Period, Target, Floor...), "
            "e.g. Targets!$A$4:$F$204: the value is rated against the Target and Floor of its "
            "ref and period there, else target and floor.",
        ),
        _REF,
        _PERIOD,
    ),
)

KPI_ALERT = UdfSpec(
    name="KPI_ALERT",
    python_name="KPI_ALERT",
    description=(
        "Whether an activity value is in its expected range, Lower then Upper: Yes, Above, "
        f"Below, or N/A when the value or both thresholds are missing. {_PROBLEM}"
    ),
    args=(
        UdfArg("value", "The value to check: a cell or a range. Blank, * or n/a give N/A."),
        UdfArg("lower", "The Lower threshold, the first of the two (blank: no lower bound)."),
        UdfArg("upper", "The Upper threshold, the second (blank: no upper bound)."),
        _opt("unit", _UNIT),
        _opt(
            "targets",
            "Optional: a Targets range with its header row (Ref, Period, ..., Upper, Lower), "
            "e.g. Targets!$A$4:$F$204: the value is checked against the Upper and Lower of its "
            "ref and period there, else lower and upper.",
        ),
        _REF,
        _PERIOD,
    ),
)

KPI_YTD = UdfSpec(
    name="KPI_YTD",
    python_name="KPI_YTD",
    description=(
        "Year-to-date value over this financial year up to the reporting month, by method, as "
        f"Calculate RAG computes it. N/A when there is nothing to count. {_PROBLEM}"
    ),
    args=(
        UdfArg("values", _VALUES_ROW),
        UdfArg(
            "method",
            "Mean (Average), Sum (Total), Latest (Cumulative), Ratio, Entered or None: a cell, "
            "or one per row. Blank: Entered when entered has a value.",
        ),
        _opt("periods", _PERIODS),
        _opt("reporting_month", _REPORTING_MONTH),
        _opt("fy_start_month", _FY_START, "4"),
        _opt("entered", "Optional: the typed YTD figure, used by the Entered method."),
        _opt(
            "numerator",
            "Optional, for Ratio: the value row of the indicator whose Ref is in Numerator, "
            "e.g. XLOOKUP(ref, A:A, I:T), lined up with values.",
        ),
        _opt(
            "denominator",
            "Optional, for Ratio: the value row of the indicator whose Ref is in Denominator.",
        ),
        _opt("frequency", _FREQUENCY),
        _opt("unit", _UNIT),
    ),
)

KPI_LATEST = UdfSpec(
    name="KPI_LATEST",
    python_name="KPI_LATEST",
    description=(
        "The most recent value that is available (not blank, * or n/a), at or before the "
        f"reporting month. N/A when there is none. {_PROBLEM}"
    ),
    args=(
        UdfArg("values", _VALUES_ROW),
        _opt("periods", _PERIODS),
        _opt("reporting_month", _REPORTING_MONTH),
        _opt("frequency", _FREQUENCY),
        _opt("fy_start_month", _FY_START, "4"),
        _opt("unit", _UNIT),
    ),
)

_METHOD = (
    "Optional: Previous period (default) or Regression, as the Settings sheet's Direction of "
    "travel method."
)
_TREND_PERIODS = (
    "Optional, for Regression: how many of the latest values the line is fitted to (4 to 120). "
    "Blank: 12 monthly, 8 quarterly."
)
_TREND_CONFIDENCE = "Optional, for Regression: the Trend confidence, such as 95% (the default)."
_TREND_ARGS = (
    _opt("method", _METHOD),
    _opt("trend_periods", _TREND_PERIODS),
    _opt("trend_confidence", _TREND_CONFIDENCE),
)

KPI_DOT = UdfSpec(
    name="KPI_DOT",
    python_name="KPI_DOT",
    description=(
        "Direction of travel by method: the latest value against the previous one, or a "
        "regression. Improving, Worsening, No change or No clear trend with a polarity; Up or "
        f"Down without. {_PROBLEM}"
    ),
    args=(
        UdfArg("values", _VALUES_ROW),
        _opt("polarity", "Optional: Higher or Lower (is better): a cell, or one per row."),
        _opt("periods", _PERIODS),
        _opt("reporting_month", _REPORTING_MONTH),
        _opt("frequency", _FREQUENCY),
        _opt("fy_start_month", _FY_START, "4"),
        _opt("unit", _UNIT),
        *_TREND_ARGS,
    ),
)

KPI_SPC = UdfSpec(
    name="KPI_SPC",
    python_name="KPI_SPC",
    description=(
        "SPC (NHS Making Data Count) as the Variation or Assurance column with SPC On: Common "
        "cause, Improvement (high)..., or Hit and miss, Consistently passing or failing. N/A: "
        f"too few values. {_PROBLEM}"
    ),
    args=(
        UdfArg("values", _VALUES_ROW + " More than 12 values need their periods."),
        _opt("periods", _PERIODS),
        _opt("reporting_month", _REPORTING_MONTH),
        _opt(
            "polarity",
            "Optional: Higher or Lower (is better): a cell, or one per row. Blank with a Target: "
            "as the RAG reads it.",
        ),
        _opt("target", "Optional: the Target (makes the row a KPI): a cell, or one per row."),
        _opt("kind", "Optional: Variation (default) or Assurance."),
        _opt("frequency", _FREQUENCY),
        _opt("fy_start_month", _FY_START, "4"),
        _opt("unit", _UNIT),
        _opt("minimum_points", "Optional: the SPC minimum points (default 15)."),
        _opt("trend_length", "Optional: the SPC trend length (default 7)."),
        _opt("shift_length", "Optional: the SPC shift length (default 7)."),
        _opt(
            "baseline_points",
            "Optional: the SPC baseline points: limits from the first so many values. Blank: all.",
        ),
    ),
)

SPECS: tuple[UdfSpec, ...] = (KPI_RAG, KPI_ALERT, KPI_YTD, KPI_LATEST, KPI_DOT, KPI_SPC)
"""Every worksheet function, in the order the wrappers are written."""
