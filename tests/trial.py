"""The trial workbook: an invented council's 40 indicators in 3 service areas, built from the
template as a service lead would receive it, for the "ordinary mistakes" tests (issue 11).

Northbury Borough Council, results up to September 2024 (financial year from April). The
figures are made up but plausible, and chosen so every kind of row is present: monthly and
quarterly KPIs, higher and lower is better, percentages, counts, money and days, KPIs with
and without a Floor, activity indicators with and without an expected range, Sum and Mean
YTDs, and commentary on every KPI that is RED.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from kpixl.core.models import (
    Frequency,
    Indicator,
    IndicatorType,
    Person,
    Polarity,
    Report,
    ServiceArea,
    YtdMethod,
)
from kpixl.core.periods import add_months
from kpixl.template.build import build_workbook

REPORTING_MONTH = date(2024, 9, 1)
FIRST_MONTH = date(2024, 4, 1)
MONTHS = [add_months(FIRST_MONTH, n) for n in range(6)]
QUARTER_ENDS = [date(2024, 6, 1), date(2024, 9, 1)]

AREAS = (
    ServiceArea(
        name="Revenues and Benefits",
        department="Resources Directorate",
        people=(Person(role="Director", name="Amara Okafor"),
                Person(role="Cabinet Member", name="Cllr Tom Reeve")),
    ),
    ServiceArea(
        name="Waste and Street Scene",
        department="Place Directorate",
        people=(Person(role="Head of Service", name="Gareth Lloyd"),
                Person(role="Cabinet Member", name="Cllr Priya Shah")),
    ),
    ServiceArea(
        name="Housing",
        department="Place Directorate",
        people=(Person(role="Director", name="Helen Marsh"),
                Person(role="Cabinet Member", name="Cllr Priya Shah")),
    ),
)  # fmt: skip
PREFIXES = {"Revenues and Benefits": "RB", "Waste and Street Scene": "WS", "Housing": "HO"}

# (description, unit, target, floor, polarity, quarterly, ytd method)
KPIS = (
    ("Council Tax collected in year", "%", 0.97, 0.95, None, False, YtdMethod.MEAN),
    ("Business rates collected in year", "%", 0.98, 0.96, None, False, YtdMethod.MEAN),
    ("Days to process new Housing Benefit claims", "Days", 20.0, 25.0, None, False,
     YtdMethod.MEAN),
    ("Days to process changes of circumstances", "Days", 8.0, 10.0, None, False, YtdMethod.MEAN),
    ("Benefit overpayments recovered", "%", 0.70, 0.60, None, True, YtdMethod.MEAN),
    ("Telephone calls answered within 3 minutes", "%", 0.80, None, None, False, YtdMethod.MEAN),
    ("Complaints answered within 10 working days", "%", 0.90, 0.85, None, False,
     YtdMethod.MEAN),
    ("Debt written off as a share of the collectable debit", "%", 0.01, 0.02, None, True,
     YtdMethod.NONE),
    ("Household waste sent for reuse, recycling or composting", "%", 0.50, 0.45, None, False,
     YtdMethod.MEAN),
    ("Missed bin collections per 100,000 collections", "Number", 50.0, 80.0, None, False,
     YtdMethod.MEAN),
    ("Fly-tipping incidents removed within 2 working days", "%", 0.95, 0.90, None, False,
     YtdMethod.MEAN),
    ("Streets at or above the cleanliness standard", "%", 0.92, 0.88, None, True,
     YtdMethod.MEAN),
    ("Residual household waste per household (kg)", "Number", 120.0, 135.0, None, False,
     YtdMethod.SUM),
    ("Abandoned vehicles inspected within 24 hours", "%", 0.98, None, "Higher", False,
     YtdMethod.MEAN),
    ("Graffiti removed within 5 working days", "%", 0.90, 0.85, None, False, YtdMethod.MEAN),
    ("Days to re-let a council home (general needs)", "Days", 28.0, 35.0, None, False,
     YtdMethod.MEAN),
    ("Rent collected as a share of rent due", "%", 0.985, 0.975, None, False, YtdMethod.MEAN),
    ("Homelessness cases prevented or relieved", "%", 0.60, 0.50, None, True, YtdMethod.MEAN),
    ("Households in bed and breakfast for over 6 weeks", "Number", 0.0, 5.0, "Lower", False,
     YtdMethod.LATEST),
    ("Emergency repairs completed within 24 hours", "%", 0.99, 0.97, None, False,
     YtdMethod.MEAN),
    ("Homes meeting the Decent Homes Standard", "%", 0.95, 0.92, None, True, YtdMethod.LATEST),
    ("Gas safety certificates in date", "%", 1.0, 0.995, None, False, YtdMethod.LATEST),
    ("Tenant satisfaction with repairs", "%", 0.85, 0.80, None, True, YtdMethod.MEAN),
    ("Void rent loss as a share of rent due", "%", 0.015, 0.02, None, False, YtdMethod.MEAN),
)  # fmt: skip
# (description, unit, lower, upper)
ACTIVITY = (
    ("Council Tax accounts", "Number", None, None),
    ("Housing Benefit claims received", "Number", 250.0, 400.0),
    ("Council Tax Support claimants", "Number", None, None),
    ("Discretionary housing payments made (£000s)", "£000s", 20.0, 60.0),
    ("Calls to the benefits line", "Number", 3000.0, 5000.0),
    ("Tonnes of household waste collected", "Number", None, None),
    ("Garden waste subscriptions", "Number", 14000.0, 16000.0),
    ("Fly-tipping incidents reported", "Number", 150.0, 260.0),
    ("Bulky waste collections", "Number", None, None),
    ("Street cleansing requests", "Number", 300.0, 500.0),
    ("Housing register applications", "Number", 150.0, 260.0),
    ("Homelessness approaches", "Number", 80.0, 140.0),
    ("Repairs reported", "Number", None, None),
    ("Households in temporary accommodation", "Number", 60.0, 110.0),
    ("Right to Buy applications", "Number", None, None),
    ("Empty homes brought back into use", "Number", 2.0, 10.0),
)

_RED_COMMENTARY = (
    "Below target this month: the service has a recovery plan agreed with the Director, with "
    "progress reported to the next meeting."
)


def trial_report(seed: int = 2024) -> Report:
    """The trial council's report: 24 KPIs and 16 activity indicators in 3 areas (40 in all)."""
    rng = random.Random(seed)
    indicators: list[Indicator] = []
    names = [area.name for area in AREAS]
    for index, kpi in enumerate(KPIS):
        indicators.append(_kpi(rng, names[index * len(names) // len(KPIS)], index, kpi))
    for index, activity in enumerate(ACTIVITY):
        area = names[index * len(names) // len(ACTIVITY)]
        indicators.append(_activity(rng, area, index, activity))
    numbered: list[Indicator] = []
    counters = dict.fromkeys(names, 0)
    for indicator in sorted(indicators, key=lambda i: names.index(i.service_area)):
        counters[indicator.service_area] += 1
        ref = f"{PREFIXES[indicator.service_area]}{counters[indicator.service_area]:02d}"
        numbered.append(indicator.model_copy(update={"ref": ref}))
    return Report(
        title="Northbury Borough Council – Quarter 2 Performance Report 2024/25",
        produced_by="Northbury Performance and Intelligence Team",
        reporting_month=REPORTING_MONTH,
        fy_start_month=4,
        areas=AREAS,
        indicators=tuple(numbered),
    )


def _kpi(rng: random.Random, area: str, index: int, row: tuple[object, ...]) -> Indicator:
    description, unit, target, floor, polarity, quarterly, method = row
    assert isinstance(target, float)
    lower_better = polarity == "Lower" or (isinstance(floor, float) and floor > target)
    periods = QUARTER_ENDS if quarterly else MONTHS
    spread = abs((floor if isinstance(floor, float) else target * 0.9) - target) or 2.0
    values = {}
    for period in periods:
        drift = rng.uniform(-1.6, 1.1) * spread
        value = target - drift if lower_better else target + drift
        if unit == "%":
            value = min(max(round(value, 3), 0.0), 1.0)
        else:
            value = max(round(value), 0.0)
        values[period] = value
    indicator = Indicator(
        ref=f"K{index}",
        description=str(description),
        service_area=area,
        type=IndicatorType.KPI,
        frequency=Frequency.QUARTERLY if quarterly else Frequency.MONTHLY,
        polarity=Polarity(polarity) if polarity else None,
        unit=str(unit),
        decimals=1 if unit == "%" else 0,
        target=target,
        floor=floor if isinstance(floor, float) else None,
        ytd_method=method if isinstance(method, YtdMethod) else None,
        previous_year=round(target * rng.uniform(0.9, 1.05), 3 if unit == "%" else 0),
        values=values,
    )
    return indicator


def _activity(rng: random.Random, area: str, index: int, row: tuple[object, ...]) -> Indicator:
    description, unit, lower, upper = row
    middle = ((lower or 0.0) + (upper or 0.0)) / 2 if isinstance(upper, float) else 500.0 + index
    values = {period: float(round(middle * rng.uniform(0.8, 1.2))) for period in MONTHS}
    return Indicator(
        ref=f"A{index}",
        description=str(description),
        service_area=area,
        type=IndicatorType.ACTIVITY,
        unit=str(unit),
        lower=lower if isinstance(lower, float) else None,
        upper=upper if isinstance(upper, float) else None,
        previous_year=float(round(middle * 6 * rng.uniform(0.9, 1.1))),
        values=values,
    )


def with_commentary(report: Report) -> Report:
    """Every KPI that rates RED for its latest period gets commentary, as a service lead would."""
    from kpixl.core.evaluate import evaluate
    from kpixl.core.models import Rag

    evaluation = evaluate(report)
    red = {i.ref for i, r in evaluation.pairs() if r.latest_rag is Rag.RED}
    indicators = tuple(
        i.model_copy(update={"commentary": _RED_COMMENTARY}) if i.ref in red else i
        for i in report.indicators
    )
    return report.model_copy(update={"indicators": indicators})


def build_trial(out: Path) -> Path:
    """The trial workbook (.xlsm), made from the template, not yet calculated."""
    return build_workbook(out, with_commentary(trial_report()))
