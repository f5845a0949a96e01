"""Six-monthly and Annual indicators (SPEC 8.4): financial-year period ends and labels."""

from __future__ import annotations

from datetime import date

import pytest

from kpixl.core.checks import check_indicator
from kpixl.core.evaluate import evaluate
from kpixl.core.models import (
    Frequency,
    Indicator,
    Rag,
    Report,
    YtdMethod,
)
from kpixl.core.periods import is_period_end, months, period_end_label
from kpixl.core.rules import latest, ytd
from kpixl.report.dashboard import dashboard_design
from kpixl.workbook.cells import CHOICES, choice

FY_2023 = list(months(date(2023, 4, 1), date(2024, 3, 1)))


@pytest.mark.parametrize(
    ("frequency", "fy_start", "ends"),
    [
        (Frequency.MONTHLY, 4, [m.month for m in FY_2023]),
        (Frequency.QUARTERLY, 4, [6, 9, 12, 3]),
        (Frequency.SIX_MONTHLY, 4, [9, 3]),  # the half-year ends of an April year
        (Frequency.ANNUAL, 4, [3]),  # the year end
        (Frequency.SIX_MONTHLY, 1, [6, 12]),  # calendar financial year
        (Frequency.ANNUAL, 1, [12]),
        (Frequency.SIX_MONTHLY, 7, [12, 6]),
        (Frequency.ANNUAL, 7, [6]),
    ],
)
def test_period_ends_follow_the_financial_year(
    frequency: Frequency, fy_start: int, ends: list[int]
) -> None:
    year = list(months(date(2023, fy_start, 1), date(2024, fy_start - 1 or 12, 1)))
    if fy_start == 1:
        year = list(months(date(2023, 1, 1), date(2023, 12, 1)))
    assert ends == [p.month for p in year if is_period_end(p, frequency, fy_start)]


@pytest.mark.parametrize(
    ("period", "frequency", "fy_start", "expected"),
    [
        (date(2023, 10, 1), Frequency.MONTHLY, 4, "Oct-23"),
        (date(2023, 12, 1), Frequency.QUARTERLY, 4, "Dec-23 (Q3)"),
        (date(2023, 9, 1), Frequency.SIX_MONTHLY, 4, "H1 2023/24"),
        (date(2024, 3, 1), Frequency.SIX_MONTHLY, 4, "H2 2023/24"),
        (date(2024, 3, 1), Frequency.ANNUAL, 4, "2023/24"),
        (date(2023, 12, 1), Frequency.ANNUAL, 1, "2023"),
        (date(2023, 6, 1), Frequency.SIX_MONTHLY, 1, "H1 2023"),
    ],
)
def test_period_labels(period: date, frequency: Frequency, fy_start: int, expected: str) -> None:
    assert expected == period_end_label(period, frequency, fy_start)


def _indicator(frequency: Frequency, **values: float | None) -> Indicator:
    by_month = {date.fromisoformat(k[1:]): v for k, v in values.items()}
    return Indicator(
        ref="X1", frequency=frequency, target=0.9, floor=0.8, ytd_method=YtdMethod.MEAN,
        values=by_month,
    )  # fmt: skip


def test_only_period_ends_count_for_latest_and_ytd() -> None:
    values = {date(2023, 9, 1): 0.7, date(2023, 10, 1): 0.95, date(2024, 3, 1): 0.85}
    oct_, apr = date(2023, 10, 1), date(2024, 4, 1)
    assert (date(2023, 9, 1), 0.7) == latest(values, oct_, Frequency.SIX_MONTHLY)
    assert latest(values, oct_, Frequency.ANNUAL) is None  # Mar-24 is after October
    assert (date(2024, 3, 1), 0.85) == latest(values, apr, Frequency.ANNUAL)
    mean = ytd(values, YtdMethod.MEAN, date(2024, 3, 1), frequency=Frequency.SIX_MONTHLY)
    assert mean == pytest.approx((0.7 + 0.85) / 2)


def test_an_annual_kpi_is_rated_on_its_year_end() -> None:
    indicator = Indicator(
        ref="A1", frequency=Frequency.ANNUAL, target=0.9, floor=0.8,
        values={date(2023, 3, 1): 0.95, date(2024, 2, 1): 0.5},
    )  # fmt: skip
    report = Report(reporting_month=date(2024, 2, 1), indicators=(indicator,))
    result = evaluate(report).result("A1")
    assert (date(2023, 3, 1), Rag.GREEN) == (result.latest_period, result.latest_rag)


@pytest.mark.parametrize(
    ("frequency", "last_value", "stale", "words"),
    [
        (Frequency.SIX_MONTHLY, date(2022, 9, 1), True, "no value in the last 2 half-years"),
        (Frequency.SIX_MONTHLY, date(2023, 3, 1), False, ""),
        (Frequency.ANNUAL, date(2022, 3, 1), False, ""),
        (Frequency.ANNUAL, date(2021, 3, 1), True, "no value in the last 2 years"),
    ],
)
def test_staleness_counts_the_frequency_periods(
    frequency: Frequency, last_value: date, stale: bool, words: str
) -> None:
    indicator = Indicator(ref="S1", frequency=frequency, target=1, values={last_value: 1.0})
    found = [p for p in check_indicator(indicator, date(2023, 10, 1)) if p.field == "value"]
    assert stale == bool(found)
    assert all(words in p.message for p in found)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Six-monthly", Frequency.SIX_MONTHLY),
        ("six monthly", Frequency.SIX_MONTHLY),
        ("Half-yearly", Frequency.SIX_MONTHLY),
        ("Annual", Frequency.ANNUAL),
        ("Yearly", Frequency.ANNUAL),
        ("annually", Frequency.ANNUAL),
    ],
)
def test_frequency_aliases(typed: str, expected: Frequency) -> None:
    assert expected == choice("Frequency", typed)


def test_frequency_choices_offered_by_the_template() -> None:
    assert ("Monthly", "Quarterly", "Six-monthly", "Annual") == CHOICES["Frequency"]


def test_dashboard_has_a_table_per_new_frequency_with_its_labels() -> None:
    half = Indicator(
        ref="H1", description="Half-yearly KPI", frequency=Frequency.SIX_MONTHLY,
        target=0.9, floor=0.8, values={date(2023, 9, 1): 0.85, date(2023, 3, 1): 0.95},
    )  # fmt: skip
    year = Indicator(
        ref="Y1", description="Annual KPI", frequency=Frequency.ANNUAL,
        target=0.9, floor=0.8, values={date(2023, 3, 1): 0.95},
    )  # fmt: skip
    report = Report(reporting_month=date(2023, 10, 1), indicators=(half, year))
    design = dashboard_design(evaluate(report))
    texts = {cell.value for cell in design.cells if isinstance(cell.value, str)}
    assert {"H1 2022/23", "H2 2022/23", "H1 2023/24"} <= texts
    assert {"2020/21", "2021/22", "2022/23"} <= texts
    assert {"Half-year RAG", "Year RAG"} <= texts
    assert "Key Performance Indicators - Six-monthly" in texts
    assert "Key Performance Indicators - Annual" in texts
