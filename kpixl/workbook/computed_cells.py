"""Typed over a computed column (issue 11): a cell of a column kpixl writes that holds what
kpixl never writes there (a note, a RAG of someone's own, a formula) is reported at its cell
before the calculation replaces it, so nobody's typing disappears unannounced."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from enum import StrEnum

from kpixl.core import models
from kpixl.core.columns import Computed, Shows
from kpixl.core.models import NOT_AVAILABLE, Problem, Severity
from kpixl.core.periods import parse_period
from kpixl.workbook.grid import CellValue, SheetGrid, cell_address

__all__ = ["typed_over_problems"]


def _words() -> frozenset[str]:
    found = {NOT_AVAILABLE.lower()}
    for value in vars(models).values():
        if isinstance(value, type) and issubclass(value, StrEnum):
            found |= {str(member.value).lower() for member in value}
    return frozenset(found)


_WORDS = _words()  # every option kpixl writes in a word, RAG or alert column


def _kpixl_could_write(shows: Shows, value: CellValue) -> bool:
    if value is None or value == "" or shows is Shows.CHECKS:
        return True
    if shows is Shows.FIGURE:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if shows is Shows.PERIOD:
        return isinstance(value, date) or (
            isinstance(value, str) and parse_period(value) is not None
        )
    return isinstance(value, str) and value.strip().lower() in _WORDS


def typed_over_problems(
    grid: SheetGrid,
    computed: Mapping[Computed, int],
    rows: Iterable[tuple[int, str]],
) -> list[Problem]:
    """One warning per cell of a computed column (``rows``: grid row and Ref) that holds a
    formula or a value of a kind kpixl does not write there."""
    problems: list[Problem] = []
    formulas = grid.formulas_without_value
    for row, ref in rows:
        for column, col in computed.items():
            value = grid.value(row, col)
            formula = (row, col) in formulas
            if not formula and _kpixl_could_write(column.spec.shows, value):
                continue
            held = (
                "a formula"
                if formula
                else repr(value if not isinstance(value, float) else f"{value:g}")
            )
            problems.append(
                Problem(
                    severity=Severity.WARNING,
                    message=f"{ref}: {column.value} is a column kpixl writes, but this cell held "
                    f"{held}, which kpixl never writes there; it is replaced by the computed "
                    "result. Put your own notes in Commentary or in a column of your own.",
                    ref=ref,
                    sheet=grid.name,
                    cell=cell_address(row, col),
                )
            )
    return problems
