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


class Polarity(StrEnum):
    HIGHER = "Higher"
    LOWER = "Lower"


class IndicatorType(StrEnum):
    KPI = "KPI"
    ACTIVITY = "Activity"


class Frequency(StrEnum):
    MONTHLY = "Monthly"
    QUARTERLY = "Quarterly"


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
    upper: float | None = None
    lower: float | None = None
    ytd_method: YtdMethod | None = None
    ytd_entered: float | None = None
    numerator: str | None = None
    denominator: str | None = None
    previous_year: float | str | None = None
    commentary: str | None = None
    values: dict[date, float | None] = Field(default_factory=dict)

    @property
    def is_percent(self) -> bool:
        return (self.unit or "").strip() == "%"

    @property
    def is_kpi(self) -> bool:
        return self.type is IndicatorType.KPI


class Report(_Model):
    title: str = "Performance Dashboard"
    produced_by: str = ""
    reporting_month: date
    fy_start_month: int = Field(default=4, ge=1, le=12)
    areas: tuple[ServiceArea, ...] = ()
    indicators: tuple[Indicator, ...] = ()

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
    direction: Direction | None = None
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
