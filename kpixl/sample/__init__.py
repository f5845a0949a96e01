"""The reference report shipped as sample data (``kpixl demo`` builds its workbook from it)."""

from __future__ import annotations

import tomllib
from datetime import date
from importlib import resources
from typing import Any

from kpixl.core.models import Indicator, Person, Report, ServiceArea

SAMPLE_FILE = "kent_ced_dced_2023-10.toml"
NOT_AVAILABLE_MARKS = frozenset({"*", "n/a"})


def sample_text() -> str:
    return resources.files(__package__).joinpath(SAMPLE_FILE).read_text(encoding="utf-8")


def load_sample() -> Report:
    """The whole reference report (October 2023) as a :class:`Report`."""
    return parse_report(tomllib.loads(sample_text()))


def parse_report(data: dict[str, Any]) -> Report:
    areas = tuple(
        ServiceArea(
            name=area["name"],
            department=area.get("department"),
            people=tuple(Person(role=role, name=name) for role, name in area.get("people", [])),
        )
        for area in data.get("areas", [])
    )
    return Report(
        title=data["title"],
        produced_by=data.get("produced_by", ""),
        reporting_month=data["reporting_month"],
        fy_start_month=data.get("fy_start_month", 4),
        areas=areas,
        indicators=tuple(_indicator(row) for row in data.get("indicators", [])),
    )


def _indicator(row: dict[str, Any]) -> Indicator:
    fields = {k: v for k, v in row.items() if k not in {"area", "ytd", "values", "note"}}
    return Indicator(
        **fields,
        service_area=row["area"],
        ytd_entered=row.get("ytd"),
        values={_period(key): _value(value) for key, value in row.get("values", {}).items()},
    )


def _period(key: str) -> date:
    year, month = key.split("-")
    return date(int(year), int(month), 1)


def _value(value: float | str) -> float | None:
    if isinstance(value, str):
        if value.strip().lower() in NOT_AVAILABLE_MARKS:
            return None
        raise ValueError(f"unexpected sample value {value!r}")
    return float(value)
