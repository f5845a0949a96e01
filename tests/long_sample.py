"""The sample report with a longer history: every indicator gets earlier periods, so the
Regression direction of travel and SPC (15+ points) have something to judge.

Deterministic: each indicator's earlier values come from a generator seeded by its Ref; some
drift towards today's level (a trend), some sit still (common cause), some jump (a shift).
"""

from __future__ import annotations

import random
from datetime import date

from kpixl import load_sample
from kpixl.core.models import DirectionMethod, Indicator, Report, SpcSettings, TrendSettings
from kpixl.core.periods import add_months


def long_sample(extra_periods: int = 14, spc: bool = True, regression: bool = True) -> Report:
    """``load_sample()`` with ``extra_periods`` more periods before each indicator's first,
    SPC On and the Regression method unless told otherwise."""
    report = load_sample()
    indicators = tuple(_longer(indicator, extra_periods) for indicator in report.indicators)
    update: dict[str, object] = {"indicators": indicators}
    if spc:
        update["spc"] = SpcSettings()
    if regression:
        update["trend"] = TrendSettings(method=DirectionMethod.REGRESSION)
    return report.model_copy(update=update)


def _longer(indicator: Indicator, extra: int) -> Indicator:
    known = {p: v for p, v in indicator.values.items() if v is not None}
    if not known:
        return indicator
    rng = random.Random(indicator.ref)
    level = sum(known.values()) / len(known)
    spread = abs(level) * 0.04 or 1.0
    shape = rng.choice(("trend up", "trend down", "flat", "shift"))
    step = indicator.frequency.months
    first = min(indicator.values)
    values: dict[date, float | None] = {}
    for back in range(extra, 0, -1):
        if shape == "trend up":
            centre = level - spread * 0.6 * back
        elif shape == "trend down":
            centre = level + spread * 0.6 * back
        elif shape == "shift":
            centre = level + spread * 3.0
        else:
            centre = level
        value = centre + rng.gauss(0.0, spread)
        if indicator.is_percent:
            value = min(max(value, 0.0), 1.0)
        values[add_months(first, -step * back)] = round(value, 4)
    return indicator.model_copy(update={"values": {**values, **indicator.values}})
