"""The ordinary mistakes of issue 11 as fuzz strategies, on the trial workbook's grids: a
misspelt header, a unit spelt another way, a period header typed as text, with a year slip,
unreadable, duplicated or blanked (merged), one Service Area on two sheets, a % typed as a
whole number (in a period or the previous year), a quarterly figure off its quarter end, a
note typed over a computed cell. Whatever is made, no indicator's rating changes unless a
problem is reported on its row, on its sheet's header or Service Area, or for its sheet."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpixl.core.models import Frequency
from kpixl.package import read as package_read
from kpixl.workbook.calculate import Outcome, calculate, cell_position
from kpixl.workbook.grid import SheetGrid
from tests.resilience.test_fuzz import HEADER_TWISTS
from tests.workbook.mistakes import _trial
from tests.workbooks import set_cell

EXAMPLES = int(os.environ.get("KPIXL_FUZZ_EXAMPLES", "60"))
Grids = list[SheetGrid]
SHEETS = ("Revenues and Benefits", "Waste and Street Scene", "Housing")
HEADER = 5  # 0-based header row of the trial sheets
PERCENT_SPELLINGS = ("Percent", "Percentage", "%age", "pct", " % ", "PERCENT")


@cache
def _grids() -> tuple[SheetGrid, ...]:
    return tuple(package_read.read_book(_trial()).grids)


@cache
def _baseline() -> dict[str, tuple[object, ...]]:
    return _ratings(calculate(list(_grids())))


def _ratings(outcome: Outcome) -> dict[str, tuple[object, ...]]:
    return {i.ref: (r.latest_rag, r.ytd_rag, r.alert) for i, r in outcome.evaluation.pairs()}


def _grid(grids: Grids, name: str) -> SheetGrid:
    return next(g for g in grids if g.name == name)


def _col(grid: SheetGrid, header: object) -> int:
    for col, value in enumerate(grid.rows[HEADER]):
        if value == header or (
            isinstance(value, datetime) and isinstance(header, date) and value.date() == header
        ):
            return col
    raise KeyError(header)


def _period_cols(grid: SheetGrid) -> list[int]:
    return [c for c, v in enumerate(grid.rows[HEADER]) if isinstance(v, datetime)]


Mistake = Callable[[Grids], Grids]


@st.composite
def mistakes(draw: st.DrawFn) -> tuple[str, Mistake]:
    """One ordinary mistake on one sheet: (a name for the report, the edit)."""
    sheet = draw(st.sampled_from(SHEETS))
    grid = _grid(list(_grids()), sheet)
    rows = [r for r in range(HEADER + 1, len(grid.rows)) if grid.value(r, 0)]
    row = draw(st.sampled_from(rows))
    periods = _period_cols(grid)
    kind = draw(
        st.sampled_from(
            ["header", "unit", "period text", "year slip", "unreadable", "duplicate", "blank",
             "same area", "whole percent", "previous year", "off quarter", "typed over"]
        )
    )  # fmt: skip
    col: int
    value: object
    if kind == "header":
        col = draw(st.integers(0, _col(grid, "Previous year")))
        twist = draw(st.sampled_from(HEADER_TWISTS))
        row, value = HEADER, twist(str(grid.value(HEADER, col)))
    elif kind == "unit":
        col = _col(grid, "Unit")
        unit = grid.value(row, col)
        choices = PERCENT_SPELLINGS if unit == "%" else ("Nmber", "Cnt", "Dayz", "£ 000s")
        value = draw(st.sampled_from(choices))
    elif kind in ("period text", "year slip", "unreadable", "duplicate", "blank"):
        col = draw(st.sampled_from(periods))
        month = grid.value(HEADER, col)
        assert isinstance(month, datetime)
        row = HEADER
        value = {
            "period text": month.strftime("%d/%m/%Y"),
            "year slip": month.replace(year=month.year - 1),
            "unreadable": f"Q{draw(st.integers(1, 4))} 2024/25",
            "duplicate": grid.value(HEADER, draw(st.sampled_from(periods))),
            "blank": None,
        }[kind]
    elif kind == "same area":
        other = draw(st.sampled_from([s for s in SHEETS if s != sheet]))
        row, col, value = 0, 1, _grid(list(_grids()), other).value(0, 1)
    elif kind in ("whole percent", "previous year"):
        unit = _col(grid, "Unit")
        row = draw(st.sampled_from([r for r in rows if grid.value(r, unit) == "%"]))
        where = periods if kind == "whole percent" else [_col(grid, "Previous year")]
        col = draw(st.sampled_from(where))
        value = float(draw(st.integers(2, 100)))
    elif kind == "off quarter":
        frequency = _col(grid, "Frequency")
        row = draw(st.sampled_from([r for r in rows if grid.value(r, frequency) == "Quarterly"]))
        ends = (3, 6, 9, 12)
        col = draw(st.sampled_from([c for c in periods if grid.rows[HEADER][c].month not in ends]))
        value = float(draw(st.integers(0, 100))) / 100
    else:
        col = draw(st.integers(_col(grid, "Latest period"), len(grid.rows[HEADER]) - 2))
        value = draw(st.sampled_from(["see note", "Green - on track", "TBC", "ok?"]))
    return (f"{kind} {sheet}!{row},{col}={value!r}", lambda g: set_cell(g, sheet, row, col, value))


def _explained(outcome: Outcome, ref: str, locations: dict[str, tuple[str, int]]) -> bool:
    sheet, row = locations[ref]
    for problem in outcome.problems:
        if problem.sheet == "Settings":
            return True
        if problem.sheet != sheet:
            continue
        if problem.cell is None:
            return True
        at = cell_position(problem.cell)[0]
        if at in (row, HEADER, 0):
            return True
    return False


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mistake=mistakes())
def test_no_mistake_changes_a_rating_without_a_problem_on_its_row(
    mistake: tuple[str, Mistake],
) -> None:
    name, edit = mistake
    outcome = calculate(edit(list(_grids())))
    before = _baseline()
    after = _ratings(outcome)
    read = outcome.read
    locations = {read.report.indicators[i].ref: where for i, where in enumerate(read.locations)}
    for ref, rating in before.items():
        if after.get(ref) == rating:
            continue
        if ref not in after:  # the row is no longer read: its sheet must say why
            sheet = next(s for s in SHEETS if ref[:2] == _prefix(s))
            assert any(p.sheet == sheet for p in outcome.problems), (name, ref)
            continue
        assert _explained(outcome, ref, locations), (name, ref, rating, after[ref])


def _prefix(sheet: str) -> str:
    return {"Revenues and Benefits": "RB", "Waste and Street Scene": "WS", "Housing": "HO"}[sheet]


def test_the_strategies_reach_every_kind() -> None:
    """The quarterly rows exist, so an off-quarter figure can land on one."""
    grids = list(_grids())
    assert any(i.frequency is Frequency.QUARTERLY for i in calculate(grids).read.report.indicators)
