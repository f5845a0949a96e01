"""The Settings sheet's analysis choices (SPEC 8.1-8.3): how direction of travel is judged,
whether SPC is on and with which rule lengths, which RAGs need commentary, and whether a Charts
sheet is made (SPEC 8.5).

Each setting is optional; a blank one takes its documented default. Something typed that
cannot be used is a located error, and the default is used until it is corrected.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from kpixl.core.models import (
    DEFAULT_TREND_CONFIDENCE,
    CommentaryRule,
    DirectionMethod,
    Problem,
    Severity,
    SpcSettings,
    TrendSettings,
)
from kpixl.workbook.cells import read_number, text
from kpixl.workbook.grid import CellValue

DIRECTION_METHOD = "Direction of travel method"
TREND_PERIODS = "Trend periods"
TREND_CONFIDENCE = "Trend confidence"
SPC = "SPC"
SPC_BASELINE_POINTS = "SPC baseline points"
SPC_MINIMUM_POINTS = "SPC minimum points"
SPC_TREND_LENGTH = "SPC trend length"
SPC_SHIFT_LENGTH = "SPC shift length"
COMMENTARY_REQUIRED_FOR = "Commentary required for"
CHARTS = "Charts"
ANALYSIS_SETTINGS = (
    DIRECTION_METHOD,
    TREND_PERIODS,
    TREND_CONFIDENCE,
    SPC,
    SPC_BASELINE_POINTS,
    SPC_MINIMUM_POINTS,
    SPC_TREND_LENGTH,
    SPC_SHIFT_LENGTH,
    COMMENTARY_REQUIRED_FOR,
    CHARTS,
)
"""The analysis settings, in the order the template lists them."""

Found = Mapping[str, tuple[str, CellValue]]  # setting -> (value cell, value)


@dataclass(frozen=True)
class Analysis:
    trend: TrendSettings = field(default_factory=TrendSettings)
    spc: SpcSettings | None = None
    commentary_required_for: CommentaryRule = CommentaryRule.RED
    charts: bool = False
    problems: tuple[Problem, ...] = ()


def read_analysis(sheet: str | None, found: Found) -> Analysis:
    """The analysis settings among ``found`` (cells of the ``Setting | Value`` table)."""
    problems: list[Problem] = []

    def read(name: str, parse: Callable[[CellValue], object], advice: str) -> object:
        if name not in found:
            return None
        cell, typed = found[name]
        shown = text(typed)
        if shown is None:
            return None
        value = parse(typed)
        if value is None:
            problems.append(
                Problem(
                    severity=Severity.ERROR,
                    sheet=sheet,
                    cell=cell,
                    message=f"The {name} setting {shown!r} cannot be used: {advice}",
                )
            )
        return value

    method = read(
        DIRECTION_METHOD,
        _choice(DirectionMethod),
        "type Previous period or Regression; until then Previous period is used.",
    )
    periods = read(
        TREND_PERIODS,
        _whole(4, 120),
        "type a whole number of values from 4 to 120, or leave it blank for the defaults "
        "(12 monthly, 8 quarterly, 6 six-monthly, 5 annual).",
    )
    confidence = read(
        TREND_CONFIDENCE,
        _fraction,
        "type a percentage such as 95% (above 0% and below 100%); until then 95% is used.",
    )
    spc_on = read(SPC, _on_off, "type On or Off; until then SPC is Off.")
    lengths = {
        name: read(name, _whole(low, 1000), f"type a whole number from {low}; until then "
                   f"{default} is used.")
        for name, low, default in (
            (SPC_MINIMUM_POINTS, 2, 15),
            (SPC_TREND_LENGTH, 2, 7),
            (SPC_SHIFT_LENGTH, 1, 7),
        )
    }  # fmt: skip
    baseline = read(
        SPC_BASELINE_POINTS,
        _whole(2, 100_000),
        "type a whole number of points from 2, or leave it blank to use every value.",
    )
    rule = read(
        COMMENTARY_REQUIRED_FOR,
        _choice(CommentaryRule),
        "type RED, RED and AMBER, or None; until then RED is used.",
    )
    charts = read(CHARTS, _on_off, "type Yes or No; until then No Charts sheet is made.")
    trend = TrendSettings(
        method=method if isinstance(method, DirectionMethod) else DirectionMethod.PREVIOUS_PERIOD,
        periods=periods if isinstance(periods, int) else None,
        confidence=confidence if isinstance(confidence, float) else DEFAULT_TREND_CONFIDENCE,
    )
    spc = None
    if spc_on is True:
        chosen = {key: value for key, value in lengths.items() if isinstance(value, int)}
        spc = SpcSettings(
            minimum_points=chosen.get(SPC_MINIMUM_POINTS, 15),
            trend_length=chosen.get(SPC_TREND_LENGTH, 7),
            shift_length=chosen.get(SPC_SHIFT_LENGTH, 7),
            baseline_points=baseline if isinstance(baseline, int) else None,
        )
    return Analysis(
        trend=trend,
        spc=spc,
        commentary_required_for=rule if isinstance(rule, CommentaryRule) else CommentaryRule.RED,
        charts=charts is True,
        problems=tuple(problems),
    )


def _choice(kind: type[StrEnum]) -> Callable[[CellValue], object]:
    by_key = {_key(member.value): member for member in kind}

    def parse(typed: CellValue) -> object:
        return by_key.get(_key(text(typed) or ""))

    return parse


def _key(typed: str) -> str:
    return "".join(typed.lower().replace("&", "and").split())


def _whole(low: int, high: int) -> Callable[[CellValue], object]:
    def parse(typed: CellValue) -> object:
        number = read_number(typed)
        if isinstance(number, float) and number.is_integer() and low <= number <= high:
            return int(number)
        return None

    return parse


def _fraction(typed: CellValue) -> object:
    """95% or 0.95 -> 0.95; a bare 95 is read as 95% (a confidence is never 95 times)."""
    number = read_number(typed)
    if not isinstance(number, float):
        return None
    if 1 < number < 100:
        number /= 100
    return number if 0 < number < 1 else None


def _on_off(typed: CellValue) -> object:
    return {"on": True, "yes": True, "off": False, "no": False}.get(_key(text(typed) or ""))
