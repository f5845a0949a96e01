"""Header rows read with suspicion (issue 11): a header kpixl almost knows (``Targt``, ``Ref.``),
a sheet that looks like an indicator sheet but has no recognised header row, and period headers
that are text, unreadable, out of order, or missing above figures (a merged header cell)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from datetime import date

from kpixl.core.columns import INPUTS, Column, Computed, column_by_key, computed_by_key
from kpixl.core.models import Problem, Severity
from kpixl.core.periods import SENSIBLE_YEARS, parse_period, period_label
from kpixl.workbook import contract
from kpixl.workbook.cells import month, text
from kpixl.workbook.grid import CellValue, SheetGrid, cell_address

__all__ = [
    "blank_header_problems",
    "duplicate_header_problem",
    "same_area_problem",
    "unusable_period_problem",
    "lookalike_problems",
    "near_miss",
    "near_miss_problem",
    "period_like",
    "period_order_problems",
    "unread_period_problem",
]

_NAMES: dict[str, Column | Computed] = {}
for _column in INPUTS:
    for _name in (_column.spec.header, *_column.spec.aliases):
        _NAMES[contract.normalise(_name)] = _column
for _computed in Computed:
    _NAMES[contract.normalise(_computed.value)] = _computed
_KEY = re.compile(r"[^a-z0-9%?£]")
_NEAR = 0.81
_PERIOD_WORDS = re.compile(
    r"\b(q[1-4]|h[12]|qtr|quarter|(19|20)\d\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}",
    re.IGNORECASE,
)


def near_miss(value: CellValue) -> Column | Computed | None:
    """The column an unknown header was probably meant to be: ``Targt`` -> Target, ``Ref.`` ->
    Ref, ``Indicator Desc`` -> Indicator description; None when nothing is close."""
    if not isinstance(value, str) or not value.strip():
        return None
    if column_by_key(value) or computed_by_key(value):
        return None
    key = _KEY.sub("", value.lower())
    if len(key) < 3:
        return None
    cleaned = {_KEY.sub("", name): column for name, column in _NAMES.items()}
    if key in cleaned:
        return cleaned[key]
    close = difflib.get_close_matches(key, list(cleaned), 1, _NEAR)
    if close:
        return cleaned[close[0]]
    slips = [name for name in cleaned if _one_slip(key, name)]
    if len(slips) == 1:
        return cleaned[slips[0]]
    prefixed = [name for name in cleaned if name.startswith(key) and len(key) >= 4]
    return cleaned[prefixed[0]] if len(prefixed) == 1 else None


def _one_slip(a: str, b: str) -> bool:
    """One letter wrong, missing, extra, or the same letters shuffled (``Uitn`` for ``Unit``)."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) >= 4 and sorted(a) == sorted(b):
        return True
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i = diff[0]
        return len(diff) == 2 and diff[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def near_miss_problem(sheet: str, row: int, col: int, value: str, meant: Column | Computed,
                      present: bool, rows: int) -> Problem:  # fmt: skip
    """``'Targt' is not a column kpixl knows — did you mean Target?`` at the header cell."""
    if present:
        effect = f"kpixl already reads {meant.value} from another column, so this one is ignored."
    elif isinstance(meant, Computed):
        effect = f"kpixl will add its own {meant.value} column."
    else:
        effect = (
            f"Its column is ignored, so none of the {rows} indicators on this sheet has a "
            f"{meant.value}."
        )
    return Problem(
        severity=Severity.WARNING if present or isinstance(meant, Computed) else Severity.ERROR,
        message=f"{value.strip()!r} is not a column kpixl knows — did you mean {meant.value}? "
        f"{effect} Correct the header.",
        sheet=sheet,
        cell=cell_address(row, col),
    )


def period_like(value: CellValue) -> bool:
    """Text that looks meant as a period header (a month, a year, a quarter, a date)."""
    return isinstance(value, str) and bool(_PERIOD_WORDS.search(value))


def unread_period_problem(sheet: str, row: int, col: int, value: str) -> Problem:
    """A period header kpixl cannot use: text that is a date (say which month), or unreadable."""
    meant = month(value)
    if meant is not None:
        how = f"is text, not a date, so kpixl does not read it as {period_label(meant)}"
        fix = f"Type the month as a date (e.g. {period_label(meant)}) rather than as text."
    else:
        how = "is not a month kpixl can read"
        fix = "Head each period column with its month, such as Sep-24 or a date."
    return Problem(
        severity=Severity.ERROR,
        message=f"The period header {value.strip()!r} {how}, and its column is ignored. {fix}",
        sheet=sheet,
        cell=cell_address(row, col),
    )


def out_of_order_problem(sheet: str, row: int, col: int, period: date, before: date) -> Problem:
    return Problem(
        severity=Severity.ERROR,
        message=f"The period header {period_label(period)} comes after {period_label(before)}: "
        "period columns must run from oldest to newest, so this is probably a typing slip in "
        "the year. Correct the header.",
        sheet=sheet,
        cell=cell_address(row, col),
    )


def headless_figures_problem(
    sheet: str, row: int, col: int, left: date | None, right: date | None, example: str
) -> Problem:
    if left is not None and right is not None:
        where = f"between the {period_label(left)} and {period_label(right)} columns"
    elif left is not None:
        where = f"right of the {period_label(left)} column"
    else:
        where = f"left of the {period_label(right)} column" if right else "beside the periods"
    return Problem(
        severity=Severity.ERROR,
        message=f"This column has figures (e.g. {example}) but no period header, {where} "
        "(a merged or cleared header?), so its figures are not read. Give it its month, "
        "unmerged.",
        sheet=sheet,
        cell=cell_address(row, col),
    )


def period_order_problems(
    sheet: str, header_row: int, period_columns: dict[int, date], grid: SheetGrid
) -> list[Problem]:
    """Period columns out of order, and figures under a blank header among the periods."""
    problems: list[Problem] = []
    ordered = sorted(period_columns.items())
    for (_, before), (col, period) in zip(ordered, ordered[1:], strict=False):
        if period <= before:
            problems.append(out_of_order_problem(sheet, header_row, col, period, before))
    for (left_col, left), (right_col, right) in zip(ordered, ordered[1:], strict=False):
        for col in range(left_col + 1, right_col):
            if grid.value(header_row, col) not in (None, ""):
                continue
            below = _first_number(grid, header_row, col)
            if below is not None:
                problems.append(
                    headless_figures_problem(sheet, header_row, col, left, right, below)
                )
    if ordered:
        last_col, last = ordered[-1]
        col = last_col + 1
        blank = grid.value(header_row, col) in (None, "")
        below = _first_number(grid, header_row, col) if blank else None
        if below is not None:
            problems.append(headless_figures_problem(sheet, header_row, col, last, None, below))
    return problems


def _first_number(grid: SheetGrid, header_row: int, col: int) -> str | None:
    for row in range(header_row + 1, len(grid.rows)):
        value = grid.value(row, col)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return cell_address(row, col)
    return None


def lookalike_problems(grid: SheetGrid) -> list[Problem]:
    """A sheet with no recognised header row that still looks like an indicator sheet (a row
    with period headers and a known column, refs below): where the missing header should be."""
    for index, row in enumerate(grid.rows[: contract.HEADER_SEARCH_ROWS]):
        periods = sum(1 for value in row if _is_period(value))
        exact = {column_by_key(v) for v in row if isinstance(v, str)}
        known = exact | {near_miss(v) for v in row if isinstance(v, str)}
        if periods < 2 or known == {None} or not _refs_below(grid, index, row):
            continue
        return [
            _missing_header(grid, index, row, column)
            for column in (Column.REF, Column.DESCRIPTION)
            if column not in exact
        ]
    return []


def _refs_below(grid: SheetGrid, index: int, row: Sequence[CellValue]) -> bool:
    """Text below the row in its Ref column (the cell headed ``Ref``-ish, else column A): a
    chart's data sheet with months and a Target column has no refs."""
    at = next((c for c, v in enumerate(row) if near_miss(v) is Column.REF), 0)
    below = grid.rows[index + 1 : index + 1 + contract.HEADER_SEARCH_ROWS]
    return any(isinstance(cells[at], str) for cells in below if at < len(cells) and cells[at])


def _is_period(value: CellValue) -> bool:
    if isinstance(value, date):
        return True
    return isinstance(value, str) and parse_period(value) is not None


def _missing_header(
    grid: SheetGrid, index: int, row: Sequence[CellValue], column: Column
) -> Problem:
    at = next((c for c, v in enumerate(row) if near_miss(v) is column), None)
    if at is None:
        at = 0 if column is Column.REF else 1
    found = text(row[at]) if at < len(row) else None
    holds = (
        f"{cell_address(index, at)} holds {found!r}"
        if found
        else f"{cell_address(index, at)} is blank"
    )
    return Problem(
        severity=Severity.ERROR,
        message=f"Sheet {grid.name!r} looks like an indicator sheet (row {index + 1} has period "
        f"headers), but it has no {column.value} header: {holds}. None of its indicators is "
        f"read or rated. Type {column.value} there.",
        sheet=grid.name,
        cell=cell_address(index, at),
    )


def blank_header_problems(
    sheet: str,
    header_row: int,
    columns: dict[Column, int],
    period_columns: dict[int, date],
    grid: SheetGrid,
    stop: int,
) -> list[Problem]:
    """A column with entries under a blank header cell, among the input columns (a cleared
    or merged header: its entries would be ignored without a word). Between and beside the
    period columns, ``period_order_problems`` says it in terms of months."""
    if not period_columns:
        return []
    first_period, last_period = min(period_columns), max(period_columns)
    by_col = {col: column for column, col in columns.items()}
    problems: list[Problem] = []
    for col in [*range(first_period), *range(last_period + 1, stop)]:
        if grid.value(header_row, col) not in (None, ""):
            continue
        if col == last_period + 1 and _first_number(grid, header_row, col) is not None:
            continue  # a month's figures: said by period_order_problems
        example = next(
            (
                (row, value)
                for row in range(header_row + 1, len(grid.rows))
                if (value := grid.value(row, col)) not in (None, "")
            ),
            None,
        )
        if example is None:
            continue
        meant = _missing_between(by_col, col, columns)
        guess = f" (the {meant.value} column?)" if meant is not None else ""
        problems.append(
            Problem(
                severity=Severity.ERROR,
                message=f"This column has entries (e.g. {cell_address(*example[:1], col)} "
                f"{text(example[1])!r}) but no header{guess}, so kpixl ignores them. Give it "
                "its header.",
                sheet=sheet,
                cell=cell_address(header_row, col),
            )
        )
    return problems


def _missing_between(
    by_col: dict[int, Column], col: int, columns: dict[Column, int]
) -> Column | None:
    """The one template column missing between the known neighbours of ``col``, if any."""
    order: list[Column] = [c for c in INPUTS if c.spec.always_laid_out or c in columns]
    left = max((c for c in by_col if c < col), default=None)
    right = min((c for c in by_col if c > col), default=None)
    lo = order.index(by_col[left]) + 1 if left is not None else 0
    hi = order.index(by_col[right]) if right is not None else len(order)
    missing = [c for c in order[lo:hi] if c not in columns]
    return missing[0] if len(missing) == 1 else None


def unusable_period_problem(sheet: str, row: int, col: int, value: CellValue) -> Problem:
    """A date header outside the years a period can fall in."""
    shown = value.strftime("%b %Y") if isinstance(value, date) else text(value)
    first, last = SENSIBLE_YEARS[0], SENSIBLE_YEARS[-1]
    return Problem(
        severity=Severity.ERROR,
        message=f"The period header {shown!r} is not a month kpixl can use (years "
        f"{first} to {last}), so its column is ignored. Correct the date.",
        sheet=sheet,
        cell=cell_address(row, col),
    )


def duplicate_header_problem(
    sheet: str, row: int, first: int, col: int, value: CellValue
) -> Problem:
    """A column (or a month) headed twice: only the first is read."""
    return Problem(
        severity=Severity.ERROR,
        message=f"Sheet {sheet!r} has more than one {text(value)!r} column "
        f"({cell_address(row, first)} and {cell_address(row, col)}); kpixl reads only the "
        "first. Delete or rename the other.",
        sheet=sheet,
        cell=cell_address(row, col),
    )


def same_area_problem(first: str, sheet: str, area: str, cell: str) -> Problem:
    """Two sheets naming one Service Area (a copied tab whose name cell was not changed)."""
    return Problem(
        severity=Severity.WARNING,
        message=f"Sheets {first!r} and {sheet!r} both give the Service Area {area!r}, so their "
        "indicators are reported as one area under the first sheet's heading. If this sheet "
        "is another area, type its name here.",
        sheet=sheet,
        cell=cell or None,
    )
