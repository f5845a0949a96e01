"""Read a workbook's grids, rate every indicator, and place every problem on its cell."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from kpixl.core.checks import is_before_periods_problem, is_stale_problem
from kpixl.core.evaluate import evaluate
from kpixl.core.history import HistoryRow, commentary_problems
from kpixl.core.models import Evaluation, Problem, Severity
from kpixl.workbook.grid import SheetGrid
from kpixl.workbook.history import read_history
from kpixl.workbook.reader import ReadBook, read_book
from kpixl.workbook.targets import with_targets

__all__ = ["Outcome", "calculate", "cell_position"]

_ADDRESS = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")


@dataclass(frozen=True)
class Outcome:
    """A calculation: what was read, the ratings, and every problem in sheet order."""

    read: ReadBook
    evaluation: Evaluation
    problems: tuple[Problem, ...]
    history: tuple[HistoryRow, ...] = ()
    """The ``kpixl history`` rows as the book held them before this run (SPEC 8.3)."""

    @property
    def exit_code(self) -> int:
        """0 when the data has no problem at all, 1 otherwise (SPEC section 6)."""
        return 1 if self.problems else 0


def calculate(grids: Sequence[SheetGrid], source: str = "") -> Outcome:
    """``read_book`` (and the Targets sheet) -> ``evaluate`` -> locate each problem."""
    read = with_targets(read_book(grids, source), grids)
    evaluation = evaluate(read.report, extra_problems=read.problems)
    located = read.locate_all((*evaluation.problems, *_commentary(read, evaluation)))
    located = _without_follow_ons(read, located)
    order = {name: index for index, name in enumerate(read.sheet_names)}

    def key(problem: Problem) -> tuple[int, int, int]:
        sheet = order.get(problem.sheet, len(order)) if problem.sheet else -1
        row, col = cell_position(problem.cell) if problem.cell else (-1, -1)
        return sheet, row, col

    return Outcome(read, evaluation, tuple(sorted(located, key=key)), read_history(grids))


def _without_follow_ons(read: ReadBook, problems: Sequence[Problem]) -> tuple[Problem, ...]:
    """One sentence, not forty: a misspelt header is reported once at its cell, so the rows it
    leaves without that column say nothing more; a sheet whose periods all come after the
    reporting month is one error, not a "no value" warning per row."""
    missed = {sheet.name: sheet.missed for sheet in read.sheets if sheet.missed}
    early = {
        p.sheet
        for p in problems
        if p.severity is Severity.ERROR and p.cell is None and is_before_periods_problem(p)
    }

    def follow_on(problem: Problem) -> bool:
        if problem.sheet in missed and problem.field in missed[problem.sheet]:
            return problem.period is None
        return problem.sheet in early and is_stale_problem(problem)

    return tuple(p for p in problems if not follow_on(p))


def _commentary(read: ReadBook, evaluation: Evaluation) -> tuple[Problem, ...]:
    """SPEC 8.3's ``Commentary required for`` warnings (one per sheet without the column)."""
    refs_by_sheet: dict[str, list[str]] = {}
    for index, (name, _) in enumerate(read.locations):
        refs_by_sheet.setdefault(name, []).append(read.report.indicators[index].ref)
    without = {
        sheet.name: refs_by_sheet.get(sheet.name, [])
        for sheet in read.sheets
        if "Commentary" not in sheet.columns
    }
    return commentary_problems(evaluation, read.report.commentary_required_for, without)


def cell_position(address: str) -> tuple[int, int]:
    """An A1 address to 0-based (row, col): ``K7`` -> (6, 10)."""
    match = _ADDRESS.fullmatch(address.strip())
    if match is None:
        raise ValueError(f"not a cell address: {address!r}")
    col = 0
    for letter in match.group(1).upper():
        col = col * 26 + ord(letter) - 64
    return int(match.group(2)) - 1, col - 1
