"""The Dashboard's key to its marks: the direction of travel arrows (SPEC 8.1) and, with SPC
On, the Making Data Count variation and assurance labels (SPEC 8.2), each shown in its own
colours beside what it means.
"""

from __future__ import annotations

from kpixl.core.models import (
    NOT_AVAILABLE,
    Assurance,
    Direction,
    DirectionMethod,
    Report,
    Variation,
)
from kpixl.core.trend import MINIMUM_TREND_VALUES
from kpixl.report.labels import SheetBuilder, direction_label

KEY_HEADING = "Key"
LABEL_COL = 1  # the description column: wide enough for every label on one line

VARIATION_MEANINGS = (
    (Variation.IMPROVEMENT_HIGH, "Special cause variation of an improving nature: high values"),
    (Variation.IMPROVEMENT_LOW, "Special cause variation of an improving nature: low values"),
    (Variation.CONCERN_HIGH, "Special cause variation of a concerning nature: high values"),
    (Variation.CONCERN_LOW, "Special cause variation of a concerning nature: low values"),
    (Variation.NEUTRAL_HIGH, "Special cause variation, high values (no polarity to judge it)"),
    (Variation.NEUTRAL_LOW, "Special cause variation, low values (no polarity to judge it)"),
    (Variation.COMMON_CAUSE, "Common cause variation: no significant change"),
)
ASSURANCE_MEANINGS = (
    (Assurance.PASSING, "The process limits are all on the right side of the Target"),
    (Assurance.FAILING, "The process limits are all on the wrong side of the Target"),
    (Assurance.HIT_AND_MISS, "The Target lies between the process limits: met in some periods"),
)


def direction_meanings(report: Report) -> list[tuple[Direction, str]]:
    """What each direction means under the report's ``Direction of travel method``."""
    if report.trend.method is DirectionMethod.PREVIOUS_PERIOD:
        return [
            (Direction.IMPROVING, "Better than the previous period"),
            (Direction.WORSENING, "Worse than the previous period"),
            (Direction.NO_CHANGE, "The same as the previous period"),
            (Direction.UP, "Higher than the previous period (no polarity)"),
            (Direction.DOWN, "Lower than the previous period (no polarity)"),
        ]
    periods = report.trend.periods
    window = f"the last {periods} values" if periods else "the last 12 months (8 quarters)"
    confidence = f"{report.trend.confidence:.0%}"
    return [
        (Direction.IMPROVING, f"A regression over {window} rises or falls the better way"),
        (Direction.WORSENING, f"A regression over {window} rises or falls the worse way"),
        (Direction.NO_CLEAR_TREND, f"Stable, or no trend at {confidence} confidence"),
        (Direction.UP, "A significant rise (no polarity)"),
        (Direction.DOWN, "A significant fall (no polarity)"),
    ]


def dashboard_key(sheet: SheetBuilder, row: int, last_col: int, report: Report) -> int:
    """The key below the last area, kept on one page. Returns the next free row."""
    top = row
    sheet.span(row, 0, last_col, KEY_HEADING, "heading")
    row += 1
    method = report.trend.method.value
    row = _section(
        sheet,
        row,
        last_col,
        f"Direction of travel ({method})",
        [(direction_label(d), "trend", meaning) for d, meaning in direction_meanings(report)],
        f"{NOT_AVAILABLE}: too few values (at least {MINIMUM_TREND_VALUES} for a regression, "
        "two for the previous period)",
    )
    if report.spc is not None:
        least = report.spc.minimum_points
        row = _section(
            sheet,
            row,
            last_col,
            "Variation (SPC, NHS Making Data Count)",
            [(str(v), "spc", meaning) for v, meaning in VARIATION_MEANINGS],
            f"{NOT_AVAILABLE}: fewer than {least} values (SPC minimum points)",
        )
        row = _section(
            sheet,
            row,
            last_col,
            "Assurance (SPC: will the Target be met?)",
            [(str(a), "spc", meaning) for a, meaning in ASSURANCE_MEANINGS],
            f"{NOT_AVAILABLE}: fewer than {least} values, or no Target or polarity",
        )
    sheet.keep_together(top, row - 1, row - top)
    return row


def _section(
    sheet: SheetBuilder,
    row: int,
    last_col: int,
    title: str,
    entries: list[tuple[str, str, str]],
    not_available: str,
) -> int:
    sheet.span(row, 0, last_col, title, "label")
    for text, style, meaning in entries:
        row += 1
        sheet.put(row, LABEL_COL, text, style)
        sheet.span(row, LABEL_COL + 1, last_col, meaning, "text")
    row += 1
    sheet.span(row, LABEL_COL, last_col, not_available, "note")
    return row + 2
