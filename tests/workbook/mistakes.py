"""Ordinary mistakes made on the trial workbook (issue 11): build the trial once, make one
mistake in a copy with openpyxl (macros kept), calculate it to a separate file, and give the
problems together with a proof that no input cell was changed."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from kpixl.core.columns import computed_by_key
from kpixl.core.models import Problem, Severity
from kpixl.headless import calculate_file
from kpixl.workbook.calculate import Outcome
from tests.trial import build_trial

Edit = Callable[[Any], None]  # changes an openpyxl Workbook in place
HEADER_ROW = 6  # the trial sheets' header row (1-based)
INDICATOR_SHEETS = ("Revenues and Benefits", "Waste and Street Scene", "Housing")


@cache
def _trial() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="kpixl-trial-"))
    return build_trial(folder / "trial.xlsm")


@dataclass(frozen=True)
class Made:
    """A mistake made and calculated."""

    outcome: Outcome
    path: Path  # the workbook with the mistake
    out: Path  # what kpixl wrote

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.outcome.problems

    def at(self, sheet: str, cell: str) -> list[Problem]:
        return [p for p in self.problems if p.sheet == sheet and p.cell == cell]

    def one(self, sheet: str, cell: str, words: str, severity: Severity | None = None) -> Problem:
        """The single problem at ``sheet``!``cell`` whose message holds ``words``."""
        found = [p for p in self.at(sheet, cell) if words in p.message]
        assert len(found) == 1, (sheet, cell, words, [str(p) for p in self.problems])
        if severity is not None:
            assert found[0].severity is severity, found[0]
        return found[0]

    def rated(self) -> dict[str, Any]:
        """Ref -> (latest RAG, YTD RAG, alert) of every indicator rated."""
        return {
            i.ref: (r.latest_rag, r.ytd_rag, r.alert) for i, r in self.outcome.evaluation.pairs()
        }


def make(
    tmp_path: Path, edit: Edit, name: str = "mistake.xlsm", source: Path | None = None
) -> Made:
    """The trial (or ``source``) with ``edit`` applied, calculated to ``out.xlsm``; asserts
    every input cell of the indicator sheets and Settings is unchanged in the output."""
    path = tmp_path / name
    shutil.copyfile(source or _trial(), path)
    book = load_workbook(path, keep_vba=True)
    edit(book)
    book.save(path)
    out = tmp_path / f"out-{name}"
    written = calculate_file(path, out)
    assert _inputs(path) == _inputs(out)
    return Made(written.outcome, path, out)


def trial_made(tmp_path: Path) -> Made:
    return make(tmp_path, lambda book: None, "trial.xlsm")


def _inputs(path: Path) -> dict[tuple[str, int, int], object]:
    """Every input cell: Settings, and each indicator sheet left of its computed columns."""
    book = load_workbook(path)
    cells: dict[tuple[str, int, int], object] = {}
    for ws in book.worksheets:
        if ws.title not in (*INDICATOR_SHEETS, "Settings", "Copy"):
            continue
        rows = list(ws.iter_rows(values_only=True))
        header = rows[HEADER_ROW - 1] if len(rows) >= HEADER_ROW else ()
        stop = next(
            (c for c, v in enumerate(header) if computed_by_key(v) is not None), len(header)
        )
        for r, row in enumerate(rows):
            for c, value in enumerate(row[: stop or None]):
                if value is not None:
                    cells[ws.title, r, c] = value
    return cells


def header_col(ws: Any, header: object) -> int:
    """The 1-based column whose header-row cell is ``header`` (a date: that month)."""
    for cell in ws[HEADER_ROW]:
        value = cell.value
        if isinstance(value, datetime) and isinstance(header, date):
            if (value.year, value.month) == (header.year, header.month):
                return int(cell.column)
        elif value == header:
            return int(cell.column)
    raise KeyError(header)


def ref_row(ws: Any, ref: str) -> int:
    for row in range(HEADER_ROW + 1, ws.max_row + 1):
        if ws.cell(row, 1).value == ref:
            return row
    raise KeyError(ref)


def set_value(sheet: str, ref: str, header: object, value: object) -> Edit:
    def edit(book: Any) -> None:
        ws = book[sheet]
        ws.cell(ref_row(ws, ref), header_col(ws, header)).value = value

    return edit


def set_header(sheet: str, header: object, value: object) -> Edit:
    def edit(book: Any) -> None:
        ws = book[sheet]
        ws.cell(HEADER_ROW, header_col(ws, header)).value = value

    return edit
