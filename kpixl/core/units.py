"""What a Unit cell means: the one place that says which spellings are percent, and which
units kpixl knows (any other unit is shown as typed, and reported so a slip is seen)."""

from __future__ import annotations

import re

__all__ = ["KNOWN_UNITS", "PERCENT", "is_known_unit", "is_percent_unit", "normalise_unit"]

PERCENT = "%"
_PERCENT_SPELLINGS = frozenset(
    {"%", "percent", "percentage", "percentages", "per cent", "%age", "pct", "pc", "perc",
     "% age", "%s", "(%)", "percent (%)", "percentage (%)", "rate (%)", "% rate"}
)  # fmt: skip
KNOWN_UNITS = (
    "%", "Number", "Count", "No.", "£", "£s", "£000s", "£000", "£k", "£m", "£bn", "$", "€",
    "Days", "Hours", "Minutes", "Seconds", "Weeks", "Months", "Years", "Ratio", "Rate",
    "Rate per 1,000", "Rate per 10,000", "Rate per 100,000", "Per 1,000", "Per 10,000",
    "Per 100,000", "Score", "Index", "Points", "kg", "Tonnes", "Tons", "Litres", "kWh", "MWh",
    "Miles", "km", "Metres", "Hectares", "People", "Households", "Cases", "Calls", "Visits",
    "Items", "Homes", "Properties", "Applications", "Incidents", "FTE", "Days per FTE",
)  # fmt: skip
"""Units kpixl knows by name (compared case-, space- and full-stop-insensitively)."""
_SPACES = re.compile(r"\s+")
_QUALIFIER = re.compile(r"\([^)]*\)")


def normalise_unit(unit: str | None) -> str:
    """``"Percentage "`` -> ``"%"``; any other unit trimmed; blank -> ``""``."""
    text = _SPACES.sub(" ", unit or "").strip()
    return PERCENT if text.lower() in _PERCENT_SPELLINGS else text


def is_percent_unit(unit: str | None) -> bool:
    """Whether the Unit cell means a percentage (``%``, ``Percent``, ``Percentage``, ``pct``…)."""
    return normalise_unit(unit) == PERCENT


def _key(unit: str) -> str:
    return _SPACES.sub("", unit).replace(".", "").lower()


_KNOWN_KEYS = frozenset(_key(unit) for unit in KNOWN_UNITS)


def is_known_unit(unit: str | None) -> bool:
    """Blank, a spelling of percent, or one of :data:`KNOWN_UNITS` (plural ``s`` forgiven)."""
    text = normalise_unit(unit)
    if not text or text == PERCENT:
        return True
    key = _key(_QUALIFIER.sub("", text)) or _key(text)  # "Number (000s)": a Number
    return key in _KNOWN_KEYS or key.rstrip("s") in _KNOWN_KEYS or f"{key}s" in _KNOWN_KEYS
