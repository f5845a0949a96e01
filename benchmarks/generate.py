"""Realistic contract workbooks of N indicators x P periods, deterministic from a seed.

A :class:`Report` is built with ``kpixl.core.models`` (KPIs and activity ~60/40, monthly and
quarterly ~85/15, percentages and counts, ``*`` gaps ~3%, commentary on ~15% of rows, Target
and Floor in both polarities, Upper/Lower on half the activity rows), laid out with
``report_to_grids`` and written with openpyxl: dates as real dates with number formats.
Files are cached under a directory keyed by (N, P, seed).
"""

from __future__ import annotations

import os
import random
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

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
from kpixl.core.periods import months
from kpixl.workbook.grid import SheetGrid
from kpixl.workbook.layout_from_report import report_to_grids

GENERATOR_VERSION = 2
"""Bump when the generated content changes, so cached files are rebuilt."""
REPORTING_MONTH = date(2023, 10, 1)
SIZES: dict[str, tuple[int, int]] = {
    "seed": (60, 12),
    "500x24": (500, 24),
    "2000x24": (2000, 24),
    "10000x24": (10_000, 24),
}
QUICK_SIZES = ("seed", "500x24")
COMBINE_BOOKS = 20
COMBINE_SIZE = (100, 24)
"""``kpixl combine`` is measured on 20 service workbooks of 100 indicators x 24 periods each."""

_AREAS = (
    ("Finance", "FN"),
    ("Governance, Law and Democracy", "GL"),
    ("Marketing and Resident Experience", "CS"),
    ("Human Resources and Organisational Development", "HR"),
    ("Health and Safety", "HS"),
    ("Technology", "ICT"),
    ("Infrastructure", "PI"),
    ("Adult Social Care", "ASC"),
    ("Children's Services", "CY"),
    ("Highways and Transportation", "HT"),
    ("Waste Management", "WM"),
    ("Libraries, Registration and Archives", "LRA"),
    ("Public Health", "PH"),
    ("Economic Development", "ED"),
    ("Planning Applications", "PA"),
    ("Trading Standards", "TS"),
    ("Community Safety", "CSF"),
    ("Environment and Climate", "EC"),
    ("Property", "PR"),
    ("Customer Contact", "CC"),
    ("Education Services", "ES"),
    ("Special Educational Needs", "SEN"),
    ("Integrated Children's Services", "ICS"),
    ("Growth and Communities", "GC"),
    ("Commercial and Procurement", "CP"),
)
_PEOPLE = ("Alex Morgan", "Sam Patel", "Jo Richards", "Chris Okafor", "Pat Nguyen", "Lee Evans")
_PERCENT_KPIS = (
    ("Percentage of {} completed within timescale", Polarity.HIGHER),
    ("Percentage of {} answered on time", Polarity.HIGHER),
    ("Percentage of {} rated good or excellent", Polarity.HIGHER),
    ("Percentage of {} outstanding over 6 months", Polarity.LOWER),
    ("Percentage of {} abandoned", Polarity.LOWER),
)
_COUNT_KPIS = (
    ("Average days to resolve {}", Polarity.LOWER),
    ("Average wait in seconds for {}", Polarity.LOWER),
    ("Number of {} resolved per advisor", Polarity.HIGHER),
)
_SUBJECTS = (
    "invoices",
    "complaints",
    "calls",
    "assessments",
    "requests",
    "applications",
    "claims",
    "referrals",
    "repairs",
    "enquiries",
    "inspections",
    "payments",
)
_COMMENTS = (
    "Performance dipped over the summer because of staff vacancies; recruitment is under way.",
    "Above target for the third month running following the new triage process.",
    "Data for the latest month is provisional and will be confirmed next month.",
    "Demand remains high; a recovery plan has been agreed with the service.",
)


@dataclass(frozen=True)
class Spec:
    """What to generate: ``indicators`` x ``periods`` from ``seed``."""

    indicators: int
    periods: int
    seed: int = 2023
    areas: int | None = None  # service-area sheets; None: by size (``area_count``)

    @property
    def file_name(self) -> str:
        areas = f"-a{self.areas}" if self.areas else ""
        stem = f"contract-{self.indicators}x{self.periods}{areas}-s{self.seed}"
        return f"{stem}-v{GENERATOR_VERSION}.xlsx"


def cache_dir() -> Path:
    """``$KPIXL_BENCH_CACHE``, or ``kpixl-bench`` in the system temp folder."""
    folder = os.environ.get("KPIXL_BENCH_CACHE") or Path(tempfile.gettempdir()) / "kpixl-bench"
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


def workbook_path(spec: Spec, folder: Path | None = None) -> Path:
    """The cached workbook for ``spec``, generated first when absent."""
    path = (folder or cache_dir()) / spec.file_name
    if not path.exists():
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp.xlsx")
        write_workbook(report_to_grids(build_report(spec)), tmp)
        os.replace(tmp, path)
    return path


def service_report(spec: Spec, number: int) -> Report:
    """Directorate ``number``'s own workbook (``kpixl combine``): its areas and Refs its own."""
    report = build_report(Spec(spec.indicators, spec.periods, spec.seed + number))
    tag = f"D{number:02d}"

    def ref(text: str | None) -> str | None:
        return f"{tag}-{text}" if text else text

    areas = tuple(a.model_copy(update={"name": f"{a.name} ({tag})"}) for a in report.areas)
    indicators = tuple(
        i.model_copy(
            update={
                "ref": ref(i.ref),
                "numerator": ref(i.numerator),
                "denominator": ref(i.denominator),
                "service_area": f"{i.service_area} ({tag})",
            }
        )
        for i in report.indicators
    )
    title = f"Directorate {number} performance"
    return report.model_copy(update={"title": title, "areas": areas, "indicators": indicators})


def service_workbook_paths(
    spec: Spec, count: int = COMBINE_BOOKS, folder: Path | None = None
) -> list[Path]:
    """The cached workbooks of ``count`` directorates, each generated first when absent."""
    paths = []
    for number in range(1, count + 1):
        name = spec.file_name.replace("contract-", f"service{number:02d}-")
        path = (folder or cache_dir()) / name
        if not path.exists():
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp.xlsx")
            write_workbook(report_to_grids(service_report(spec, number)), tmp)
            os.replace(tmp, path)
        paths.append(path)
    return paths


def area_count(indicators: int) -> int:
    """Several service-area sheets: 4 at the seed size, up to 25 for big books."""
    return max(4, min(len(_AREAS), indicators // 80))


def build_report(spec: Spec) -> Report:
    """The report: indicators dealt round the service areas, values drawn from ``spec.seed``."""
    rng = random.Random(spec.seed)
    periods = list(months(_months_back(REPORTING_MONTH, spec.periods - 1), REPORTING_MONTH))
    count = spec.areas or area_count(spec.indicators)
    areas = [_area(rng, name) for name, _ in _AREAS[:count]]
    per_area = -(-spec.indicators // len(areas))
    indicators: list[Indicator] = []
    for index in range(spec.indicators):
        number = index % per_area + 1
        name, prefix = _AREAS[index // per_area]
        activity = [i.ref for i in indicators[-12:] if i.service_area == name and not i.is_kpi]
        ref = f"{prefix}{number:03d}"
        indicators.append(_indicator(rng, ref, name, periods, activity))
    return Report(
        title="Performance Dashboard (benchmark workbook)",
        produced_by="kpixl benchmarks",
        reporting_month=REPORTING_MONTH,
        areas=tuple(areas),
        indicators=tuple(indicators),
    )


def _months_back(month: date, count: int) -> date:
    total = month.year * 12 + month.month - 1 - count
    return date(total // 12, total % 12 + 1, 1)


def _area(rng: random.Random, name: str) -> ServiceArea:
    people = (
        Person(role=rng.choice(("Director", "Head of Service")), name=rng.choice(_PEOPLE)),
        Person(role="Cabinet Member", name=rng.choice(_PEOPLE)),
    )
    return ServiceArea(name=name, department="Deputy Chief Executive's Department", people=people)


def _indicator(
    rng: random.Random, ref: str, area: str, periods: list[date], activity: list[str]
) -> Indicator:
    kpi = rng.random() < 0.6
    quarterly = rng.random() < 0.15
    fields = _kpi_fields(rng, activity) if kpi else _activity_fields(rng, 2 if quarterly else 7)
    level, spread = fields.pop("_level"), fields.pop("_spread")
    values: dict[date, float | None] = {}
    for period in periods:
        if quarterly and period.month % 3:
            continue
        if rng.random() < 0.03:
            values[period] = None  # typed as "*"
        else:
            values[period] = _value(rng, level, spread, fields["unit"] == "%")
    typed = [period for period, value in values.items() if value is not None]
    if fields["unit"] == "%" and typed and rng.random() < 0.01:
        period = rng.choice(typed)  # a data problem a service lead makes: 65 for 65%
        values[period] = round(100 * (values[period] or 0.0), 1)
    commentary = rng.choice(_COMMENTS) if rng.random() < 0.15 else None
    return Indicator(
        ref=ref,
        service_area=area,
        frequency=Frequency.QUARTERLY if quarterly else Frequency.MONTHLY,
        commentary=commentary,
        values=values,
        **fields,
    )


def _kpi_fields(rng: random.Random, activity: list[str]) -> dict[str, Any]:
    percent = rng.random() < 0.7
    template, polarity = rng.choice(_PERCENT_KPIS if percent else _COUNT_KPIS)
    if percent:
        target = round(
            rng.uniform(0.6, 0.95) if polarity is Polarity.HIGHER else rng.uniform(0.05, 0.3), 2
        )
        gap = round(rng.uniform(0.03, 0.1), 2)
        level, spread = target, 0.08
    else:
        target = float(rng.randint(5, 60))
        gap = float(max(1, round(target * rng.uniform(0.1, 0.3))))
        level, spread = target, target * 0.25
    floor = round(target - gap if polarity is Polarity.HIGHER else target + gap, 2)
    method = rng.choices(
        (
            YtdMethod.MEAN,
            YtdMethod.LATEST,
            YtdMethod.ENTERED,
            YtdMethod.NONE,
            None,
            YtdMethod.RATIO,
        ),
        weights=(40, 15, 10, 15, 18, 2 if percent and len(activity) >= 2 else 0),
    )[0]
    ratio = rng.sample(activity, 2) if method is YtdMethod.RATIO else [None, None]
    return {
        "type": IndicatorType.KPI,
        "description": template.format(rng.choice(_SUBJECTS)),
        "unit": "%" if percent else "Number",
        "decimals": rng.choice((None, None, 0, 1)) if percent else None,
        "polarity": polarity if rng.random() < 0.7 else None,
        "target": target,
        "floor": floor,
        "ytd_method": method,
        "ytd_entered": round(level, 3) if method is YtdMethod.ENTERED else None,
        "numerator": ratio[0],
        "denominator": ratio[1],
        "previous_year": _value(rng, level, spread, percent),
        "_level": level,
        "_spread": spread,
    }


def _activity_fields(rng: random.Random, ytd_periods: int) -> dict[str, Any]:
    """An activity row; Upper/Lower (half the rows) on the scale of what is compared."""
    level = float(rng.choice((40, 250, 1_200, 8_000, 45_000)))
    spread = level * 0.15
    method = rng.choice((YtdMethod.SUM, YtdMethod.SUM, YtdMethod.MEAN, None))
    expected = level * (ytd_periods if method is YtdMethod.SUM else 1) * rng.uniform(0.95, 1.05)
    ranged = rng.random() < 0.5
    return {
        "type": IndicatorType.ACTIVITY,
        "description": f"Number of {rng.choice(_SUBJECTS)} received",
        "unit": rng.choice(("Number", "Number", "£000s")),
        "upper": round(expected * 1.1) if ranged else None,
        "lower": round(expected * 0.9) if ranged else None,
        "ytd_method": method,
        "previous_year": round(level * 7 * rng.uniform(0.9, 1.1)),
        "_level": level,
        "_spread": spread,
    }


def _value(rng: random.Random, level: float, spread: float, percent: bool) -> float:
    value = rng.gauss(level, spread)
    if percent:
        return round(min(1.0, max(0.0, value)), 4)
    return float(max(0, round(value)))


# --- writing ------------------------------------------------------------------------------

_PERIOD_FORMAT = "mmm-yy"
_MONTH_FORMAT = "mmm yyyy"
_PERCENT_FORMAT = "0.0%"
_COUNT_FORMAT = "#,##0"


def write_workbook(grids: list[SheetGrid], path: Path) -> Path:
    """Write ``grids`` as sheets of a new .xlsx with formats a real contract workbook has."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for grid in grids:
        ws = workbook.create_sheet(grid.name)
        for row in grid.rows:
            ws.append(list(row))
        header = _header_row(grid)
        if header is None:  # Settings
            for cell in ws["A"]:
                cell.font = bold
            ws["B4"].number_format = _MONTH_FORMAT
            ws.column_dimensions["A"].width = 28
            ws.column_dimensions["B"].width = 60
            continue
        _format_table(ws, grid, header, bold)
    workbook.save(path)
    return path


def _header_row(grid: SheetGrid) -> int | None:
    for index, row in enumerate(grid.rows[:20]):
        if row and row[0] == "Ref":
            return index
    return None


def _format_table(ws: Any, grid: SheetGrid, header: int, bold: Any) -> None:
    names = list(grid.rows[header])
    unit_col = names.index("Unit")
    numeric = [
        col
        for col, name in enumerate(names)
        if isinstance(name, datetime) or name in ("Target", "Floor", "Upper", "Lower", "YTD")
    ]
    for col, name in enumerate(names):
        cell = ws.cell(header + 1, col + 1)
        cell.font = bold
        if isinstance(name, datetime):
            cell.number_format = _PERIOD_FORMAT
    for offset, row in enumerate(grid.rows[header + 1 :], start=header + 2):
        fmt = _PERCENT_FORMAT if row[unit_col] == "%" else _COUNT_FORMAT
        for col in numeric:
            if row[col] is not None:
                ws.cell(offset, col + 1).number_format = fmt
    ws.freeze_panes = ws.cell(header + 2, 3)
    ws.column_dimensions["B"].width = 60
