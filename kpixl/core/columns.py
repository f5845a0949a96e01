"""The indicator table's columns as one typed table (SPEC section 3).

Every input column is a member of :class:`Column`; its value is the header as written in the
template, and its :class:`ColumnSpec` says what the reader, the checks, the template and the
Dashboard do with it. :attr:`Column.VALUE` stands for the period columns (one per month). The
computed columns kpixl writes are the members of :class:`Computed`. Members are listed in the
order the template shows them: the columns after ``VALUE`` go right of the period columns.
Adding a column is one member here (plus the :class:`~kpixl.core.models.Indicator` field it
fills, and the rule that uses it).

Choice columns hold the enum that their ``Indicator`` field is declared with; the workbook
layer reads the options from there (``kpixl.workbook.contract.choice_options``).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "AFTER_PERIODS",
    "BEFORE_PERIODS",
    "DECIMALS_RANGE",
    "INPUTS",
    "THRESHOLDS",
    "UNITS",
    "Check",
    "Colouring",
    "Column",
    "ColumnSpec",
    "Computed",
    "ComputedSpec",
    "Kind",
    "Needs",
    "Rule",
    "Shows",
    "Validation",
    "column_by_key",
    "computed_by_key",
    "computed_in_force",
    "normalise",
]

DECIMALS_RANGE = (0, 10)
"""Decimals is a whole number from 0 to 10 (both included)."""
UNITS = ("%", "Number", "£000s", "Seconds")
"""Units offered in the Unit list (others may be typed: display only)."""


class Kind(StrEnum):
    """How a cell of the column is read (the reading itself lives in ``workbook.cells``)."""

    REF = "ref"  # the indicator's key
    DESCRIPTION = "description"  # text; blank reads as ""
    TEXT = "text"  # trimmed text
    NUMBER = "number"  # a number, or not available; other text is a problem
    CHOICE = "choice"  # one of the options of the enum the Indicator field holds
    DECIMALS = "decimals"  # a whole number in DECIMALS_RANGE
    PREVIOUS_YEAR = "previous year"  # a number, or a note kept as text
    PERIOD = "period"  # a period column's value: a number, or not available


class Check(StrEnum):
    """Data checks (SPEC section 4) that apply to a column's numbers."""

    FINITE = "finite"  # infinity or NaN is not a usable number
    PERCENT = "percent"  # on a % indicator, 65 was meant as 65%


class Rule(StrEnum):
    """The template's data validation of a column."""

    NONE = "none"  # an input message only
    UNIQUE_REF = "unique ref"  # a Ref not used twice on the sheet
    OTHER_REF = "other ref"  # the Ref of an indicator on the sheet (a warning)
    TEXT_LENGTH = "text length"  # at most 1,000 characters (a warning)
    LIST = "list"  # one of the options
    WHOLE = "whole"  # a whole number in DECIMALS_RANGE
    NUMBER = "number"  # a number, or a not-available mark


@dataclass(frozen=True)
class Validation:
    """How the template guards a column: the rule, its input message and, for lists, the
    options (a column's choices unless given) and whether others are refused."""

    rule: Rule
    prompt: str
    options: tuple[str, ...] = ()
    strict: bool = True
    error: str = ""  # the refusal text, when not the rule's usual one


@dataclass(frozen=True)
class ColumnSpec:
    """One input column: where its cell goes, how it is read, checked, guarded and shown."""

    header: str  # as written in the template (SPEC's name)
    attribute: str  # the Indicator field it fills
    kind: Kind
    validation: Validation
    aliases: tuple[str, ...] = ()  # other headers accepted (compared normalised)
    threshold: bool = False  # a threshold the rating compares against
    checks: frozenset[Check] = frozenset()
    always_laid_out: bool = True  # False: a generated sheet has it only when a row uses it
    width: float = 11.0  # template column width
    wrap: bool = False  # prose, wrapped in its cell
    dashboard: str | None = None  # "KPI" or "Activity": the Dashboard table that shows it


_NUMBER_CHECKS = frozenset({Check.FINITE, Check.PERCENT})


def _threshold(
    header: str, prompt: str, dashboard: str, aliases: tuple[str, ...] = ()
) -> ColumnSpec:
    return ColumnSpec(
        header,
        header.lower(),
        Kind.NUMBER,
        Validation(Rule.NUMBER, prompt),
        aliases=aliases,
        threshold=True,
        checks=_NUMBER_CHECKS,
        dashboard=dashboard,
    )


def _ratio_ref(header: str) -> ColumnSpec:
    return ColumnSpec(
        header,
        header.lower(),
        Kind.TEXT,
        Validation(
            Rule.OTHER_REF, f"For YTD method Ratio: the Ref of the {header.lower()} indicator."
        ),
        always_laid_out=False,
    )


class Column(StrEnum):
    """The input columns of an indicator sheet, in template order; a member is its header."""

    spec: ColumnSpec
    _value_: str

    def __new__(cls, spec: ColumnSpec) -> Column:
        member = str.__new__(cls, spec.header)
        member._value_ = spec.header
        member.spec = spec
        return member

    REF = ColumnSpec(
        "Ref",
        "ref",
        Kind.REF,
        Validation(Rule.UNIQUE_REF, "A short unique code for the indicator, e.g. FN07."),
        width=15.0,
    )
    DESCRIPTION = ColumnSpec(
        "Indicator description",
        "description",
        Kind.DESCRIPTION,
        Validation(
            Rule.TEXT_LENGTH, "What the indicator measures, as it should read on the Dashboard."
        ),
        width=48.0,
        wrap=True,
    )
    TYPE = ColumnSpec(
        "Type",
        "type",
        Kind.CHOICE,
        Validation(Rule.LIST, "KPI (rated RAG) or Activity (checked against a range)."),
    )
    FREQUENCY = ColumnSpec(
        "Frequency",
        "frequency",
        Kind.CHOICE,
        Validation(Rule.LIST, "How often a value is reported."),
    )
    POLARITY = ColumnSpec(
        "Polarity",
        "polarity",
        Kind.CHOICE,
        Validation(Rule.LIST, "Is a higher or a lower value better? Blank: from Target and Floor."),
    )
    UNIT = ColumnSpec(
        "Unit",
        "unit",
        Kind.TEXT,
        Validation(
            Rule.LIST,
            "% for percentages (stored as fractions), or a unit to show.",
            options=UNITS,
            strict=False,
        ),
    )
    DECIMALS = ColumnSpec(
        "Decimals",
        "decimals",
        Kind.DECIMALS,
        Validation(Rule.WHOLE, "Decimal places shown and rated (0 rates 84.5% as 85%)."),
    )
    TARGET = _threshold("Target", "KPI: the value to achieve for GREEN.", "KPI")
    FLOOR = _threshold(
        "Floor", "KPI: the Floor Standard; below it is RED.", "KPI", aliases=("Floor standard",)
    )
    UPPER = _threshold(
        "Upper",
        "Activity: top of the expected range, compared with the YTD value (with a YTD method), "
        "else the latest value.",
        "Activity",
    )
    LOWER = _threshold(
        "Lower",
        "Activity: bottom of the expected range, compared with the YTD value (with a YTD "
        "method), else the latest value.",
        "Activity",
    )
    TOLERANCE = ColumnSpec(
        "Tolerance",
        "tolerance",
        Kind.NUMBER,
        Validation(
            Rule.NUMBER,
            "KPI without a Floor: how far short of the Target is still AMBER (10% = 0.1).",
        ),
        checks=frozenset({Check.FINITE}),
        always_laid_out=False,
    )
    YTD_METHOD = ColumnSpec(
        "YTD method",
        "ytd_method",
        Kind.CHOICE,
        Validation(Rule.LIST, "How the year-to-date value is worked out."),
    )
    YTD = ColumnSpec(
        "YTD",
        "ytd_entered",
        Kind.NUMBER,
        Validation(Rule.NUMBER, "The year-to-date figure, used by YTD method Entered."),
        checks=_NUMBER_CHECKS,
    )
    NUMERATOR = _ratio_ref("Numerator")
    DENOMINATOR = _ratio_ref("Denominator")
    PREVIOUS_YEAR = ColumnSpec(
        "Previous year",
        "previous_year",
        Kind.PREVIOUS_YEAR,
        Validation(Rule.NONE, "Last year's result (a number), or a note such as New indicator."),
        checks=_NUMBER_CHECKS,
    )
    VALUE = ColumnSpec(
        "value",
        "values",
        Kind.PERIOD,
        Validation(
            Rule.NUMBER,
            "This month's value. * or n/a when not available; blank when not yet due.",
            error="A period value must be a number (type 65% as 65%), or * or n/a.",
        ),
        checks=_NUMBER_CHECKS,
        width=9.0,
    )
    COMMENTARY = ColumnSpec(
        "Commentary",
        "commentary",
        Kind.TEXT,
        Validation(Rule.NONE, "Shown under the KPI table on the Dashboard."),
        width=80.0,
        wrap=True,
    )


INPUTS = tuple(column for column in Column if column is not Column.VALUE)
"""The input columns with a header of their own (every column but the period columns)."""
BEFORE_PERIODS = INPUTS[: list(Column).index(Column.VALUE)]
AFTER_PERIODS = INPUTS[len(BEFORE_PERIODS) :]
"""Input columns placed right of the period columns (those listed after ``VALUE``)."""
THRESHOLDS = tuple(column for column in Column if column.spec.threshold)


class Shows(StrEnum):
    """What a computed column shows of a :class:`~kpixl.core.models.Result`."""

    PERIOD = "period"  # a period, as its label (Oct-23)
    FIGURE = "figure"  # a number, in the indicator's number format
    RAG = "rag"  # a KPI's rating, N/A when unrated; blank on an activity row
    ALERT = "alert"  # an activity's alert, N/A when none; blank on a KPI row
    WORD = "word"  # an option's text (Improving...)
    LABEL = "label"  # an option's text, N/A when its setting is On but there is none
    CHECKS = "checks"  # the row's data problems, in words


class Colouring(StrEnum):
    """Conditional formatting on a computed column's text."""

    RAG = "rag"  # GREEN / AMBER / RED
    ALERT = "alert"  # Yes / Above / Below
    VARIATION = "variation"  # Common cause / Improvement / Concern / Neutral (NHS MDC colours)
    ASSURANCE = "assurance"  # Consistently passing / Consistently failing / Hit and miss


class Needs(StrEnum):
    """A setting that must be On for kpixl to add a computed column (SPEC 8).

    A column that needs a setting is appended only while the setting is On; one already on a
    sheet stays where it is, and with the setting Off its cells are cleared (blank)."""

    SPC = "SPC"


@dataclass(frozen=True)
class ComputedSpec:
    header: str
    shows: Shows
    attribute: str | None = None  # the Result field shown (None: the row's problems)
    colour: Colouring | None = None
    width: float = 11.0  # template column width
    needs: Needs | None = None  # None: always written


class Computed(StrEnum):
    """The computed columns, in the order kpixl appends them; a member is its header."""

    spec: ComputedSpec
    _value_: str

    def __new__(cls, spec: ComputedSpec) -> Computed:
        member = str.__new__(cls, spec.header)
        member._value_ = spec.header
        member.spec = spec
        return member

    LATEST_PERIOD = ComputedSpec("Latest period", Shows.PERIOD, "latest_period")
    LATEST_VALUE = ComputedSpec("Latest value", Shows.FIGURE, "latest_value")
    LATEST_RAG = ComputedSpec("Latest RAG", Shows.RAG, "latest_rag", Colouring.RAG)
    YTD_VALUE = ComputedSpec("YTD value", Shows.FIGURE, "ytd_value")
    YTD_RAG = ComputedSpec("YTD RAG", Shows.RAG, "ytd_rag", Colouring.RAG)
    IN_EXPECTED_RANGE = ComputedSpec("In expected range?", Shows.ALERT, "alert", Colouring.ALERT)
    DIRECTION = ComputedSpec("Direction of travel", Shows.WORD, "direction")
    VARIATION = ComputedSpec(
        "Variation", Shows.LABEL, "variation", Colouring.VARIATION, needs=Needs.SPC
    )
    ASSURANCE = ComputedSpec(
        "Assurance", Shows.LABEL, "assurance", Colouring.ASSURANCE, needs=Needs.SPC
    )
    CHECKS = ComputedSpec("Checks", Shows.CHECKS, width=40.0)


def computed_in_force(on: Collection[Needs] = ()) -> tuple[Computed, ...]:
    """The computed columns kpixl adds when absent, in order, with the settings ``on`` On
    (none: the columns of a default workbook)."""
    return tuple(column for column in Computed if column.spec.needs in (None, *on))


_SPACES = re.compile(r"\s+")


def normalise(name: object) -> str:
    """The form headers are compared in: lower case, no whitespace at all."""
    return _SPACES.sub("", str(name)).lower() if name is not None else ""


def _by_key() -> dict[str, Column]:
    found: dict[str, Column] = {}
    for column in INPUTS:
        for name in (column.spec.header, *column.spec.aliases):
            key = normalise(name)
            if key in found:
                raise ValueError(f"header {name!r} names two columns")  # a table error
            found[key] = column
    return found


_COLUMN_BY_KEY = _by_key()
_COMPUTED_BY_KEY = {normalise(column.value): column for column in Computed}


def column_by_key(header: object) -> Column | None:
    """The input column a header cell names (case, spaces and aliases forgiven), if any."""
    return _COLUMN_BY_KEY.get(normalise(header))


def computed_by_key(header: object) -> Computed | None:
    """The computed column a header cell names (case and spaces forgiven), if any."""
    return _COMPUTED_BY_KEY.get(normalise(header))
