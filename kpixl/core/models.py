"""The data kpixl works on: indicators, service areas and a report, and what rating gives back.

Plain pydantic models with no knowledge of Excel. Percentages are fractions (65% = 0.65).
In ``Indicator.values`` a period that maps to ``None`` was typed as "not available"
(``*``, ``n/a``), which is different from zero; a blank period is simply absent.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from kpixl.core.columns import Column
from kpixl.core.units import is_percent_unit

NOT_AVAILABLE = "N/A"


class Rag(StrEnum):
    GREEN = "GREEN"
    AMBER = "AMBER"
    RED = "RED"


class Alert(StrEnum):
    """Whether an activity indicator is in its expected range."""

    YES = "Yes"
    ABOVE = "Above"
    BELOW = "Below"


class Direction(StrEnum):
    IMPROVING = "Improving"
    WORSENING = "Worsening"
    NO_CHANGE = "No change"
    UP = "Up"
    DOWN = "Down"
    NO_CLEAR_TREND = "No clear trend"
    """A regression slope that is not significant, or a constant series (SPEC 8.1)."""


class Variation(StrEnum):
    """SPC classification of the latest point (SPEC 8.2, NHS "Making Data Count")."""

    COMMON_CAUSE = "Common cause"
    IMPROVEMENT_HIGH = "Improvement (high)"
    IMPROVEMENT_LOW = "Improvement (low)"
    CONCERN_HIGH = "Concern (high)"
    CONCERN_LOW = "Concern (low)"
    NEUTRAL_HIGH = "Neutral (high)"
    NEUTRAL_LOW = "Neutral (low)"


class Assurance(StrEnum):
    """Whether the process limits show the Target will be met (SPEC 8.2)."""

    PASSING = "Consistently passing"
    FAILING = "Consistently failing"
    HIT_AND_MISS = "Hit and miss"


class Polarity(StrEnum):
    HIGHER = "Higher"
    LOWER = "Lower"


class IndicatorType(StrEnum):
    KPI = "KPI"
    ACTIVITY = "Activity"


class Frequency(StrEnum):
    """How often an indicator reports; each period ends a run of ``months`` months of the
    financial year (a quarter, a half-year, the year)."""

    MONTHLY = "Monthly"
    QUARTERLY = "Quarterly"
    SIX_MONTHLY = "Six-monthly"
    ANNUAL = "Annual"

    @property
    def months(self) -> int:
        """Months in one period: 1, 3, 6 or 12."""
        return _MONTHS_PER_PERIOD[self]


_MONTHS_PER_PERIOD = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.SIX_MONTHLY: 6,
    Frequency.ANNUAL: 12,
}


class YtdMethod(StrEnum):
    MEAN = "Mean"
    SUM = "Sum"
    LATEST = "Latest"
    RATIO = "Ratio"
    ENTERED = "Entered"
    NONE = "None"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(_Model):
    role: str
    name: str


class ServiceArea(_Model):
    name: str
    department: str | None = None
    people: tuple[Person, ...] = ()

    def person(self, *roles: str) -> Person | None:
        """The first person whose role contains one of ``roles`` (case-insensitive)."""
        for person in self.people:
            if any(role.lower() in person.role.lower() for role in roles):
                return person
        return None


class Thresholds(_Model):
    """Target, Floor, Upper and Lower of one period; None where not set."""

    target: float | None = None
    floor: float | None = None
    upper: float | None = None
    lower: float | None = None


class ThresholdTimeline(_Model):
    """Period-specific thresholds of one indicator (the ``Targets`` sheet, SPEC 8.4).

    Each period maps to the thresholds its row sets; a period without a row, and a threshold
    its row leaves blank, use the indicator row's value (see ``kpixl.core.targets``).
    """

    by_period: dict[date, Thresholds] = Field(default_factory=dict)


class Indicator(_Model):
    ref: str
    description: str = ""
    service_area: str = ""
    type: IndicatorType = IndicatorType.KPI
    frequency: Frequency = Frequency.MONTHLY
    polarity: Polarity | None = None
    unit: str | None = None
    decimals: int | None = Field(default=None, ge=0, le=10)
    target: float | None = None
    floor: float | None = None
    no_floor: bool = False
    """The Floor typed ``None``: a KPI rated against its Target alone on purpose."""
    upper: float | None = None
    lower: float | None = None
    tolerance: float | None = None
    """Amber within this fraction of the Target, for a KPI without a Floor (SPEC 8.4)."""
    ytd_method: YtdMethod | None = None
    ytd_entered: float | None = None
    numerator: str | None = None
    denominator: str | None = None
    previous_year: float | str | None = None
    commentary: str | None = None
    values: dict[date, float | None] = Field(default_factory=dict)

    @property
    def is_percent(self) -> bool:
        return is_percent_unit(self.unit)

    @property
    def is_kpi(self) -> bool:
        return self.type is IndicatorType.KPI

    @property
    def thresholds(self) -> Thresholds:
        """The indicator row's thresholds: those of every period without its own."""
        return Thresholds(target=self.target, floor=self.floor, upper=self.upper, lower=self.lower)


# ---------------------------------------------------------------- analysis settings
# (the Settings sheet's choices of SPEC 8.1-8.3; the rules live in trend, spc and history)

DEFAULT_TREND_CONFIDENCE = 0.95


class DirectionMethod(StrEnum):
    PREVIOUS_PERIOD = "Previous period"
    REGRESSION = "Regression"


class TrendSettings(_Model):
    """The Settings sheet's ``Direction of travel method``, ``Trend periods``, ``Trend
    confidence`` (a fraction: 95% = 0.95). ``periods`` None: the frequency's default."""

    method: DirectionMethod = DirectionMethod.PREVIOUS_PERIOD
    periods: int | None = Field(default=None, ge=1)
    confidence: float = Field(default=DEFAULT_TREND_CONFIDENCE, gt=0.0, lt=1.0)


class SpcSettings(_Model):
    """The Settings sheet's ``SPC minimum points``, ``SPC trend length``, ``SPC shift length``
    and ``SPC baseline points`` (None: the limits use every value)."""

    minimum_points: int = Field(default=15, ge=2)
    trend_length: int = Field(default=7, ge=2)
    shift_length: int = Field(default=7, ge=1)
    baseline_points: int | None = Field(default=None, ge=2)


class CommentaryRule(StrEnum):
    """The Settings sheet's ``Commentary required for``."""

    RED = "RED"
    RED_AND_AMBER = "RED and AMBER"
    NONE = "None"

    @classmethod
    def default(cls) -> CommentaryRule:
        return cls.RED

    @property
    def rags(self) -> frozenset[Rag]:
        if self is CommentaryRule.RED:
            return frozenset({Rag.RED})
        if self is CommentaryRule.RED_AND_AMBER:
            return frozenset({Rag.RED, Rag.AMBER})
        return frozenset()


class Report(_Model):
    title: str = "Performance Dashboard"
    produced_by: str = ""
    reporting_month: date
    fy_start_month: int = Field(default=4, ge=1, le=12)
    amber_tolerance: float | None = None
    """The ``Amber tolerance`` setting: the tolerance of KPIs without a Floor or their own."""
    areas: tuple[ServiceArea, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    targets: dict[str, ThresholdTimeline] = Field(default_factory=dict)
    """Ref -> its period-specific thresholds; a Ref without one uses its row throughout."""
    trend: TrendSettings = Field(default_factory=lambda: TrendSettings())
    """How the Direction of travel is judged (SPEC 8.1)."""
    spc: SpcSettings | None = None
    """SPC (SPEC 8.2): None when the ``SPC`` setting is Off (the default)."""
    commentary_required_for: CommentaryRule = CommentaryRule.RED
    """Which Latest RAGs need commentary (SPEC 8.3)."""
    charts: bool = False
    """The ``Charts`` setting (SPEC 8.5): a generated Charts sheet with a chart per KPI."""

    def area(self, name: str) -> ServiceArea:
        for area in self.areas:
            if area.name == name:
                return area
        return ServiceArea(name=name)

    def area_names(self) -> list[str]:
        """Service areas in report order: declared areas first, then any only indicators name."""
        names = [area.name for area in self.areas]
        for indicator in self.indicators:
            if indicator.service_area not in names:
                names.append(indicator.service_area)
        return names


class Problem(_Model):
    """A data problem, in words a service lead understands, and where it is.

    ``field`` is the input column it is about; :attr:`Column.VALUE` with ``period`` is one
    period's value (a header text such as ``"Target"`` is accepted and read as its column).
    """

    severity: Severity
    message: str
    ref: str | None = None
    field: Column | None = None
    period: date | None = None
    sheet: str | None = None
    cell: str | None = None

    @property
    def location(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or ""

    def __str__(self) -> str:
        where = self.location
        return f"{where}: {self.message}" if where else self.message


class Result(_Model):
    """What kpixl computes for one indicator: the values of the computed columns."""

    ref: str
    latest_period: date | None = None
    latest_value: float | None = None
    latest_rag: Rag | None = None
    ytd_value: float | None = None
    ytd_rag: Rag | None = None
    alert: Alert | None = None
    alert_basis: float | None = None
    latest_thresholds: Thresholds | None = None
    """The thresholds in force for the latest period (the Latest RAG's)."""
    ytd_thresholds: Thresholds | None = None
    """The thresholds in force for the last period the YTD includes (the YTD RAG's)."""
    alert_thresholds: Thresholds | None = None
    """The thresholds the activity alert was given against (one of the two above)."""
    direction: Direction | None = None
    variation: Variation | None = None
    """SPC: the latest point's variation (None when SPC is Off or too few points)."""
    assurance: Assurance | None = None
    """SPC: whether the process will meet the Target (KPIs with a Target and a polarity)."""
    problems: tuple[Problem, ...] = ()


class Evaluation(_Model):
    """Results in the order of ``report.indicators`` (duplicate refs are each rated)."""

    report: Report
    results: tuple[Result, ...]
    problems: tuple[Problem, ...] = ()

    def result(self, ref: str) -> Result:
        for result in self.results:
            if result.ref == ref:
                return result
        raise KeyError(ref)

    def pairs(self) -> list[tuple[Indicator, Result]]:
        return list(zip(self.report.indicators, self.results, strict=True))

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)
