"""History and what changed (SPEC 8.3): the ``kpixl history`` rows, the Summary's "Changes
since <month>" and "Not yet submitted", and the ``Commentary required for`` warning.

Pure functions over plain rows; the workbook layer reads and writes the hidden sheet.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date
from enum import StrEnum

from kpixl.core.models import (
    Alert,
    CommentaryRule,
    Direction,
    Evaluation,
    Frequency,
    Person,
    Problem,
    Rag,
    Report,
    Severity,
    Variation,
    _Model,
)
from kpixl.core.periods import add_months, month_of, month_year_label, parse_period, period_label
from kpixl.core.rules import counts, is_number

HISTORY_SHEET = "kpixl history"
HISTORY_COLUMNS = (
    "Reporting month",
    "Ref",
    "Latest period",
    "Latest value",
    "Latest RAG",
    "YTD RAG",
    "In expected range?",
    "Direction of travel",
    "Variation",
)
"""The header of the history sheet, in the order of ``HistoryRow``'s fields."""


class HistoryRow(_Model):
    """One indicator in one reporting month, as the history sheet keeps it."""

    reporting_month: date
    ref: str
    latest_period: date | None = None
    latest_value: float | None = None
    latest_rag: Rag | None = None
    ytd_rag: Rag | None = None
    alert: Alert | None = None
    direction: Direction | None = None
    variation: Variation | None = None


Cell = date | float | str | None
_LABELS: tuple[tuple[str, type[StrEnum]], ...] = (
    ("latest_rag", Rag),
    ("ytd_rag", Rag),
    ("alert", Alert),
    ("direction", Direction),
    ("variation", Variation),
)


def history_cells(row: HistoryRow) -> tuple[Cell, ...]:
    """The row as the history sheet holds it, in ``HISTORY_COLUMNS`` order: months as dates
    (first of the month), labels as their text, nothing as a blank cell (None)."""
    labels = [getattr(row, name) for name, _ in _LABELS]
    return (
        row.reporting_month,
        row.ref,
        row.latest_period,
        row.latest_value,
        *(label.value if label is not None else None for label in labels),
    )


def history_row(cells: Sequence[object]) -> HistoryRow | None:
    """A history-sheet row read back (cells in ``HISTORY_COLUMNS`` order); None when it has
    no reporting month or Ref. A month may be a date or datetime (any day) or text such as
    ``Oct-23``; ``N/A``, blanks and labels kpixl does not know read as nothing."""
    padded = [*cells, *[None] * (len(HISTORY_COLUMNS) - len(cells))]
    month, ref, period, value = (_month(padded[0]), padded[1], _month(padded[2]), padded[3])
    if month is None or ref is None or not str(ref).strip():
        return None
    labels = {
        name: _label(kind, cell) for (name, kind), cell in zip(_LABELS, padded[4:], strict=False)
    }
    return HistoryRow(
        reporting_month=month,
        ref=str(ref).strip(),
        latest_period=period,
        latest_value=float(value) if isinstance(value, int | float) and is_number(value) else None,
        **labels,
    )


def _month(cell: object) -> date | None:
    if isinstance(cell, date):  # datetime is a date too
        return month_of(cell)
    if isinstance(cell, str):
        return parse_period(cell)
    return None


def _label(kind: type[StrEnum], cell: object) -> StrEnum | None:
    if not isinstance(cell, str):
        return None
    try:
        return kind(cell.strip())
    except ValueError:
        return None


def history_rows(
    evaluation: Evaluation, variations: Mapping[str, Variation | None] | None = None
) -> tuple[HistoryRow, ...]:
    """This run's rows, one per Ref (the first indicator where a Ref is used twice);
    ``variations`` gives each Ref's SPC ``Variation`` when SPC is on."""
    month = evaluation.report.reporting_month
    rows: dict[str, HistoryRow] = {}
    for _, result in evaluation.pairs():
        if result.ref in rows:
            continue
        rows[result.ref] = HistoryRow(
            reporting_month=month,
            ref=result.ref,
            latest_period=result.latest_period,
            latest_value=result.latest_value,
            latest_rag=result.latest_rag,
            ytd_rag=result.ytd_rag,
            alert=result.alert,
            direction=result.direction,
            variation=(variations or {}).get(result.ref),
        )
    return tuple(rows.values())


def merge_history(
    history: Iterable[HistoryRow], rows: Iterable[HistoryRow], reporting_month: date
) -> tuple[HistoryRow, ...]:
    """The history with ``reporting_month``'s rows replaced by ``rows`` and every other month
    kept, in reporting-month order (rows of one month keep their order)."""
    new = list(rows)
    if any(row.reporting_month != reporting_month for row in new):
        raise ValueError(f"every new history row must be for {month_year_label(reporting_month)}")
    kept = [row for row in history if row.reporting_month != reporting_month]
    return tuple(sorted([*kept, *new], key=lambda row: row.reporting_month))


def previous_reporting_month(history: Iterable[HistoryRow], reporting_month: date) -> date | None:
    """The latest reporting month in the history before ``reporting_month``."""
    earlier = [row.reporting_month for row in history if row.reporting_month < reporting_month]
    return max(earlier) if earlier else None


class RagChange(_Model):
    ref: str
    before: Rag | None
    after: Rag | None


class AlertChange(_Model):
    ref: str
    before: Alert | None
    after: Alert | None


class Changes(_Model):
    """What changed since the previous reporting month in the history (``since``).

    * ``newly_red``: Latest RAG RED now and not RED before (N/A before included);
    * ``newly_green``: GREEN now after RED or AMBER (recovered);
    * ``other_rag``: every other change of Latest RAG, N/A included (from → to);
    * ``out_of_range``: activity now Above or Below that was not there before;
    * ``into_range``: activity now in its range (``Yes``) that was Above or Below;
    * ``new`` / ``gone``: Refs in one month and not the other.
    """

    since: date
    newly_red: tuple[RagChange, ...] = ()
    newly_green: tuple[RagChange, ...] = ()
    other_rag: tuple[RagChange, ...] = ()
    into_range: tuple[AlertChange, ...] = ()
    out_of_range: tuple[AlertChange, ...] = ()
    new: tuple[str, ...] = ()
    gone: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.newly_red,
                self.newly_green,
                self.other_rag,
                self.into_range,
                self.out_of_range,
                self.new,
                self.gone,
            )
        )


def changes_since(
    history: Iterable[HistoryRow], rows: Sequence[HistoryRow], reporting_month: date
) -> Changes | None:
    """This run's ``rows`` against the previous reporting month in ``history``; None when the
    history has no earlier month."""
    history = list(history)
    since = previous_reporting_month(history, reporting_month)
    if since is None:
        return None
    before: dict[str, HistoryRow] = {}
    for row in history:
        if row.reporting_month == since:
            before.setdefault(row.ref, row)
    after: dict[str, HistoryRow] = {}
    for row in rows:
        after.setdefault(row.ref, row)
    red: list[RagChange] = []
    green: list[RagChange] = []
    other: list[RagChange] = []
    into: list[AlertChange] = []
    out: list[AlertChange] = []
    for ref, now in after.items():
        then = before.get(ref)
        if then is None:
            continue
        if then.latest_rag != now.latest_rag:
            change = RagChange(ref=ref, before=then.latest_rag, after=now.latest_rag)
            if now.latest_rag is Rag.RED:
                red.append(change)
            elif now.latest_rag is Rag.GREEN and then.latest_rag in (Rag.RED, Rag.AMBER):
                green.append(change)
            else:
                other.append(change)
        if then.alert != now.alert:
            moved = AlertChange(ref=ref, before=then.alert, after=now.alert)
            if now.alert in (Alert.ABOVE, Alert.BELOW):
                out.append(moved)
            elif now.alert is Alert.YES and then.alert in (Alert.ABOVE, Alert.BELOW):
                into.append(moved)
    return Changes(
        since=since,
        newly_red=tuple(red),
        newly_green=tuple(green),
        other_rag=tuple(other),
        into_range=tuple(into),
        out_of_range=tuple(out),
        new=tuple(ref for ref in after if ref not in before),
        gone=tuple(ref for ref in before if ref not in after),
    )


def latest_due_period(reporting_month: date, frequency: Frequency, fy_start_month: int = 4) -> date:
    """The period whose figure is due by the reporting month: the month itself for a monthly
    indicator, otherwise the latest period end (quarter, half-year, year) at or before it."""
    for back in range(12):
        period = add_months(reporting_month, -back)
        if counts(period, frequency, fy_start_month):
            return period
    return reporting_month


class Outstanding(_Model):
    ref: str
    description: str = ""
    due: date


class AreaOutstanding(_Model):
    area: str
    contact: Person | None = None
    """The area's Director or Head of Service (the first of them listed)."""
    indicators: tuple[Outstanding, ...]


def not_yet_submitted(report: Report) -> tuple[AreaOutstanding, ...]:
    """Indicators with no number for their latest due period (blank, ``*`` or ``n/a``),
    grouped by service area in report order; areas with nothing outstanding are left out."""
    month, fy = report.reporting_month, report.fy_start_month
    by_area: dict[str, list[Outstanding]] = {}
    for indicator in report.indicators:
        due = latest_due_period(month, indicator.frequency, fy)
        value = indicator.values.get(due)
        if value is None or not is_number(value):
            by_area.setdefault(indicator.service_area, []).append(
                Outstanding(ref=indicator.ref, description=indicator.description, due=due)
            )
    return tuple(
        AreaOutstanding(
            area=name,
            contact=report.area(name).person("Director", "Head of Service"),
            indicators=tuple(by_area[name]),
        )
        for name in report.area_names()
        if name in by_area
    )


def commentary_problems(
    evaluation: Evaluation,
    rule: CommentaryRule = CommentaryRule.RED,
    sheets_without_column: Mapping[str, Collection[str]] | None = None,
) -> tuple[Problem, ...]:
    """A warning on each KPI whose Latest RAG needs commentary and whose Commentary is empty.

    ``sheets_without_column`` maps each indicator sheet that has no Commentary column to the
    Refs on it: such a sheet gets one warning naming it instead of one per KPI. The warnings
    carry the Ref and ``field="Commentary"``; the workbook layer adds the cell.
    """
    missing = {ref: sheet for sheet, refs in (sheets_without_column or {}).items() for ref in refs}
    problems: list[Problem] = []
    sheets: dict[str, int] = {}
    for indicator, result in evaluation.pairs():
        rag = result.latest_rag
        if rag is None or rag not in rule.rags or (indicator.commentary or "").strip():
            continue
        if indicator.ref in missing:
            sheet = missing[indicator.ref]
            sheets[sheet] = sheets.get(sheet, 0) + 1
            continue
        when = f" for {period_label(result.latest_period)}" if result.latest_period else ""
        problems.append(
            Problem(
                severity=Severity.WARNING,
                ref=indicator.ref,
                field="Commentary",
                message=f"{indicator.ref}: rated {rag.value}{when} with no commentary. Say "
                f"what is behind it and what is being done in the Commentary cell (Commentary "
                f"required for: {rule.value}).",
            )
        )
    for sheet, count in sheets.items():
        kpis = "KPI needs" if count == 1 else "KPIs need"
        problems.append(
            Problem(
                severity=Severity.WARNING,
                sheet=sheet,
                message=f"Sheet {sheet!r} has no Commentary column, but {count} {kpis} "
                f"commentary (Commentary required for: {rule.value}). Add a Commentary column "
                "to the table.",
            )
        )
    return tuple(problems)
