"""How values are written for people: in messages, the terminal table and the dashboard."""

from __future__ import annotations

from kpixl.core.models import NOT_AVAILABLE
from kpixl.core.units import is_percent_unit


def format_value(
    value: float | str | None, unit: str | None = None, decimals: int | None = None
) -> str:
    """``65%`` for 0.65 of a % indicator, ``258,260`` for a count; ``N/A`` for nothing."""
    if value is None:
        return NOT_AVAILABLE
    if isinstance(value, str):
        return value
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    percent = is_percent_unit(unit)
    shown = value * 100 if percent else value
    if decimals is None:
        decimals = _natural_decimals(shown)
    text = f"{shown:,.{decimals}f}"
    return f"{text}%" if percent else text


def _natural_decimals(shown: float) -> int:
    """Enough decimals to show the number as typed, at most three."""
    for decimals in range(4):
        if abs(round(shown, decimals) - shown) < 1e-9:
            return decimals
    return 3
